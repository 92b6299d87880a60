"""Write the scenario documentation that is generated from code and files (run after
changing scenarios/, the scenario schema or the concept vocabulary):

- docs/trainers/scenarios.md, from the scenario library;
- docs/authoring/scenario-schema.json, from the scenario schema;
- docs/authoring/vocabulary.md and its French page vocabulary.fr.md, from the concept
  vocabulary (the French text is in `scripts/vocabulary_fr.py`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """# The scenario library

Each scenario is a file in `scenarios/`. Seed one into a practice space with
`manage.py seed_scenario ID --space SLUG`, or assign it to a workshop's trainees
(see [Running a workshop](workshops.md)). Scenarios name SOP concepts, so each runs on
any configuration bundle that maps them (`mapping.yaml`); the bundle column is the one
it is seeded on by default. This page is generated from the files by
`python -m scripts.gen_scenario_docs`; a test keeps it in step.

| scenario | level | minutes | bundle | languages | focal / background cases | rules |
|---|---|---|---|---|---|---|
"""

#: The keys of mapping.yaml, as both languages' pages show them.
MAPPING_KEYS = """```yaml
roles:            {case_worker: ROLE_ID, supervisor: ROLE_ID, ...}
agencies:         {lead: AGENCY_ID, ...}
user_groups:      {lead_office: GROUP_ID, ...}
consent:          {services: CONSENT_TYPE_OPTION_ID, ...}
services:         {family_tracing: SERVICE_TYPE_OPTION_ID, ...}
referral_reasons: {CONCEPT: OPTION_ID}
followup_types:   {CONCEPT: OPTION_ID}
closure_reasons:  {CONCEPT: OPTION_ID}
urgency:          {immediate: OPTION_ID, high: OPTION_ID, normal: OPTION_ID}
risk:             {high: OPTION_ID, medium: OPTION_ID, low: OPTION_ID}
fields:           {FIELD_CONCEPT: FIELD_ID, "SUBFORM_CONCEPT.COLUMN_CONCEPT": COLUMN_ID}
options:          {FIELD_CONCEPT: {OPTION_CONCEPT: OPTION_ID}}
locations:        {CONCEPT: LOCATION_CODE}
```
"""

VOCABULARY_HEADER = """# The concept vocabulary

