"""Write docs/trainers/scenarios.md from the scenario library (run after changing scenarios/)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """# The scenario library

Each scenario is a file in `scenarios/`. Seed one into a practice space with
`manage.py seed_scenario ID --space SLUG`, or assign it to a workshop's trainees
(see [Running a workshop](workshops.md)). This page is generated from the files
by `python -m scripts.gen_scenario_docs`; a test keeps it in step.

| scenario | level | minutes | bundle | languages | focal / background cases | rules |
|---|---|---|---|---|---|---|
"""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.test")
    import django

    django.setup()
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
    text = HEADER + "\n".join(rows) + "\n\n" + "\n".join(details)
    (ROOT / "docs" / "trainers" / "scenarios.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
