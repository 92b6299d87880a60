"""Propose the agencies, user groups, locations and fields of mapping.yaml.

Agencies are recognised by the services they provide (an agency providing
family tracing is proposed as the `tracing` agency) or by their names; user
groups by the agencies they belong to; places where children live by the names
of the lowest level of locations; fields by Primero's field names.
"""

from __future__ import annotations

import re
from typing import Any

from .convert import ConvertedBundle
from .mapping import Entry
from .texts import first_text
from .vocabulary_hints import (
    AGENCY_CONCEPTS,
    DISTRICT_OF,
    FIELD_CONCEPTS,
    GROUP_CONCEPTS,
    LEAD_AGENCY,
    LOCATION_CONCEPTS,
    SUBFORM_COLUMNS,
)


def propose_agencies(out: ConvertedBundle, services: dict[str, Entry]) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    if not out.agencies:
        return found
    lead = next((a for a in out.agencies if re.search(LEAD_AGENCY, _name(a))), None)
    if lead is not None:
        found["lead"] = Entry(lead["id"], f"proposed from the name '{first_text(lead['name'])}'")
    else:
        lead = out.agencies[0]
        found["lead"] = Entry(lead["id"], "proposed from the order of the source (its first agency)")
    for concept, (service_concepts, pattern) in AGENCY_CONCEPTS.items():
        agency = None
        for service in service_concepts:
            option = services.get(service)
            agency = next((a for a in out.agencies if option and option.value in a.get("services", [])), None)
            if agency is not None:
                found[concept] = Entry(agency["id"], f"proposed from the service it provides "
                                                     f"('{option.value}')")  # type: ignore[union-attr]
                break
        if agency is None:
            agency = next((a for a in out.agencies if re.search(pattern, _name(a))), None)
            if agency is not None:
                found[concept] = Entry(agency["id"], f"proposed from the name '{first_text(agency['name'])}'")
    return found


def propose_groups(out: ConvertedBundle, agencies: dict[str, Entry]) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for concept, agency_concept in GROUP_CONCEPTS.items():
        agency = agencies.get(agency_concept)
        if agency is None:
            continue
        # A group of that agency alone first, then any group it belongs to.
        groups = [g for g in out.user_groups if agency.value in g.get("agencies", [])]
        groups.sort(key=lambda g: len(g.get("agencies", [])))
        if groups:
            found[concept] = Entry(groups[0]["id"], f"proposed from its agency '{agency.value}'")
    return found


def propose_locations(out: ConvertedBundle) -> dict[str, Entry]:
    if not out.locations:
        return {}
    lowest = max(level for _, _, level, _ in out.locations)
    places = [(code, parent, names) for code, parent, level, names in out.locations if level == lowest]
    found: dict[str, Entry] = {}
    used: set[str] = set()
    for concept, pattern in LOCATION_CONCEPTS.items():
        for code, _, names in places:
            text = " ".join(names.values()).lower()
            reuse = concept == "home_village"  # a child's home village may be any rural village
            if (reuse or code not in used) and re.search(pattern, text):
                found[concept] = Entry(code, f"proposed from the name '{first_text(names)}'")
                used.add(code)
                break
    parents = {code: parent for code, parent, _ in places}
    for concept, place in DISTRICT_OF.items():
        if place in found and parents.get(found[place].value):
            found[concept] = Entry(parents[found[place].value], f"proposed as the area holding {place}")
    return found


def propose_fields(out: ConvertedBundle) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    consent_fields = {"services": "consent_services", "share_information": "consent_share_information",
                      "tracing": "consent_tracing", "reporting": "consent_reporting"}
    policy = out.policies[0] if out.policies else {}
    fields = policy.get("consent", {}).get("fields", {})
    for kind, key in out.consent_keys.items():
        value: Any = fields.get(key)
        field_id = value if isinstance(value, str) else (value or {}).get("field")
        if field_id:
            why = f"proposed from the consent field of the policy for {kind}"
            found[consent_fields[kind]] = Entry(field_id, why)
    for concept, names in FIELD_CONCEPTS.items():
        field_id = next((n for n in names if n in out.fields), None)
        if field_id is not None:
            found[concept] = Entry(field_id, f"proposed from the field '{field_id}'")
    plan = next((f for s in out.sections if s.get("step") == "case_plan" for f in s["fields"]
                 if f["type"] == "subform"), None)
    if plan is not None and "case_plan_items" not in found:
        found["case_plan_items"] = Entry(plan["id"], "proposed as the subform of the case plan")
    for concept, columns in SUBFORM_COLUMNS.items():
        subform = out.fields.get(found[concept].value) if concept in found else None
        column_ids = {c["id"] for c in (subform or {}).get("fields", [])}
        for column, names in columns.items():
            column_id = next((n for n in names if n in column_ids), None)
            if column_id is not None:
                found[f"{concept}.{column}"] = Entry(column_id, f"proposed from the column '{column_id}'")
    return found


def _name(agency: dict[str, Any]) -> str:
    return f"{agency['id']} {' '.join(agency['name'].values())}".lower()
