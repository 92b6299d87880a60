"""Scoring a seeded space, and the `score_space` and `check_scenarios` commands (database)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import execute_from_command_line
from django.db import connections
from ruamel.yaml import YAML

from sandbox.configuration.models import Bundle
from sandbox.scoring.attempts import attempt_of, score_space
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import read_scenario
from sandbox.simulation.services import play_solution
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Space
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

UASC = Path("scenarios") / "uasc-market-separation.yaml"
SLUG = "uasc-scoring"


@pytest.fixture
def in_project(monkeypatch):
    """Run from the project's folder, so that paths are written as the docs write them."""
    monkeypatch.chdir(settings.BASE_DIR)


@pytest.fixture
def space(default_config, in_project) -> Space:
    return seed_from_file(UASC, slug=SLUG)


@pytest.fixture
def manage(monkeypatch, capsys):
    """`manage.py ARGS...` in this process: (exit code, stdout, stderr)."""
    # the command would close the connection that holds the test's transaction
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            execute_from_command_line(["manage.py", *argv])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def expected_ids() -> list[str]:
    parsed = read_scenario(Path(settings.BASE_DIR) / UASC)
    assert parsed.scenario is not None
    return [r.id for r in parsed.scenario.expected]


# -- scoring a space ------------------------------------------------------------------------


def test_an_empty_attempt_does_not_pass(space):
    report = score_space(space)
    assert report.scenario == "uasc-market-separation"
    assert [r.id for r in report.rules] == expected_ids()
    assert not report.passed
    assert report.percent < report.pass_mark
    by_id = {r.id: r for r in report.rules}
    # nothing the seeding did counts as the trainee's: the case was identified in the history
    for rule_id in ("search-first", "register", "consent-before-referral", "assess-in-time",
                    "refer-tracing", "followup"):
        assert not by_id[rule_id].passed, rule_id
        assert by_id[rule_id].points == 0
    assert by_id["no-referral-without-consent"].passed


def test_the_history_is_seeded_but_not_part_of_the_exercise(space):
    seed = SpaceSeed.objects.get(space=space)
    attempt = attempt_of(space, seed)
    history = [e for e in attempt.events if not e.exercise]
    assert history
    assert len(history) == seed.seeded_events == len(attempt.events)
    assert any(e.action == "case.identify" and e.case == "amina" for e in history)
    assert attempt.final["amina"]["status"] == "open"


def test_the_reference_solution_scores_100_percent(space):
    play_solution(space)
    report = score_space(space)
    assert report.percent == 100
    assert report.score == report.max_score
    assert report.passed
    assert all(r.passed for r in report.rules), [r.id for r in report.rules if not r.passed]
    seeded = SpaceSeed.objects.get(space=space).seeded_events
    by_id = {r.id: r for r in report.rules}
    for rule_id in ("search-first", "register", "assess-in-time", "refer-tracing", "followup"):
        assert by_id[rule_id].evidence, rule_id
        assert all(n > seeded for n in by_id[rule_id].evidence), rule_id
    assert by_id["no-referral-without-consent"].evidence == []


def test_scoring_a_space_twice_gives_the_same_report(space):
    play_solution(space)
    assert score_space(space).as_dict() == score_space(space).as_dict()


# -- manage.py score_space ------------------------------------------------------------------


