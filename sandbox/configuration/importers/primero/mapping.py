"""Propose a `mapping.yaml`: the SOP concepts portable scenarios name -> this bundle's ids.

Nothing here is certain: a role called "CP Manager" may be the supervisor who
approves case plans, or an agency head who only reads. So every entry carries a
comment saying what it was proposed from, ending in "confirm"; concepts nothing
matched are left out and listed in the import report for the implementer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .convert import ConvertedBundle
from .texts import Context, first_text

SERVICES = {
    "family_tracing": r"trac|reunif|ftr",
    "psychosocial": r"psycho|pss|mental|counsel",
    "health": r"health|medical|clinic",
    "education": r"educat|school",
    "legal": r"legal|justice|law",
    "safe_shelter": r"shelter|safe[ _-]?house|safe[ _-]?space",
    "livelihoods": r"livelihood|economic|cash|income",
    "alternative_care": r"alternative|foster|interim[ _-]?care|kinship",
    "reintegration": r"reintegr",
}
RISK = {
    "high": r"^high$|^alto$|high|sever|urgent",
    "medium": r"^medium$|medi|moderate",
    "low": r"^low$|low|bajo",
}
SEX = {
    "female": r"^f$|female|girl|woman|femenin|féminin|mujer",
    "male": r"^m$|^male$|boy|^man$|masculin|hombre",
}
#: Concept -> patterns of role ids and names, strongest first.
ROLE_NAMES = {
    "administrator": (r"administrator|superuser", r"admin|system"),
    "service_provider": (r"service[ _-]?provider", r"provider|referral"),
    "supervisor": (r"supervis",),
    "manager": (r"(?<!user )(?<!user-)manager", r"head|coordinator"),
    "case_worker": (r"case[ _-]?worker|caseworker|social[ _-]?worker",),
}
CORE_CONCEPTS = ("name_first", "name_last", "sex", "date_of_birth", "age", "location", "risk_level")


@dataclass
class Entry:
    value: Any
    comment: str


Mapping = dict[str, dict[str, Any]]


def propose_mapping(out: ConvertedBundle, ctx: Context, source_name: str) -> Mapping:
    """The proposal: {section: {concept: Entry or {concept: Entry}}}."""
    mapping: Mapping = {}
    mapping["roles"] = _roles(out)
    if out.agencies:
        mapping["agencies"] = {
            "lead": Entry(out.agencies[0]["id"], "proposed from the order of the source (its first agency)")
        }
    if out.user_groups:
        mapping["user_groups"] = {
            "lead": Entry(
                out.user_groups[0]["id"], "proposed from the order of the source (its first user group)"
            )
        }
    mapping["consent"] = {
        kind: Entry(key, f"proposed from the consent field for {kind}")
        for kind, key in out.consent_keys.items()
    }
    module = out.modules[0] if out.modules else None
    system = module["system_lookups"] if module else {}
    core = module["core_fields"] if module else {}
    mapping["services"] = _options_by_pattern(out, system.get("service_type"), SERVICES, "service type")
    risk_field = out.fields.get(core.get("risk_level", ""), {})
    mapping["risk"] = _options_by_pattern(out, risk_field.get("lookup"), RISK, "risk level")
    mapping["fields"] = {
        concept: Entry(core[concept], f"proposed from the core field '{core[concept]}'")
        for concept in CORE_CONCEPTS
        if concept in core
    }
    sex_field = out.fields.get(core.get("sex", ""), {})
    sex = _options_by_pattern(out, sex_field.get("lookup"), SEX, "sex")
    if sex:
        mapping["options"] = {"sex": sex}
    wanted = {
        "roles": tuple(ROLE_NAMES),
        "consent": ("services", "share_information", "tracing", "reporting"),
        "services": tuple(SERVICES),
        "risk": tuple(RISK),
        "fields": CORE_CONCEPTS,
    }
    for section, concepts in wanted.items():
        for concept in concepts:
            if concept not in mapping.get(section, {}):
                ctx.add(
                    "mapping",
                    source_name,
                    1,
                    f"{section}.{concept}: nothing in the source matches; "
                    "scenarios that need it cannot run until it is mapped",
                )
    for concept in SEX:
        if concept not in sex:
            ctx.add("mapping", source_name, 1, f"options.sex.{concept}: no option of the sex lookup matches")
    return {k: v for k, v in mapping.items() if v}


def _options_by_pattern(
    out: ConvertedBundle, lookup_id: str | None, patterns: dict[str, str], what: str
) -> dict[str, Entry]:
    if not lookup_id:
        return {}
    lookup = next((lk for lk in out.lookups if lk["id"] == lookup_id), None)
    if lookup is None:
        return {}
    found: dict[str, Entry] = {}
    used: set[str] = set()
    for concept, pattern in patterns.items():
        for option in lookup["options"]:
            label = first_text(option["label"])
            haystacks = [option["id"].lower(), label.lower(), *(t.lower() for t in option["label"].values())]
            if option["id"] not in used and any(re.search(pattern, h) for h in haystacks):
                found[concept] = Entry(option["id"], f"proposed from the {what} option '{label}'")
                used.add(option["id"])
                break
    return found


def _roles(out: ConvertedBundle) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    taken: set[str] = set()

    def name_of(role: dict[str, Any]) -> str:
        return f"{role['id']} {first_text(role['name'])}".lower()

    for concept, pattern in ((c, p) for c, patterns in ROLE_NAMES.items() for p in patterns):
        if concept in found:
            continue
        for role in out.roles:
            if role["id"] not in taken and re.search(pattern, name_of(role)):
                if (
                    concept == "manager"
                    and "supervisor" not in found
                    and role["scope"] == "group"
                    and any(p.startswith("approval.decide") for p in role["permissions"])
                ):
                    # Primero's "CP Manager" supervises a group of case workers and approves.
                    found["supervisor"] = Entry(
                        role["id"],
                        f"proposed from the name '{first_text(role['name'])}'"
                        " and its approval rights over a group",
                    )
                    taken.add(role["id"])
                    continue
                found[concept] = Entry(role["id"], f"proposed from the name '{first_text(role['name'])}'")
                taken.add(role["id"])
                break
    checks = {
        "case_worker": lambda p, r: "case.register" in p and "case_plan.save" in p,
        "supervisor": lambda p, r: any(x.startswith("approval.decide") for x in p) and r["scope"] == "group",
        "manager": lambda p, r: any(x.startswith("approval.decide") for x in p),
        "service_provider": lambda p, r: r.get("referral_recipient") and "case.register" not in p,
        "administrator": lambda p, r: r["scope"] == "all",
    }
    for concept, check in checks.items():
        if concept in found:
            continue
        for role in out.roles:
            if role["id"] not in taken and check(set(role["permissions"]), role):
                found[concept] = Entry(role["id"], "proposed from its permissions")
                taken.add(role["id"])
                break
    return {concept: found[concept] for concept in ROLE_NAMES if concept in found}
