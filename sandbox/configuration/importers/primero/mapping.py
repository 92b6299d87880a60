"""Propose a `mapping.yaml`: the SOP concepts portable scenarios name -> this bundle's ids.

Nothing here is certain: a role called "CP Manager" may be the supervisor who
approves case plans, or an agency head who only reads. So every entry carries a
comment saying what it was proposed from, ending in "confirm"; concepts nothing
matched are left out and listed in the import report for the implementer. The
concept names are those of the scenario vocabulary; the hints that match them
are in `vocabulary_hints.py`; agencies, user groups, locations and fields are
proposed in `mapping_world.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .convert import ConvertedBundle
from .texts import Context, first_text
from .vocabulary_hints import OPTION_KINDS, RISK, ROLE_NAMES, SEX

CORE_CONCEPTS = ("name_first", "name_last", "sex", "date_of_birth", "age", "location", "risk_level")
CONSENT_KINDS = ("services", "share_information", "tracing", "reporting")


@dataclass
class Entry:
    value: Any
    comment: str


Mapping = dict[str, dict[str, Any]]


def propose_mapping(out: ConvertedBundle, ctx: Context, source_name: str) -> Mapping:
    """The proposal: {kind: {concept: Entry, or {option concept: Entry} for options}}."""
    from .mapping_world import propose_agencies, propose_fields, propose_groups, propose_locations

    module = out.modules[0] if out.modules else None
    system = module["system_lookups"] if module else {}
    core = module["core_fields"] if module else {}
    mapping: Mapping = {"modules": _modules(out), "roles": _roles(out)}
    option_kinds = {kind: _options_by_pattern(out, system.get(lookup), patterns, kind.replace("_", " "))
                    for kind, (lookup, patterns) in OPTION_KINDS.items()}
    mapping["agencies"] = propose_agencies(out, option_kinds["services"])
    mapping["user_groups"] = propose_groups(out, mapping["agencies"])
    mapping["consent"] = {kind: Entry(key, f"proposed from the consent field for {kind}")
                          for kind, key in out.consent_keys.items()}
    mapping.update(option_kinds)
    risk_field = out.fields.get(core.get("risk_level", ""), {})
    mapping["risk"] = _options_by_pattern(out, risk_field.get("lookup"), RISK, "risk level")
    mapping["fields"] = {concept: Entry(core[concept], f"proposed from the core field '{core[concept]}'")
                         for concept in CORE_CONCEPTS if concept in core}
    mapping["fields"].update(propose_fields(out))
    sex_field = out.fields.get(core.get("sex", ""), {})
    sex = _options_by_pattern(out, sex_field.get("lookup"), SEX, "sex")
    if sex:
        mapping["options"] = {"sex": sex}
    mapping["locations"] = propose_locations(out)
    _report_unmatched(mapping, ctx, source_name)
    return {kind: entries for kind, entries in mapping.items() if entries}


def _modules(out: ConvertedBundle) -> dict[str, Entry]:
    """`cp` and `gbv` from Primero's module ids (primeromodule-cp, primeromodule-gbv)."""
    found: dict[str, Entry] = {}
    for module in out.modules:
        ident = str(module["id"])
        for concept in ("cp", "gbv"):
            if concept not in found and re.search(rf"(^|[-_]){concept}($|[-_])", ident.lower()):
                found[concept] = Entry(ident, f"proposed from the module id '{ident}'")
    if "cp" not in found and len(out.modules) == 1:
        ident = str(out.modules[0]["id"])
        found["cp"] = Entry(ident, f"proposed: '{ident}' is the only module")
    return found


def _report_unmatched(mapping: Mapping, ctx: Context, source_name: str) -> None:
    from .vocabulary_hints import AGENCY_CONCEPTS, DISTRICT_OF, GROUP_CONCEPTS, LOCATION_CONCEPTS

    wanted: dict[str, tuple[str, ...]] = {
        "modules": ("cp",),
        "roles": tuple(ROLE_NAMES),
        "agencies": ("lead", *AGENCY_CONCEPTS),
        "user_groups": tuple(GROUP_CONCEPTS),
        "consent": CONSENT_KINDS,
        **{kind: tuple(patterns) for kind, (_, patterns) in OPTION_KINDS.items()},
        "risk": tuple(RISK),
        "fields": CORE_CONCEPTS,
        "locations": (*LOCATION_CONCEPTS, *DISTRICT_OF),
    }
    for kind, concepts in wanted.items():
        missing = [c for c in concepts if c not in mapping.get(kind, {})]
        if missing:
            ctx.add("mapping", source_name, 1,
                    f"{kind}: nothing in the source matches {', '.join(missing)}; scenarios that need "
                    "them cannot run until they are mapped")
    sex = mapping.get("options", {}).get("sex", {})
    for concept in SEX:
        if concept not in sex:
            ctx.add("mapping", source_name, 1, f"options.sex.{concept}: no option of the sex lookup matches")


def _options_by_pattern(out: ConvertedBundle, lookup_id: str | None, patterns: dict[str, str],
                        what: str) -> dict[str, Entry]:
    """Each concept -> the first option of the lookup whose id or label matches its pattern."""
    lookup = next((lk for lk in out.lookups if lk["id"] == lookup_id), None) if lookup_id else None
    if lookup is None:
        return {}
    found: dict[str, Entry] = {}
    for concept, pattern in patterns.items():
        for option in lookup["options"]:
            label = first_text(option["label"])
            haystacks = [option["id"].lower(), *(t.lower() for t in option["label"].values())]
            if any(re.search(pattern, h) for h in haystacks):
                found[concept] = Entry(option["id"], f"proposed from the {what} option '{label}'")
                break
    return found


def _roles(out: ConvertedBundle) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    taken: set[str] = set()

    def name_of(role: dict[str, Any]) -> str:
        return f"{role['id']} {first_text(role['name'])}".lower()

    def decides(role: dict[str, Any]) -> bool:
        return any(p.startswith("approval.decide") for p in role["permissions"])

    for concept, pattern in ((c, p) for c, patterns in ROLE_NAMES.items() for p in patterns):
        if concept in found:
            continue
        for role in out.roles:
            if role["id"] in taken or not re.search(pattern, name_of(role)):
                continue
            name = first_text(role["name"])
            if concept == "manager" and "supervisor" not in found and role["scope"] == "group" \
                    and decides(role):
                # Primero's "CP Manager" supervises a group of case workers and approves.
                found["supervisor"] = Entry(role["id"], f"proposed from the name '{name}' and its "
                                                        "approval rights over a group")
                taken.add(role["id"])
                continue
            found[concept] = Entry(role["id"], f"proposed from the name '{name}'")
            taken.add(role["id"])
            break
    checks = {
        "case_worker": lambda r: {"case.register", "case_plan.save"} <= set(r["permissions"]),
        "supervisor": lambda r: decides(r) and r["scope"] == "group",
        "manager": decides,
        "service_provider": lambda r: r.get("referral_recipient") and "case.register" not in r["permissions"],
        "administrator": lambda r: r["scope"] == "all",
    }
    for concept, check in checks.items():
        if concept in found:
            continue
        role = next((r for r in out.roles if r["id"] not in taken and check(r)), None)
        if role is not None:
            found[concept] = Entry(role["id"], "proposed from its permissions")
            taken.add(role["id"])
    return {concept: found[concept] for concept in ROLE_NAMES if concept in found}