def test_score_space_json(space, manage):
    play_solution(space)
    code, out, _err = manage("score_space", SLUG, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["score"] == report["max_score"] == 100
    assert report["passed"] is True
    assert [r["id"] for r in report["rules"]] == expected_ids()
    for rule in report["rules"]:
        assert {"id", "passed", "points", "evidence"} <= set(rule)
        assert rule["passed"] is True
        assert all(isinstance(n, int) for n in rule["evidence"])
    assert report == score_space(space).as_dict()


def test_score_space_json_of_an_empty_attempt(space, manage):
    code, out, _err = manage("score_space", SLUG, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["passed"] is False
    assert report["score"] < report["max_score"]


def test_score_space_text(space, manage):
    code, out, _err = manage("score_space", SLUG)
    assert code == 0
    assert "uasc-market-separation v2" in out
    assert "NOT PASSED" in out
    for rule_id in expected_ids():
        assert rule_id in out


def test_score_space_unknown_space(default_config, manage):
    code, out, err = manage("score_space", "no-such-space", "--format", "json")
    assert code == 1
    assert out == ""
    assert "no space 'no-such-space'" in err


def test_score_space_of_a_space_not_seeded_from_a_scenario(default_config, manage):
    SpaceFactory(slug="hand-made")
    code, _out, err = manage("score_space", "hand-made")
    assert code == 1
    assert "was not seeded from a scenario" in err


# -- manage.py check_scenarios --------------------------------------------------------------


def database_state() -> dict:
    assert Bundle.objects.filter(code="default").exists()
    return {"spaces": Space.objects.count(), "seeds": SpaceSeed.objects.count(),
            "bundles": Bundle.objects.count(),
            "loaded_at": dict(Bundle.objects.values_list("code", "loaded_at")),
            "versions": dict(Bundle.objects.values_list("code", "version"))}


def test_check_scenarios_passes(default_config, in_project, manage):
    before = database_state()
    code, out, err = manage("check_scenarios", str(UASC))
    assert code == 0, err
    assert "ok   uasc-market-separation: solution 100%" in out
    assert database_state() == before             # the check space is not kept


def test_check_scenarios_against_another_bundle_fails_and_changes_nothing(
        default_config, in_project, manage, tmp_path):
    """The Kenyan bundle without its mapping.yaml: the scenario's roles (concepts) have no
    role there; every reason names the line of the file that has it."""
    import shutil

    bundle = tmp_path / "kenya-unmapped"
    shutil.copytree("seed_data/kenya-dcs", bundle)
    (bundle / "mapping.yaml").unlink()
    before = database_state()
    code, out, err = manage("check_scenarios", "--config", str(bundle), str(UASC))
    assert code == 1
    assert "FAIL uasc-market-separation" in out
    problems = [line.strip() for line in err.splitlines()
                if re.match(r"^\s*scenarios/uasc-market-separation\.yaml:\d+: ", line)]
    assert any("the bundle has no role for 'case_worker': map `roles.case_worker` in "
               "mapping.yaml" in p for p in problems), err
    assert any("the bundle has no role for 'supervisor'" in p for p in problems), err
    lines = (Path(settings.BASE_DIR) / UASC).read_text(encoding="utf-8").splitlines()
    for problem in problems:
        number = int(problem.split(":")[1])
        assert 1 <= number <= len(lines), problem
    role_line = next(p for p in problems if "'case_worker'" in p)
    assert lines[int(role_line.split(":")[1]) - 1].strip().startswith("caseworker:")
    # the bundle was loaded and checked in a transaction that was rolled back: the
    # default bundle (and kenya_dcs, if it was loaded before) are as they were
    assert database_state() == before


def test_check_scenarios_json(default_config, in_project, manage):
    code, out, _err = manage("check_scenarios", "--format", "json", str(UASC))
    assert code == 0
    result = json.loads(out)
    assert result["ok"] is True
    (scenario,) = result["scenarios"]
    assert scenario["id"] == "uasc-market-separation"
    assert scenario["solution"] == {"percent": 100.0, "passed": True, "missed": []}
    assert scenario["empty"]["passed"] is False


# -- `when` conditions in a real space --------------------------------------------------------


def consent_scenario(tmp_path: Path, registration: str) -> Path:
    """The market scenario, with the child's consent to share information known from the
    start, one referral to make, and a `never` rule on referrals made without that consent."""
    doc = YAML(typ="safe").load(Path(settings.BASE_DIR) / UASC)
    doc["id"] = f"consent-known-{registration}"
    case = doc["world"]["cases"][0]
    case["registration"] = registration
    case["data"]["consent_share_other_orgs"] = True
    if registration == "registered":
        case["history"] = []
    doc["timeline"] = []
    doc["world"].pop("background", None)
    doc["expected"] = [
        {"id": "refer", "rule": "happened", "action": "referral.create", "case": "amina",
         "points": 10},
        {"id": "no-referral-without-consent", "rule": "never", "action": "referral.create",
         "when": {"data.consent_share_other_orgs": {"not": True}}, "penalty": 10},
    ]
    steps = [s for s in doc["solution"] if s.get("do") in ("case.register", "referral.create")]
    doc["solution"] = steps if registration == "identified" else steps[1:]
    doc.pop("sloppy", None)
    path = tmp_path / f"{doc['id']}.yaml"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")   # JSON is YAML
    return path


@pytest.mark.parametrize("registration", ["registered", "identified"])
def test_when_sees_the_data_a_case_was_created_with(default_config, tmp_path, registration):
    """The child's consent to share is recorded when the case is created (identified by a
    volunteer, or registered); the referral is then allowed by the case system, so the
    `never` rule on referrals made while that consent was not given is not violated."""
    space = seed_from_file(consent_scenario(tmp_path, registration), slug=f"consent-{registration}")
    play_solution(space)
    report = score_space(space)
    by_id = {r.id: r for r in report.rules}
    assert by_id["refer"].passed
    assert by_id["no-referral-without-consent"].passed, by_id["no-referral-without-consent"]
    assert report.percent == 100
