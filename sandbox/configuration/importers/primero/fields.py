"""Convert one Primero field (and its skip logic) into a bundle field.

Primero's field types and flags map onto bundle format v2 as the table in
docs/implementers/primero-import.md says. Everything that cannot be said
exactly is converted to the nearest equivalent and reported with the field's
`PATH:LINE`; nothing is dropped silently except the properties in
`PRIMERO_MECHANICS`, which only drive Primero's own machinery (mobile sync,
duplicate matching, list columns, the form builder) that the sandbox does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .texts import ANY, Context, Text, has_options, options, texts
from .values import Item, Obj

SIMPLE_TYPES = {
    "text_field": "text",
    "textarea": "textarea",
    "radio_button": "radio",
    "tick_box": "tick_box",
    "numeric_field": "number",
    "separator": "separator",
    "subform": "subform",
}
UPLOADS = {
    "photo_upload_box": ["jpg", "jpeg", "png"],
    "document_upload_box": ["pdf", "doc", "docx", "jpg", "jpeg", "png"],
    "audio_upload_box": ["mp3", "m4a", "wav", "ogg"],
}
#: Types the sandbox has no equivalent for: (nearest type, why it is lossy).
LOSSY_TYPES = {
    "date_range": ("date", "a date range becomes one date"),
    "tally_field": ("number", "a tally (one count per category) becomes one number"),
    "custom": ("text", "a custom widget becomes a read-only text"),
    "calculated": ("number", "a calculated field becomes a read-only number (the formula is dropped)"),
    "signature": ("upload", "a signature becomes an upload"),
}
OPTIONS_FROM = {"Agency": "agencies", "User": "users", "UserGroup": "user_groups"}
LOCATION_SOURCES = {"Location", "ReportingLocation"}
COMPARISONS = {"gt": "gt", "ge": "ge", "lt": "lt", "le": "le"}
#: Properties handled by the conversion itself.
HANDLED = {
    "name",
    "type",
    "display_name",
    "help_text",
    "guiding_questions",
    "option_strings_text",
    "option_strings_source",
    "visible",
    "disabled",
    "editable",
    "required",
    "selected_value",
    "date_validation",
    "date_include_time",
    "multi_select",
    "subform",
    "subform_unique_id",
    "subform_section_unique_id",
    "subform_section_id",
    "display_conditions_record",
    "display_conditions_subform",
    "calculation",
    "tally",
}
#: Properties that only drive Primero's own machinery: ignored without a report line.
PRIMERO_MECHANICS = {
    "id",
    "order",
    "form_section_id",
    "mobile_visible",
    "show_on_minify_form",
    "matchable",
    "searchable_select",
    "subform_sort_by",
    "subform_sort_by_direction",
    "subform_group_by",
    "subform_section_configuration",
    "collapsed_field_for_subform_section_id",
    "collapsed_field_for_subform_unique_id",
    "created_at",
    "updated_at",
    "field_tags",
    "autosum_total",
    "autosum_group",
    "expose_unique_id",
    "form_section_unique_id",
}
LANG_SUFFIX = re.compile(r"^(.*)_(i18n|[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YES = ("true", "yes", "y", "1")


@dataclass
class FieldEnv:
    """What converting a field needs to know about the rest of the source."""

    ctx: Context
    #: lookup id -> its option ids (source lookups and generated ones).
    lookup_options: dict[str, list[str]]
    #: every form section of the source by id (nested ones included).
    forms: dict[str, Item]
    #: lookups made from inline options: id -> bundle lookup.
    generated: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: nested form ids used by a subform field.
    used_nested: set[str] = field(default_factory=set)
    #: field id -> its type and options, as first converted (for default values).
    converted: dict[str, dict[str, Any]] = field(default_factory=dict)


def base_property(key: str) -> str:
    match = LANG_SUFFIX.match(key)
    if match and match.group(1) in HANDLED | {"tick_box_label"}:
        return match.group(1)
    return key


def convert_field(raw: Obj, env: FieldEnv, path: str, form_id: str, nested: bool = False) -> dict | None:
    """The bundle field for `raw`, or None when it cannot be kept (reported)."""
    ctx = env.ctx
    name = raw.get("name")
    line = raw.line
    if not isinstance(name, str) or not name:
        ctx.add("unreadable", path, line, f"a field of form '{form_id}' has no name: not imported")
        return None
    ptype = raw.get("type")
    out: dict[str, Any] = {"id": name}
    label = texts(raw, "display_name")
    if not label:
        label = {ANY: name}
        ctx.add("generated", path, line, f"field '{name}' has no label: its name is used")
    if ptype in UPLOADS:
        out["type"] = "upload"
        out["accept"] = UPLOADS[ptype]
    elif ptype == "date_field":
        out["type"] = "datetime" if raw.get("date_include_time") is True else "date"
    elif ptype == "select_box":
        out["type"] = "multi_select" if raw.get("multi_select") is True else "select"
    elif ptype in SIMPLE_TYPES:
        out["type"] = SIMPLE_TYPES[ptype]
    elif ptype in LOSSY_TYPES:
        out["type"], why = LOSSY_TYPES[ptype]
        ctx.add("approximated", path, line, f"field '{name}' ({ptype}): {why}")
        if ptype in ("custom", "calculated"):
            out["readonly"] = True
        if ptype == "signature":
            out["accept"] = ["png", "jpg", "jpeg"]
    else:
        ctx.add("approximated", path, line, f"field '{name}': unknown type '{ptype}', imported as text")
        out["type"] = "text"
    out["label"] = ctx.text(label)
    help_text = _help(raw, ctx)
    if help_text:
        out["help"] = help_text
    if out["type"] == "separator":
        _report_dropped(
            raw,
            env,
            path,
            name,
            keep={"name", "type", "display_name", "help_text", "guiding_questions", "visible"},
        )
        return out

    if out["type"] in ("select", "multi_select", "radio"):
        if not _options(raw, out, env, path, form_id):
            return out
    if out["type"] == "subform":
        if not _subform(raw, out, env, path, name):
            return None
    _flags(raw, out, env, path)
    if out["type"] in ("date", "datetime") and raw.get("date_validation") not in (
        None,
        "default_date_validation",
    ):
        if raw.get("date_validation") == "not_future_date":
            out["validation"] = {"not_future": True}
        else:
            ctx.add(
                "dropped",
                path,
                raw.line_of("date_validation"),
                f"field '{name}': date validation '{raw.get('date_validation')}' has no equivalent",
            )
    condition_key = (
        "display_conditions_subform"
        if nested and raw.get("display_conditions_subform")
        else "display_conditions_record"
    )
    if raw.get(condition_key):
        condition = convert_condition(raw[condition_key])
        if isinstance(condition, str):
            ctx.add(
                "approximated",
                path,
                raw.line_of(condition_key),
                f"field '{name}': skip logic {condition} cannot be expressed; the field is always shown",
            )
        elif condition is not None:
            out["show_if"] = condition
    _report_dropped(raw, env, path, name)
    env.converted.setdefault(name, out)
    return out


def _help(raw: Obj, ctx: Context) -> Text | None:
    help_text = texts(raw, "help_text")
    questions = texts(raw, "guiding_questions")
    for lang, text in questions.items():
        help_text[lang] = f"{help_text[lang]}\n\n{text}" if lang in help_text else text
    return ctx.text(help_text) if help_text else None


def _options(raw: Obj, out: dict[str, Any], env: FieldEnv, path: str, form_id: str) -> bool:
    """Set `lookup` / `options_from` / location type; False when the field became text."""
    ctx, name = env.ctx, out["id"]
    source = raw.get("option_strings_source")
    line = raw.line_of("option_strings_source")
    if isinstance(source, str) and source.strip():
        words = source.split()
        if words[0] == "lookup":
            lookup_id = words[-1]
            if lookup_id in env.lookup_options:
                out["lookup"] = lookup_id
                return True
            ctx.add(
                "missing",
                path,
                line,
                f"field '{name}': lookup '{lookup_id}' is not in the source; imported as text",
            )
        elif words[0] in LOCATION_SOURCES:
            if out["type"] == "multi_select":
                ctx.add("approximated", path, line, f"field '{name}': several locations become one location")
            out["type"] = "location"
            return True
        elif words[0] in OPTIONS_FROM:
            out["options_from"] = OPTIONS_FROM[words[0]]
            return True
        else:
            ctx.add(
                "approximated",
                path,
                line,
                f"field '{name}': options from '{source}' have no equivalent; imported as text",
            )
    elif has_options(raw, "option_strings_text"):
        found = options(raw, "option_strings_text")
        if found:
            out["lookup"] = _generated_lookup(raw, out, found, env, path, form_id)
            return True
    elif out["type"] == "radio":
        ctx.add(
            "missing", path, raw.line, f"field '{name}': a radio button without options; imported as text"
        )
    else:
        ctx.add("missing", path, raw.line, f"field '{name}': a select box without options; imported as text")
    out["type"] = "text"
    return False


def _generated_lookup(
    raw: Obj, out: dict[str, Any], found: list, env: FieldEnv, path: str, form_id: str
) -> str:
    name = out["id"]
    option_ids = [o.id for o in found]
    lookup_id = f"field-{name}"
    if lookup_id in env.lookup_options and env.lookup_options[lookup_id] != option_ids:
        lookup_id = f"field-{form_id}-{name}"
    if lookup_id not in env.lookup_options:
        env.lookup_options[lookup_id] = option_ids
        env.generated[lookup_id] = {
            "id": lookup_id,
            "name": env.ctx.text(dict(out["label"])),
            "options": [{"id": o.id, "label": env.ctx.text(o.label or {ANY: o.id})} for o in found],
        }
        env.ctx.add(
            "generated",
            path,
            raw.line_of("option_strings_text_en") if "option_strings_text_en" in raw else raw.line,
            f"field '{name}': its own options became the lookup '{lookup_id}'",
        )
    return lookup_id


def _subform(raw: Obj, out: dict[str, Any], env: FieldEnv, path: str, name: str) -> bool:
    ctx = env.ctx
    ref: Any = None
    for key in ("subform", "subform_unique_id", "subform_section_unique_id", "subform_section_id"):
        if raw.get(key) is not None:
            ref = raw[key]
            break
    nested_id = ref.get("unique_id") if isinstance(ref, Obj) else ref
    nested = env.forms.get(str(nested_id)) if nested_id is not None else None
    if nested is None:
        ctx.add(
            "missing",
            path,
            raw.line,
            f"subform field '{name}': its form '{nested_id}' is not in the source; not imported",
        )
        return False
    env.used_nested.add(str(nested_id))
    columns: list[dict] = []
    seen: set[str] = set()
    raw_fields = nested.data.get("fields") or nested.data.get("fields_attributes") or []
    for column_raw in raw_fields:
        if not isinstance(column_raw, Obj):
            continue
        if column_raw.get("type") == "subform":
            inner = next(
                (
                    column_raw[k]
                    for k in ("subform", "subform_unique_id", "subform_section_unique_id")
                    if column_raw.get(k) is not None
                ),
                None,
            )
            env.used_nested.add(str(inner.get("unique_id") if isinstance(inner, Obj) else inner))
            ctx.add(
                "approximated",
                nested.path,
                column_raw.line,
                f"subform '{name}': the subform column '{column_raw.get('name')}' inside it "
                "cannot be nested; not imported",
            )
            continue
        column = convert_field(column_raw, env, nested.path, str(nested_id), nested=True)
        if column is None or column["type"] == "separator":
            if column is not None:
                ctx.add(
                    "dropped",
                    nested.path,
                    column_raw.line,
                    f"subform '{name}': the separator '{column['id']}' has no place in a subform row",
                )
            continue
        if column["id"] in seen:
            ctx.add(
                "dropped",
                nested.path,
                column_raw.line,
                f"subform '{name}': column '{column['id']}' appears twice; the second is dropped",
            )
            continue
        seen.add(column["id"])
        columns.append(column)
    if not columns:
        ctx.add("missing", path, raw.line, f"subform field '{name}': its form has no field; not imported")
        return False
    out["fields"] = columns
    return True


def _flags(raw: Obj, out: dict[str, Any], env: FieldEnv, path: str) -> None:
    ctx, name = env.ctx, out["id"]
    if raw.get("visible") is False:
        out["hidden"] = True
    if raw.get("disabled") is True or raw.get("editable") is False:
        out["readonly"] = True
    if raw.get("required") is True:
        if out.get("hidden"):
            ctx.add(
                "approximated",
                path,
                raw.line_of("required"),
                f"field '{name}' is hidden and required: required is dropped",
            )
        else:
            out["required"] = True
    if raw.get("selected_value") not in (None, ""):
        value = _default(raw["selected_value"], out, env)
        if value is None:
            ctx.add(
                "dropped",
                path,
                raw.line_of("selected_value"),
                f"field '{name}': default value {raw['selected_value']!r} is not valid for a {out['type']}",
            )
        else:
            out["default"] = value


def _default(value: Any, out: dict[str, Any], env: FieldEnv) -> Any:
    kind = out["type"]
    if kind in ("select", "radio", "multi_select") and "lookup" in out:
        return str(value) if str(value) in env.lookup_options.get(out["lookup"], []) else None
    if kind == "tick_box":
        return str(value).lower() in YES if str(value).lower() in (*YES, "false", "no", "n", "0") else None
    if kind == "number":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if kind == "date":
        return value if value == "today" or (isinstance(value, str) and DATE.match(value)) else None
    if kind == "datetime":
        return "now" if value in ("now", "today") else (value if isinstance(value, str) else None)
    if kind in ("text", "textarea"):
        return str(value)
    return None


def _report_dropped(raw: Obj, env: FieldEnv, path: str, name: str, keep: set[str] | None = None) -> None:
    keep = HANDLED if keep is None else keep
    for key, value in raw.items():
        base = base_property(key)
        if base in keep or base in PRIMERO_MECHANICS or key in PRIMERO_MECHANICS:
            continue
        if value is None or value is False or value in ("", [], {}):
            continue
        env.ctx.add("dropped", path, raw.line_of(key), f"field '{name}': '{base}' has no equivalent")


def convert_condition(expr: Any) -> dict | str | None:
    """A bundle `show_if` for a Primero display condition.

    None when the condition is disabled or empty; a string naming the construct
    when it cannot be expressed.
    """
    if not isinstance(expr, dict):
        return repr(expr)
    if expr.get("disabled") is True:
        return None
    conditions: list[dict] = []
    for op, value in expr.items():
        if op == "disabled":
            continue
        if op in ("and", "or"):
            parts = [convert_condition(v) for v in (value if isinstance(value, list) else [value])]
            bad = next((p for p in parts if not isinstance(p, dict)), None)
            if bad is not None or not parts:
                return bad if isinstance(bad, str) else f"'{op}' without conditions"
            conditions.append({"all" if op == "and" else "any": parts})
        elif op == "not":
            part = convert_condition(value)
            if not isinstance(part, dict):
                return part if isinstance(part, str) else "'not' without a condition"
            conditions.append({"not": part})
        elif op in ("eq", "in", *COMPARISONS):
            if not isinstance(value, dict) or not value:
                return f"'{op}' without a field"
            for field_name, target in value.items():
                if op == "in" or (op == "eq" and isinstance(target, list)):
                    targets = list(target) if isinstance(target, list) else [target]
                    conditions.append({"field": field_name, "in": targets})
                elif op == "eq":
                    conditions.append({"field": field_name, "equals": target})
                else:
                    conditions.append({"field": field_name, COMPARISONS[op]: target})
        else:
            return f"'{op}'"
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"all": conditions}
