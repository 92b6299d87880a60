"""Convert Primero's form sections into bundle form sections (one per SOP step).

Forms of case records (`parent_form: case`) become case sections; nested forms
become the columns of the subform fields that use them. Each case section is placed
in one of the six SOP steps, by Primero's form group or form id (tables below),
else by keywords in its id and English name, else in registration (reported).

Forms of tracing requests (`parent_form: tracing_request`) become tracing request
sections (`record_type: tracing_request`, no step), beside the tracing request's fixed
fields; a field of theirs that has a fixed field's name is left out (reported): the
fixed field holds it. Forms of other records (incidents...) are not imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.configuration.bundle.schema import TRACING_REQUEST_FIELDS

from .fields import FieldEnv, convert_field
from .texts import ANY, Context, first_text, texts
from .values import Item, Obj

#: The Primero records (`parent_form`) whose forms are imported.
RECORD_TYPES = ("case", "tracing_request")
#: Primero form groups (`form_group_id`) and form ids -> SOP step.
STEP_BY_GROUP = {
    "identification_registration": "registration",
    "family_partner_details": "registration",
    "record_information": "registration",
    "photos_audio": "registration",
    "documents": "registration",
    "other_reportable_fields": "registration",
    "protection_concern": "registration",
    "data_confidentiality": "consent",
    "consent": "consent",
    "assessment": "assessment",
    "bia": "assessment",
    "best_interest": "assessment",
    "case_plan": "case_plan",
    "action_plan": "case_plan",
    "services_follow_up": "services",
    "services": "services",
    "tracing": "services",
    "referrals_transfers": "services",
    "follow_up": "services",
    "closure": "closure",
    "case_closure": "closure",
}
STEP_BY_FORM = {
    "basic_identity": "registration",
    "other_identity_details": "registration",
    "family_details": "registration",
    "protection_concern_details": "registration",
    "data_confidentiality": "consent",
    "consent": "consent",
    "assessment": "assessment",
    "care_assessment": "assessment",
    "best_interest": "assessment",
    "cp_case_plan": "case_plan",
    "case_plan": "case_plan",
    "action_plan_form": "case_plan",
    "services": "services",
    "followup": "services",
    "referral_transfer": "services",
    "tracing": "services",
    "closure_form": "closure",
    "gbv_case_closure_form": "closure",
}
KEYWORDS = (
    ("consent", r"consent|confidential|assent"),
    ("closure", r"closure|closing|close"),
    ("case_plan", r"case[ _-]?plan|action[ _-]?plan|care[ _-]?plan"),
    ("assessment", r"assess|bia|best[ _-]?interest|evaluation"),
    ("services", r"service|referral|follow[ _-]?up|tracing|intervention|reunification"),
    ("registration", r"regist|identi|basic|family|personal|intake|record"),
)


@dataclass
class Section:
    data: dict[str, Any]
    module: str
    path: str
    line: int


@dataclass
class FormsResult:
    sections: list[Section] = field(default_factory=list)
    #: field id -> (section id, field) for every top-level field (first occurrence).
    fields: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    #: field id -> (path, line) of its first occurrence.
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)
    field_count: int = 0


def step_of(form: Obj, ctx: Context, path: str) -> str:
    group = str(form.get("form_group_id") or "")
    form_id = str(form.get("unique_id") or "")
    if group in STEP_BY_GROUP:
        return STEP_BY_GROUP[group]
    if form_id in STEP_BY_FORM:
        return STEP_BY_FORM[form_id]
    haystack = f"{form_id} {group} {first_text(texts(form, 'name'))}".lower()
    for step, pattern in KEYWORDS:
        if re.search(pattern, haystack):
            return step
    ctx.add(
        "approximated",
        path,
        form.line,
        f"form '{form_id}' (group '{group or '-'}'): no SOP step recognised; placed in registration",
    )
    return "registration"


def form_modules(forms: list[Item], modules: list[Item], ctx: Context) -> dict[str, list[str]]:
    """form id -> the case modules it belongs to (modules' form lists and forms' module_ids)."""
    from .seed import form_ids_of

    result: dict[str, list[str]] = {}
    for module in modules:
        ids = form_ids_of(module.data.get("form_sections"))
        for form_id in ids or []:
            if str(module.data.get("unique_id")) not in result.setdefault(form_id, []):
                result[form_id].append(str(module.data.get("unique_id")))
    known = {str(m.data.get("unique_id")) for m in modules}
    for form in forms:
        form_id = str(form.data.get("unique_id"))
        for module_id in form.data.get("module_ids") or []:
            if not known or str(module_id) in known:
                if str(module_id) not in result.setdefault(form_id, []):
                    result[form_id].append(str(module_id))
    return result


def convert_forms(
    forms: list[Item], env: FieldEnv, modules: dict[str, list[str]], module_ids: list[str]
) -> FormsResult:
    ctx = env.ctx
    result = FormsResult()
    ordered: list[tuple[int, int, Section]] = []
    for index, item in enumerate(forms):
        form = item.data
        form_id = str(form.get("unique_id") or "")
        if not form_id:
            ctx.add("unreadable", item.path, item.line, "a form section without unique_id: not imported")
            continue
        if form.get("is_nested") is True:
            continue
        parent = str(form.get("parent_form") or "case")
        if parent not in RECORD_TYPES:
            ctx.add(
                "not_imported",
                item.path,
                item.line,
                f"form '{form_id}' is for {parent} records; only case and tracing request forms "
                f"are imported",
            )
            continue
        in_modules = [m for m in modules.get(form_id, []) if m in module_ids]
        if not in_modules:
            if len(module_ids) == 1 and not modules.get(form_id):
                in_modules = module_ids
            else:
                ctx.add("not_imported", item.path, item.line, f"form '{form_id}' belongs to no case module")
                continue
        if len(in_modules) > 1:
            ctx.add(
                "approximated",
                item.path,
                item.line,
                f"form '{form_id}' is in modules {', '.join(in_modules)}; imported into {in_modules[0]} only",
            )
        section = _section(item, form_id, in_modules[0], env, result, parent)
        if section is None:
            continue
        rank = (_int(form.get("order_form_group")), _int(form.get("order")))
        ordered.append((rank[0], rank[1] * 1000 + index, section))
    ordered.sort(key=lambda t: (t[0], t[1]))
    steps_seen: dict[str, int] = {}
    for _, _, section in ordered:
        step = section.data.get("step", "tracing_request")
        steps_seen[step] = steps_seen.get(step, 0) + 10
        section.data["order"] = steps_seen[step]
        result.sections.append(section)
    for item in forms:
        form_id = str(item.data.get("unique_id") or "")
        if (
            item.data.get("is_nested") is True
            and form_id not in env.used_nested
            and str(item.data.get("parent_form") or "case") in RECORD_TYPES
        ):
            ctx.add(
                "not_imported", item.path, item.line, f"nested form '{form_id}' is used by no subform field"
            )
    return result


def _section(item: Item, form_id: str, module: str, env: FieldEnv, result: FormsResult,
             record_type: str = "case") -> Section | None:
    ctx, form = env.ctx, item.data
    name = texts(form, "name") or {ANY: form_id}
    data: dict[str, Any] = {"id": form_id, "module": module}
    if record_type == "case":
        data["step"] = step_of(form, ctx, item.path)
    else:
        data["record_type"] = record_type
    data.update({"order": 0, "name": ctx.text(name)})
    help_text = texts(form, "help_text") or texts(form, "description")
    if help_text:
        data["help"] = ctx.text(help_text)
    if form.get("visible") is False:
        ctx.add(
            "approximated",
            item.path,
            form.line_of("visible"),
            f"form '{form_id}' is hidden in Primero (visible: false); imported as a visible section",
        )
    fields: list[dict[str, Any]] = []
    seen: set[str] = set()
    raw_fields = form.get("fields") or form.get("fields_attributes") or []
    if not isinstance(raw_fields, list):
        ctx.add("unreadable", item.path, form.line_of("fields"), f"form '{form_id}': fields are not a list")
        raw_fields = []
    for raw in raw_fields:
        if not isinstance(raw, Obj):
            continue
        converted = convert_field(raw, env, item.path, form_id)
        if converted is None:
            continue
        if record_type == "tracing_request" and converted["id"] in TRACING_REQUEST_FIELDS:
            ctx.add(
                "dropped",
                item.path,
                raw.line,
                f"form '{form_id}': field '{converted['id']}' is a fixed field of the sandbox's "
                f"tracing request; it is not imported as a configured field",
            )
            continue
        if record_type == "tracing_request":
            converted = _without_uploads(converted, ctx, item.path, raw.line, form_id)
            if converted is None:
                continue
        if converted["id"] in seen:
            ctx.add(
                "dropped",
                item.path,
                raw.line,
                f"form '{form_id}': field '{converted['id']}' appears twice; the second is dropped",
            )
            continue
        seen.add(converted["id"])
        fields.append(converted)
        result.field_count += 1 + len(converted.get("fields", []))
        if record_type != "case":
            continue  # a tracing request's fields are its own: not the case's field map
        first = result.fields.get(converted["id"])
        if first is None:
            result.fields[converted["id"]] = (form_id, converted)
            result.origins[converted["id"]] = (item.path, raw.line)
        elif _shape(first[1]) != _shape(converted):
            ctx.add(
                "approximated",
                item.path,
                raw.line,
                f"field '{converted['id']}' is defined differently on '{first[0]}' and '{form_id}'",
            )
    if not fields:
        ctx.add("not_imported", item.path, item.line, f"form '{form_id}' has no field the sandbox can show")
        return None
    data["fields"] = fields
    return Section(data, module, item.path, item.line)


def _without_uploads(field_def: dict[str, Any], ctx: Context, path: str, line: int,
                     form_id: str) -> dict[str, Any] | None:
    """A tracing request holds no documents: its photo and document fields are left out."""
    if field_def["type"] == "upload":
        ctx.add("dropped", path, line, f"form '{form_id}': field '{field_def['id']}' holds documents, "
                "which a tracing request does not keep here")
        return None
    columns = field_def.get("fields")
    if columns and any(c["type"] == "upload" for c in columns):
        kept = [c for c in columns if c["type"] != "upload"]
        ctx.add("dropped", path, line, f"form '{form_id}': the document columns of subform "
                f"'{field_def['id']}' are left out (a tracing request keeps no documents here)")
        if not kept:
            return None
        field_def = {**field_def, "fields": kept}
    return field_def


def _shape(field_def: dict[str, Any]) -> tuple[Any, ...]:
    return field_def["type"], field_def.get("lookup"), field_def.get("options_from")


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
