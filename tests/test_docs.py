"""The documentation stays in step with the code."""

from __future__ import annotations

from django.conf import settings

from sandbox.common.actions import ACTIONS


def test_every_action_name_is_published() -> None:
    page = (settings.BASE_DIR / "docs" / "reference" / "actions.md").read_text(encoding="utf-8")
    for action in ACTIONS:
        assert f"| `{action.name}` |" in page, action.name


def test_scenario_library_page_is_up_to_date() -> None:
    from sandbox.simulation.scenario.load import library, read_scenario

    page = (settings.BASE_DIR / "docs" / "trainers" / "scenarios.md").read_text(encoding="utf-8")
    for path in library():
        scenario = read_scenario(path).scenario
        assert scenario is not None
        assert f"{{#{scenario.id}}}" in page, (
            f"{scenario.id} is missing from docs/trainers/scenarios.md: "
            "run python -m scripts.gen_scenario_docs")
