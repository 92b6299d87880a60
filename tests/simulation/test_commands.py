"""The simulation's management commands: happy paths (exit status 0) and failures
(exit status 1, with a message that says what is wrong)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sandbox.cases.models import Case, Event
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import find_scenario
from sandbox.spaces.models import Space
from tests.factories import SpaceFactory

from .conftest import START, WriteScenario, parse, seed, state

pytestmark = pytest.mark.django_db

LIBRARY_SCENARIO = "uasc-market-separation"


def run(*args: str) -> tuple[str, str]:
    """Run a command that must succeed; returns its stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[CommandError, str]:
    """Run a command that must fail with exit status 1; returns the error and stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    assert info.value.returncode == 1
    return info.value, err.getvalue()


# -- seed_scenario --------------------------------------------------------------------------


def test_seed_scenario_from_a_path(default_config: Any, scenario_path: Path) -> None:
    out, _ = run("seed_scenario", str(scenario_path), "--space", "try-it")
    assert f"Seeded space 'try-it' from {scenario_path} (6 cases," in out
    space = Space.objects.get(slug="try-it")
    assert space.clock == START
    assert SpaceSeed.objects.get(space=space).seed == 1234


def test_seed_scenario_from_an_id_with_a_seed(default_config: Any) -> None:
    out, _ = run("seed_scenario", LIBRARY_SCENARIO, "--space", "library", "--seed", "42")
    assert "Seeded space 'library' from " in out
    space = Space.objects.get(slug="library")
    seed_row = SpaceSeed.objects.get(space=space)
    assert (seed_row.scenario_id, seed_row.seed) == (LIBRARY_SCENARIO, 42)
    assert Path(seed_row.scenario_path).name == f"{LIBRARY_SCENARIO}.yaml"
    scenario = parse(find_scenario(LIBRARY_SCENARIO))
    background = scenario.world.background.count if scenario.world.background else 0
    assert Case.objects.filter(space=space).count() == len(scenario.world.cases) + background


def test_seed_scenario_again_replaces_the_space(default_config: Any, scenario_path: Path) -> None:
    run("seed_scenario", str(scenario_path), "--space", "try-it")
    first = Space.objects.get(slug="try-it").pk
    run("seed_scenario", str(scenario_path), "--space", "try-it")
    assert Space.objects.filter(slug="try-it").count() == 1
    assert Space.objects.get(slug="try-it").pk != first


def test_seed_scenario_unknown_scenario(default_config: Any) -> None:
    error, err = fails("seed_scenario", "no-such-scenario", "--space", "try-it")
    assert "no-such-scenario:1: file not found" in err
    assert "not seeded" in str(error)
    assert not Space.objects.filter(slug="try-it").exists()


CONSENT_STEP = '{at: "-2d", do: consent.record, with: {consent_type: share_information, given: true'
REFUSED_AT_SEEDING = {
    # Valid for the checks, refused by the case system when the history is played.
    "invalid": '{at: "-2d", do: consent.record, with: {consent_type: share_information, given: "yes"',
    "not-allowed": '{at: "-2d", as: tracing, do: note.add, with: {subject: Visit, text: Seen}}\n'
                   '        - ' + CONSENT_STEP,
}


@pytest.mark.parametrize("defect", sorted(REFUSED_AT_SEEDING))
def test_seed_scenario_refused_by_the_case_system_writes_nothing(
        default_config: Any, write_scenario: WriteScenario, defect: str) -> None:
    existing = seed(write_scenario("valid", background=""), "try-it")
    before = state(existing)
    path = write_scenario("refused", background="")
    text = path.read_text(encoding="utf-8")
    assert text.count(CONSENT_STEP) == 1
    path.write_text(text.replace(CONSENT_STEP, REFUSED_AT_SEEDING[defect]), encoding="utf-8")
    run("validate_scenarios", str(path))  # the checks cannot see it
    first = REFUSED_AT_SEEDING[defect].splitlines()[0]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if first in text)
    error, err = fails("seed_scenario", str(path), "--space", "try-it")
    assert str(error) == f"{path}: not seeded"
    assert err.startswith(f"{path}:{line}: seeding failed: ")
    assert Space.objects.count() == 1
    assert SpaceSeed.objects.get(space=existing).scenario_id == "valid"
    assert state(existing) == before
    error, _ = fails("seed_scenario", str(path), "--space", "new-space")
    assert not Space.objects.filter(slug="new-space").exists()


def test_seed_scenario_needs_a_space(default_config: Any, scenario_path: Path) -> None:
    with pytest.raises(CommandError, match="--space"):
        call_command("seed_scenario", str(scenario_path), stdout=io.StringIO(),
                     stderr=io.StringIO())


# -- reset_space / reset_instance ----------------------------------------------------------


def test_reset_space(default_config: Any, scenario_path: Path) -> None:
    space = seed(scenario_path, "try-it")
    seeded = state(space)
    run("play_solution", "try-it")
    assert state(space) != seeded
    out, _ = run("reset_space", "try-it")
    assert "Reset space 'try-it' (" in out
    assert state(space) == seeded


def test_reset_space_unknown_space(default_config: Any) -> None:
    error, _ = fails("reset_space", "nowhere")
    assert str(error) == "no space 'nowhere'"


def test_reset_space_not_seeded(default_config: Any) -> None:
    SpaceFactory(slug="by-hand")
    error, _ = fails("reset_space", "by-hand")
    assert str(error).startswith("by-hand: ")
    assert "not seeded from a scenario" in str(error)


def test_reset_instance(default_config: Any, scenario_path: Path) -> None:
    one, two = seed(scenario_path, "one"), seed(scenario_path, "two")
    seeded = state(one), state(two)
    SpaceFactory(slug="by-hand")
    run("play_solution", "one")
    run("play_solution", "two")
    out, _ = run("reset_instance")
    assert "Reset 2 space(s) to their seeded state" in out
    assert (state(one), state(two)) == seeded


def test_reset_instance_with_nothing_seeded(default_config: Any) -> None:
    out, _ = run("reset_instance")
    assert "Reset 0 space(s)" in out


# -- play_solution --------------------------------------------------------------------------


def test_play_solution(default_config: Any, scenario_path: Path) -> None:
    space = seed(scenario_path, "try-it")
    out, _ = run("play_solution", "try-it")
    assert "Played 6 solution step(s) in 'try-it'" in out
    seeded_events = SpaceSeed.objects.get(space=space).seeded_events
    played = Event.objects.filter(space=space, sequence__gt=seeded_events).order_by("sequence")
    trainee = [e.action for e in played if e.role == "caseworker"]
    assert trainee == ["case.search", "case.register", "consent.record", "referral.create",
                       "followup.record"]
    space.refresh_from_db()
    assert space.clock == START + dt.timedelta(hours=3)


def test_play_solution_of_the_library_scenario(default_config: Any) -> None:
    run("seed_scenario", LIBRARY_SCENARIO, "--space", "library")
    out, _ = run("play_solution", "library")
    steps = len(parse(find_scenario(LIBRARY_SCENARIO)).solution)
    assert f"Played {steps} solution step(s) in 'library'" in out


def test_play_solution_unknown_space(default_config: Any) -> None:
    error, _ = fails("play_solution", "nowhere")
    assert str(error) == "no space 'nowhere'"


def test_play_solution_not_seeded(default_config: Any) -> None:
    SpaceFactory(slug="by-hand")
    error, _ = fails("play_solution", "by-hand")
    assert "by-hand:1: " in str(error)
    assert "not seeded from a scenario" in str(error)


def test_play_solution_with_a_step_that_fails(default_config: Any,
                                              write_scenario: WriteScenario) -> None:
    # Asking for the approval of an assessment that was never done: step 2 is refused,
    # and nothing of the solution is kept.
    path = write_scenario("careless", solution="""\
  - {as: caseworker, do: case.search, with: {query: Amina}}
  - {as: caseworker, do: approval.request, case: yusuf, with: {kind: assessment}}""")
    space = seed(path, "careless")
    seeded = state(space)
    error, _ = fails("play_solution", "careless")
    assert str(error).startswith(f"{path}:1: Solution step 2 (approval.request) failed: ")
    assert "Complete the assessment" in str(error)
    assert state(space) == seeded


def test_play_solution_names_the_step_refused_for_want_of_consent(
        default_config: Any, write_scenario: WriteScenario) -> None:
    """Any refusal of the case system names the solution step, not only a validation
    error. (Engine bug: `play_solution` wraps only ValidationFailed; a NotAllowed --
    consent missing, an action the role may not take on that case -- comes out as
    `FILE:1: <message>` without the step.)"""
    path = write_scenario("careless", solution="""\
  - {as: caseworker, do: case.register, case: amina, with: {data: {name_last: Inconnue}}}
  - as: caseworker
    do: referral.create
    case: amina
    with: {service_type: family_tracing, reason: case_plan_service, to: tracing}""")
    space = seed(path, "careless")
    seeded = state(space)
    error, _ = fails("play_solution", "careless")
    assert "consent" in str(error)
    assert state(space) == seeded
    assert str(error).startswith(f"{path}:1: Solution step 2 (referral.create) failed: ")


# -- validate_scenarios ---------------------------------------------------------------------


def test_validate_scenarios_text(default_config: Any, scenario_path: Path) -> None:
    out, err = run("validate_scenarios", str(scenario_path))
    assert "1 scenario(s) valid" in out
    assert err == ""


def test_validate_scenarios_a_folder(default_config: Any, write_scenario: WriteScenario) -> None:
    one = write_scenario("one")
    write_scenario("two")
    out, _ = run("validate_scenarios", str(one.parent))
    assert "2 scenario(s) valid" in out


def test_validate_scenarios_json(default_config: Any, scenario_path: Path) -> None:
    out, _ = run("validate_scenarios", str(scenario_path), "--format", "json")
    assert json.loads(out) == {"valid": True, "scenarios": [
        {"path": str(scenario_path), "valid": True, "problems": []}]}


def test_validate_scenarios_reports_every_file(default_config: Any,
                                               write_scenario: WriteScenario) -> None:
    good = write_scenario("good")
    bad = write_scenario("bad", config="northland")
    out = io.StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("validate_scenarios", str(good), str(bad), "--format", "json", stdout=out)
    assert info.value.code == 1
    report = json.loads(out.getvalue())
    assert report["valid"] is False
    assert [(r["path"], r["valid"]) for r in report["scenarios"]] == [(str(good), True),
                                                                      (str(bad), False)]
    [problem] = report["scenarios"][1]["problems"]
    assert problem["message"].startswith("configuration bundle 'northland' is not loaded")
    error, err = fails("validate_scenarios", str(good), str(bad))
    assert str(error) == "1 problem(s)"
    assert err.startswith(f"{bad}:")


def test_validate_scenarios_missing_file(default_config: Any, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    _, err = fails("validate_scenarios", str(missing))
    assert err.strip() == f"{missing}:1: file not found"
