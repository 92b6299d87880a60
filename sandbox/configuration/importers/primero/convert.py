"""Turn everything read from a Primero source into the data of a bundle (format v2).

`convert(source, ...)` returns a `ConvertedBundle`: plain dicts and lists, one
per bundle file, still holding translated texts with the `ANY` marker (expanded
by the writer once the bundle's languages are known). Ids and option values are
never changed: real case records store them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .access import convert_agency, convert_role, convert_user_group, requested_approvals
from .fields import FieldEnv
from .forms import convert_forms, form_modules
from .texts import ANY, Context, Text, first_text, options, texts
from .values import Obj, PrimeroSource

#: Primero's field names for the sandbox's core fields, with the types they must have.
CORE_FIELDS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "name_first": (("name_first",), {"text"}),
    "name_last": (("name_last", "surname"), {"text"}),
    "sex": (("sex", "gender"), {"select", "radio"}),
    "date_of_birth": (("date_of_birth",), {"date"}),
    "age": (("age",), {"number"}),
    "location": (("location_current", "location_caregiver", "owned_by_location"), {"location"}),
    "risk_level": (("risk_level",), {"select", "radio"}),
}
#: System lookups: Primero lookup ids, then fields whose lookup serves the purpose.
SYSTEM_LOOKUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "service_type": (("lookup-service-type",), ("service_type",)),
    "referral_reason": (
        ("lookup-referral-reason", "lookup-service-referral-reason"),
        ("referral_reason", "service_referral_reason"),
    ),
    "followup_type": (("lookup-followup-type", "lookup-follow-up-type"), ("followup_type",)),
    "closure_reason": (("lookup-closure-reason", "lookup-case-closure-reason"), ("closure_reason",)),
    "consent_type": (("lookup-consent-type",), ("consent_type",)),
    "need": (("lookup-need", "lookup-needs", "lookup-service-need"), ("need", "needs", "service_need")),
    "urgency": (("lookup-urgency", "lookup-service-urgency"), ("urgency", "service_urgency")),
}
REQUIRED_SYSTEM_LOOKUPS = (
    "service_type",
    "referral_reason",
    "followup_type",
    "closure_reason",
    "consent_type",
    "need",
)
#: Consent kinds -> Primero field names recording them, and words naming them in a consent type.
CONSENT_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "services": (("consent_for_services",), r"service"),
    "share_information": (
        (
            "disclosure_other_orgs",
            "consent_share_other_orgs",
            "consent_for_sharing",
            "consent_info_sharing_yes",
        ),
        r"shar|disclos|information",
    ),
    "tracing": (("consent_for_tracing",), r"trac"),
    "reporting": (("consent_reporting", "consent_for_reporting"), r"report"),
}
MODULE_NAMES = {"cp": "Child protection", "gbv": "Gender-based violence", "mrm": "Monitoring and reporting"}
YES = ("true", "yes", "y", "1")


@dataclass
class ConvertedBundle:
    bundle: dict[str, Any] = field(default_factory=dict)
    modules: list[dict[str, Any]] = field(default_factory=list)
    lookups: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    user_groups: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    policies: list[dict[str, Any]] = field(default_factory=list)
    #: rows: code, parent, admin_level, {lang: name}
    locations: list[tuple[str, str, int, Text]] = field(default_factory=list)
    #: field id -> bundle field (first occurrence), for the mapping proposal.
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: field id -> (path, line) where the source defines it.
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: consent kind (services, tracing...) -> the key policy.yaml uses for it.
    consent_keys: dict[str, str] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)


def convert(source: PrimeroSource, ctx: Context, bundle_id: str, source_name: str) -> ConvertedBundle:
    out = ConvertedBundle()
    for kind, path, line in source.skipped:
        ctx.add("not_imported", path, line, f"{kind}: the sandbox has no place for it")

    lookup_options = _lookups(source, ctx, out)
    all_forms = source.of_kind("form_section")
    forms_by_id = {str(f.data.get("unique_id")): f for f in all_forms}
    env = FieldEnv(ctx, lookup_options, forms_by_id)

    module_items = [
        m for m in source.of_kind("module") if "case" in (m.data.get("associated_record_types") or ["case"])
    ]
    for module in source.of_kind("module"):
        if module not in module_items:
            ctx.add(
                "not_imported",
                module.path,
                module.line,
                f"module '{module.data.get('unique_id')}' has no case records",
            )
    membership = form_modules(all_forms, module_items, ctx)
    module_ids = [str(m.data.get("unique_id")) for m in module_items]
    if not module_ids:
        named = [m for ids in membership.values() for m in ids]
        module_ids = [named[0]] if named else ["primeromodule-cp"]
        ctx.add(
            "generated",
            source.items[0].path if source.items else source_name,
            1,
            f"the source has no module: module '{module_ids[0]}' holds every case form",
        )
    forms = convert_forms(all_forms, env, membership, module_ids)
    out.sections = [s.data for s in forms.sections]
    out.fields = {field_id: field_def for field_id, (_, field_def) in forms.fields.items()}
    out.origins = forms.origins
    out.lookups.extend(env.generated.values())
    used_modules = [m for m in module_ids if any(s.module == m for s in forms.sections)]

    for module_id in used_modules:
        item = next((m for m in module_items if str(m.data.get("unique_id")) == module_id), None)
        out.modules.append(_module(module_id, item, ctx, out, source_name))

    section_ids = [s["id"] for s in out.sections]
    for item in source.of_kind("role"):
        out.roles.append(convert_role(item, ctx, section_ids, module_ids))
    service_lookup = out.modules[0]["system_lookups"].get("service_type") if out.modules else None
    service_options = lookup_options.get(service_lookup, []) if service_lookup else []
    for item in source.of_kind("agency"):
        out.agencies.append(convert_agency(item, ctx, service_options))
    agency_ids = [a["id"] for a in out.agencies]
    for item in source.of_kind("user_group"):
        out.user_groups.append(convert_user_group(item, ctx, agency_ids))
    for module in out.modules:
        out.policies.append(_policy(module, out, ctx, lookup_options, source_name))
    admin_levels = _locations(source, ctx, out, source_name)
    out.bundle = {
        "id": bundle_id,
        "version": 1,
        "name": ctx.text({ANY: f"{source_name} (imported from Primero)"}),
        "languages": [],
        "admin_levels": admin_levels,
    }
    out.summary = {
        "files_read": source.files_read,
        "form_sections": len(out.sections),
        "fields": forms.field_count,
        "lookups": len(out.lookups),
        "generated_lookups": len(env.generated),
        "options": sum(len(lookup["options"]) for lookup in out.lookups),
        "roles": len(out.roles),
        "agencies": len(out.agencies),
        "user_groups": len(out.user_groups),
        "locations": len(out.locations),
        "modules": len(out.modules),
    }
    return out


def _lookups(source: PrimeroSource, ctx: Context, out: ConvertedBundle) -> dict[str, list[str]]:
    lookup_options: dict[str, list[str]] = {}
    for item in source.of_kind("lookup"):
        data = item.data
        lookup_id = data.get("unique_id")
        if not isinstance(lookup_id, str) or not lookup_id:
            ctx.add("unreadable", item.path, item.line, "a lookup without unique_id: not imported")
            continue
        if lookup_id in lookup_options:
            ctx.add(
                "dropped",
                item.path,
                item.line,
                f"lookup '{lookup_id}' is defined twice; the second is dropped",
            )
            continue
        found = []
        for option in options(data, "lookup_values"):
            if not _valid_option_id(option.id):
                ctx.add(
                    "dropped",
                    item.path,
                    option.line,
                    f"lookup '{lookup_id}': option id {option.id!r} cannot be stored (white space at "
                    "either end, control characters or over 200 characters)",
                )
                continue
            if option.disabled:
                ctx.add(
                    "approximated",
                    item.path,
                    option.line,
                    f"lookup '{lookup_id}': option '{option.id}' is disabled in Primero; kept (records may "
                    "hold it)",
                )
            found.append(option)
        if not found:
            ctx.add("not_imported", item.path, item.line, f"lookup '{lookup_id}' has no options")
            continue
        lookup_options[lookup_id] = [o.id for o in found]
        out.lookups.append(
            {
                "id": lookup_id,
                "name": ctx.text(texts(data, "name") or {ANY: lookup_id}),
                "options": [{"id": o.id, "label": ctx.text(o.label or {ANY: o.id})} for o in found],
            }
        )
    return lookup_options


def _valid_option_id(value: str) -> bool:
    return 0 < len(value) <= 200 and value == value.strip() and not re.search(r"[\x00-\x1f\x7f]", value)


def _module(
    module_id: str, item: Any, ctx: Context, out: ConvertedBundle, source_name: str
) -> dict[str, Any]:
    path = item.path if item is not None else source_name
    line = item.line if item is not None else 1
    if item is not None:
        name = texts(item.data, "description") or texts(item.data, "name")
    else:
        name = {}
    if not name:
        short = module_id.removeprefix("primeromodule-")
        name = {ANY: MODULE_NAMES.get(short, short)}
    module_sections = {s["id"] for s in out.sections if s["module"] == module_id
                       and s.get("record_type", "case") == "case"}
    module_fields: dict[str, dict[str, Any]] = {}
    for section in out.sections:
        if section["id"] in module_sections:
            for field_def in section["fields"]:
                module_fields.setdefault(field_def["id"], field_def)
    core: dict[str, str] = {}
    for concept, (names, types) in CORE_FIELDS.items():
        found = next((n for n in names if n in module_fields and module_fields[n]["type"] in types), None)
        if found is None:
            wrong = next((n for n in names if n in module_fields), None)
            detail = (
                f"'{wrong}' is a {module_fields[wrong]['type']}" if wrong else f"no field {' / '.join(names)}"
            )
            ctx.add(
                "missing",
                path,
                line,
                f"module '{module_id}': core field {concept} ({'/'.join(sorted(types))}): {detail}",
            )
            continue
        core[concept] = found
    system: dict[str, str] = {}
    known = {lookup["id"] for lookup in out.lookups}
    for concept, (lookup_ids, field_names) in SYSTEM_LOOKUPS.items():
        found = next((lid for lid in lookup_ids if lid in known), None)
        if found is None:
            found = next(
                (
                    module_fields[f]["lookup"]
                    for f in field_names
                    if f in module_fields and module_fields[f].get("lookup")
                ),
                None,
            )
        if found is None:
            if concept in REQUIRED_SYSTEM_LOOKUPS:
                ctx.add(
                    "missing",
                    path,
                    line,
                    f"module '{module_id}': system lookup {concept}: none of {', '.join(lookup_ids)}; "
                    "omitted (actions that need it will say so)",
                )
            continue
        system[concept] = found
    return {
        "id": module_id,
        "name": ctx.text(name),
        "record_type": "case",
        "core_fields": core,
        "system_lookups": system,
    }


def _policy(
    module: dict[str, Any],
    out: ConvertedBundle,
    ctx: Context,
    lookup_options: dict[str, list[str]],
    source_name: str,
) -> dict[str, Any]:
    module_id = module["id"]
    policy: dict[str, Any] = {"module": module_id}
    ctx.add(
        "missing",
        source_name,
        1,
        f"module '{module_id}': Primero has no deadlines per risk level; "
        "none are set (tasks get no due date)",
    )
    kinds = requested_approvals(out.roles)
    if kinds:
        policy["approvals"] = {kind: {"required": False} for kind in kinds}
        ctx.add(
            "generated",
            source_name,
            1,
            f"approvals {', '.join(kinds)} (requested by some role) are optional, as in Primero; "
            "set required: true in policy.yaml to make one gate the next step",
        )
    consent_lookup = module["system_lookups"].get("consent_type")
    consent_options = out_options(out, consent_lookup) if consent_lookup else {}
    fields_map: dict[str, Any] = {}
    for kind, (names, pattern) in CONSENT_KINDS.items():
        field_id = next((n for n in names if n in out.fields), None)
        if field_id is None:
            continue
        field_def = out.fields[field_id]
        path, line = out.origins.get(field_id, (source_name, 1))
        if field_def["type"] == "tick_box":
            value: Any = field_id
        elif field_def["type"] in ("radio", "select") and field_def.get("lookup"):
            given = next((o for o in lookup_options.get(field_def["lookup"], []) if o.lower() in YES), None)
            if given is None:
                ctx.add(
                    "missing",
                    path,
                    line,
                    f"consent field '{field_id}': no option means 'yes' in '{field_def['lookup']}'",
                )
                continue
            value = {"field": field_id, "given": given}
        else:
            continue
        key = next(
            (oid for oid, label in consent_options.items() if re.search(pattern, f"{oid} {label}".lower())),
            None,
        )
        if key is None:
            ctx.add(
                "missing",
                path,
                line,
                f"consent field '{field_id}' ({kind}): no consent type option "
                "names it; keyed by the concept name",
            )
            key = kind
        fields_map[key] = value
        out.consent_keys[kind] = key
    share = next(
        (
            k
            for k, v in fields_map.items()
            if (v if isinstance(v, str) else v["field"]) in CONSENT_KINDS["share_information"][0]
        ),
        None,
    )
    consent: dict[str, Any] = {"fields": fields_map}
    if share is not None:
        consent["required"] = {"referral.create": [share], "transfer.create": [share]}
    policy["consent"] = consent
    return policy


def out_options(out: ConvertedBundle, lookup_id: str) -> dict[str, str]:
    lookup = next((lk for lk in out.lookups if lk["id"] == lookup_id), None)
    return {o["id"]: first_text(o["label"]) for o in lookup["options"]} if lookup else {}


def _locations(source: PrimeroSource, ctx: Context, out: ConvertedBundle, source_name: str) -> list[dict]:
    types_by_level: dict[int, Counter[str]] = {}
    seen: set[str] = set()
    for item in source.of_kind("location"):
        data: Obj = item.data
        code = data.get("location_code")
        level = data.get("admin_level")
        if not isinstance(code, str) or not isinstance(level, int):
            ctx.add("unreadable", item.path, item.line, "a location without location_code or admin_level")
            continue
        if code in seen:
            ctx.add(
                "dropped", item.path, item.line, f"location '{code}' appears twice; the second is dropped"
            )
            continue
        seen.add(code)
        hierarchy = str(data.get("hierarchy_path") or "").split(".")
        parent = str(data.get("parent_code") or (hierarchy[-2] if len(hierarchy) > 1 else ""))
        name = texts(data, "placename") or texts(data, "name") or {ANY: code}
        out.locations.append((code, parent, level, ctx.text(name)))
        types_by_level.setdefault(level, Counter())[str(data.get("type") or "")] += 1
    if not out.locations:
        ctx.add("generated", source_name, 1, "the source has no locations: one country 'XX' was created")
        out.locations.append(("XX", "", 0, ctx.text({ANY: "Country"})))
        types_by_level[0] = Counter({"country": 1})
    type_labels = {
        o["id"]: o["label"] for lk in out.lookups if lk["id"] == "lookup-location-type" for o in lk["options"]
    }
    levels = []
    for level in sorted(types_by_level):
        kind = types_by_level[level].most_common(1)[0][0]
        name = type_labels.get(kind) or (
            {ANY: kind.replace("_", " ").capitalize()} if kind else {ANY: f"Level {level}"}
        )
        levels.append({"level": level, "name": ctx.text(dict(name))})
    return levels
