"""A scenario text missing in one of the scenario's languages is an error; the report
folds the gaps into one line per language unless asked for every one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import WriteScenario


def failing(*args: str) -> list[str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    assert info.value.returncode == 1
    return err.getvalue().splitlines()


@pytest.mark.django_db
def test_gaps_in_a_declared_language_are_errors_summarised_per_language(
        default_config: Any, write_scenario: WriteScenario) -> None:
    path = write_scenario("untranslated")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("languages: [en, fr]", "languages: [en, fr, ar]"), encoding="utf-8")
    every = failing("validate_scenarios", str(path), "--verbose")
    gaps = [line for line in every if line.endswith(": missing 'ar' text")]
    assert len(gaps) >= 3 and all(line.startswith(f"{path}:") for line in gaps)
    assert not any(": warning: " in line for line in every)
    summary = failing("validate_scenarios", str(path))
    assert [line for line in summary if "'ar'" in line] == [
        f"{gaps[0].split(': ', 1)[0]}: {len(gaps)} texts missing in 'ar' (first: "
        f"{', '.join(line.split(': ', 1)[0] for line in gaps[:3])}, ...; --verbose lists them all)"]


@pytest.mark.django_db
def test_every_library_scenario_speaks_every_language_of_its_bundle(default_config: Any) -> None:
    """A scenario is written in every language its bundle has labels in (and the interface
    ships): the default bundle's scenarios in all six, Kenya's in English and Swahili."""
    from django.conf import settings

    from sandbox.configuration.runtime import get_config
    from sandbox.simulation.scenario.load import library, read_scenario

    shipped = {code for code, _name in settings.LANGUAGES}
    seen = {}
    for path in library():
        scenario = read_scenario(path).scenario
        assert scenario is not None, path
        expected = set(get_config(scenario.config).languages) & shipped
        assert set(scenario.languages) == expected, f"{path.name}: {scenario.languages}"
        seen[path.stem] = len(expected)
    assert seen["uasc-market-separation"] == 6 and seen["kenya-neglect-teacher-report"] == 2