Portable scenarios name **SOP concepts**, not one configuration bundle's ids: a case
worker is `case_worker` whether the bundle calls the role `caseworker` or
`children_officer`. Each bundle says in its `mapping.yaml` which of its ids stands for
each concept (see [Writing scenarios](scenarios.md#portable-scenarios)). This page is
generated from `sandbox/configuration/vocabulary/concepts.py` by
`python -m scripts.gen_scenario_docs`.

How a concept becomes an id, on a given bundle:

1. what `mapping.yaml` says (`KIND: {CONCEPT: ID}`);
2. else the bundle's id of the same name, when there is one;
3. else nothing: the scenario's step or value is left out on that bundle and the go-live
   report (`manage.py check_scenarios --config DIR`) says what to map.

Core fields (`name_first`, `name_last`, `sex`, `date_of_birth`, `age`, `location`,
`risk_level`) resolve through the module's `core_fields`, and `consent_KIND` fields
through the policy's consent fields: they need no mapping. Option values of a field
resolve through `options: {FIELD_CONCEPT: {OPTION_CONCEPT: OPTION_ID}}`, else the option
of the same name, else (for fields whose list is a system lookup) through the kind of
that lookup (a field listing service kinds takes service concepts).

## mapping.yaml

""" + MAPPING_KEYS + """
Every key is optional. `validate_config` and the go-live report check the file: each
problem as `PATH:LINE: message` (unknown kinds and concepts with the closest name, ids
the bundle does not have with the ones it has).

Approval kinds (`assessment`, `case_plan`, `closure`, `action_plan`, `gbv_closure`) are
the case system's own and are not mapped; a step asking for an approval the bundle's
policy does not have is left out there, and an approval the policy requires that the
scenario's SOP does not have is asked for before the step that needs it.
"""

KIND_TITLES = {
    "roles": "Roles (`roles`)", "agencies": "Agencies (`agencies`)",
    "user_groups": "User groups (`user_groups`)", "consent": "Consent types (`consent`)",
    "services": "Service kinds (`services`)", "referral_reasons": "Referral reasons "
    "(`referral_reasons`)", "followup_types": "Follow-up types (`followup_types`)",
    "closure_reasons": "Closure reasons (`closure_reasons`)", "urgency": "Urgency (`urgency`)",
    "risk": "Risk levels (`risk`)", "locations": "Locations (`locations`)",
    "providers": "Provider types (`providers`, GBV module)",
    "fields": "Fields (`fields`, open: any field concept a scenario writes)",
}
WORDS = {
    "concept_head": "| concept | meaning |\n|---|---|\n",
    "options_title": "Options of core fields (`options`)",
    "options_head": "| field | option | meaning |\n|---|---|---|\n",
}


def vocabulary_page(lang: str = "en") -> str:
    """The concept vocabulary page in English, or in French (`lang="fr"`), where a concept
    with no French meaning yet shows its English one."""
    from sandbox.configuration.vocabulary.concepts import FIELD_OPTIONS, VOCABULARY
    from scripts.vocabulary_fr import (
        KIND_TITLES_FR,
        MEANINGS_FR,
        OPTION_MEANINGS_FR,
        VOCABULARY_HEADER_FR,
        WORDS_FR,
    )

    french = lang == "fr"
    titles = KIND_TITLES_FR if french else KIND_TITLES
    words = WORDS_FR if french else WORDS
    parts = [VOCABULARY_HEADER_FR if french else VOCABULARY_HEADER]
    for kind, concepts in VOCABULARY.items():
        meanings = MEANINGS_FR.get(kind, {}) if french else concepts
        parts.append(f"\n## {titles.get(kind, kind)}\n\n{words['concept_head']}")
        parts.extend(f"| `{concept}` | {meanings.get(concept, meaning)} |\n"
                     for concept, meaning in concepts.items())
    parts.append(f"\n## {words['options_title']}\n\n{words['options_head']}")
    for field, options in FIELD_OPTIONS.items():
        meanings = OPTION_MEANINGS_FR.get(field, {}) if french else options
        parts.extend(f"| `{field}` | `{option}` | {meanings.get(option, meaning)} |\n"
                     for option, meaning in options.items())
    return "".join(parts)


def schema_text() -> str:
    from sandbox.simulation.scenario.schema import json_schema

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def library_page() -> str:
    from sandbox.simulation.scenario.load import library, read_scenario

    rows, details = [], []
    for path in library():
        scenario = read_scenario(path).scenario
        if scenario is None:
            continue
        background = scenario.world.background.count if scenario.world.background else 0
        rows.append(
            f"| [{scenario.title.get('en', scenario.id)}](#{scenario.id}) | {scenario.difficulty} "
            f"| {scenario.duration_minutes} | `{scenario.config}` | {', '.join(scenario.languages)} "
            f"| {len(scenario.world.cases)} / {background} | {len(scenario.expected)} |")
        objectives = "\n".join(f"- {o.get('en', '')}" for o in scenario.objectives)
        first = scenario.brief.get("en", "").strip().split("\n\n")[0].replace("\n", " ")
        details.append(f"## {scenario.title.get('en', scenario.id)} {{#{scenario.id}}}\n\n"
                       f"`{scenario.id}` · version {scenario.version} · `{path.relative_to(ROOT)}`\n\n"
                       f"{first}\n\n**Learning objectives**\n\n{objectives}\n")
    return HEADER + "\n".join(rows) + "\n\n" + "\n".join(details)


#: Each generated file and the function that writes its text.
GENERATED = {
    Path("docs") / "trainers" / "scenarios.md": library_page,
    Path("docs") / "authoring" / "scenario-schema.json": schema_text,
    Path("docs") / "authoring" / "vocabulary.md": vocabulary_page,
    Path("docs") / "authoring" / "vocabulary.fr.md": lambda: vocabulary_page("fr"),
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.test")
    import django

    django.setup()
    for path, text in GENERATED.items():
        (ROOT / path).write_text(text(), encoding="utf-8")


if __name__ == "__main__":
    main()
