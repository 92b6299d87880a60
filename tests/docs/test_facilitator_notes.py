"""The facilitator notes are the scenario files told for facilitators: every library
scenario has its page in each docs language, and each page is what the generator
writes from the file today."""

from __future__ import annotations

from django.conf import settings

from sandbox.common.actions import ACTIONS
from sandbox.simulation.scenario.load import library, read_scenario
from scripts.gen_facilitator_notes import (
    ACTION_SUMMARY_FR,
    LANGUAGES,
    NOTES,
    pages,
    scenario_page,
    suffix,
)

HINT = "run python -m scripts.gen_facilitator_notes"


def library_scenarios() -> list:
    scenarios = [(path, read_scenario(path).scenario) for path in library()]
    assert scenarios and all(s is not None for _p, s in scenarios)
    return scenarios


def test_every_scenario_has_its_notes_in_every_language() -> None:
    folder = settings.BASE_DIR / NOTES
    for _path, scenario in library_scenarios():
        for lang in LANGUAGES:
            page = folder / f"{scenario.id}{suffix(lang)}"
            assert page.is_file(), f"{page} is missing: {HINT}"


def test_notes_match_the_scenario_files() -> None:
    for path, page in pages().items():
        on_disk = settings.BASE_DIR / path
        assert on_disk.is_file(), f"{path} is missing: {HINT}"
        assert on_disk.read_text(encoding="utf-8") == page, f"{path} is out of date: {HINT}"


def test_no_notes_for_a_scenario_that_is_gone() -> None:
    expected = set(pages())
    for page in (settings.BASE_DIR / NOTES).glob("*.md"):
        assert page.relative_to(settings.BASE_DIR) in expected, f"{page} has no scenario: {HINT}"


def test_notes_carry_the_file_content() -> None:
    path, scenario = next((p, s) for p, s in library_scenarios() if s.sloppy is not None)
    for lang in LANGUAGES:
        page = scenario_page(path, scenario, lang)
        for objective in scenario.objectives:
            assert (objective.get(lang) or objective["en"]).strip() in page
        for rule in scenario.expected:
            if rule.feedback:
                assert (rule.feedback.get(lang) or rule.feedback["en"]).strip() in page
        assert f"{scenario.sloppy.score}" in page
        first = next(step for step in scenario.solution if step.do)
        assert f"— `{first.do}`." in page
    summary = next(a.summary for a in ACTIONS if a.name == first.do).rstrip(".")
    assert summary in scenario_page(path, scenario, "en")
    assert ACTION_SUMMARY_FR[first.do].rstrip(".") in scenario_page(path, scenario, "fr")


def test_a_changed_scenario_changes_its_notes() -> None:
    path, scenario = library_scenarios()[0]
    changed = scenario.model_copy(update={"duration_minutes": scenario.duration_minutes + 7,
                                          "pass_mark": 13})
    before, after = scenario_page(path, scenario, "en"), scenario_page(path, changed, "en")
    assert before != after
    assert f"**{scenario.duration_minutes + 7} minutes**" in after and "**13%**" in after


def test_every_action_has_its_french_summary() -> None:
    assert {a.name for a in ACTIONS} <= set(ACTION_SUMMARY_FR)
