"""The report's JSON (`Report.as_dict`): its keys, and the evidence of each rule."""

from __future__ import annotations

import json

import pytest

from sandbox.scoring.engine import score

from .conftest import SIMULATED, at, attempt, ev, rule, scenario

RULES = [
    rule("before", rule_id="search-first", first="case.search", then="case.register", points=10,
         title={"en": "Search before registering", "fr": "Rechercher avant d'enregistrer"},
         feedback={"en": "Duplicates split a child's story.", "fr": "Les doublons..."}),
    rule("happened", rule_id="register", action="case.register", case="a", points=10),
    rule("within", rule_id="assess-in-time", action="assessment.complete", after="case.register",
         case="a", hours=24, points=20),
    rule("never", rule_id="no-close", action="case.close", penalty=5,
         title={"en": "Do not close the case"}),
    rule("count", rule_id="followups", action="followup.record", at_least=2, points=10),
    rule("final", rule_id="open", case="a", field="status", equals="open", points=10),
    rule("happened", rule_id="refer", action="referral.create", case=["a", "b"], points=20,
         where={"details.service_type": "family_tracing"}),
]

EVENTS = [
    ev(1, "case.identify", at(days=-1), exercise=False),
    ev(2, "case.search", at(minutes=10), case=None),
    ev(3, "case.register", at(minutes=20)),
    ev(4, "assessment.complete", at(hours=30)),                    # late
    ev(5, "followup.record", at(hours=31)),
    ev(6, "case.close", at(hours=32)),
    ev(7, "approval.decide", at(hours=33), actor=SIMULATED),
    ev(8, "case.close", at(hours=34)),
    ev(9, "referral.create", at(hours=35), details={"service_type": "family_tracing"}),
]

FINAL = {"a": {"status": "closed"}}

RULE_KEYS = {"id", "rule", "passed", "points", "max_points", "penalty", "evidence", "missing",
             "elapsed_minutes", "cases", "title", "feedback"}


@pytest.fixture
def report() -> dict:
    return score(scenario(*RULES, pass_mark=60), attempt(*EVENTS, final=FINAL)).as_dict()


def by_id(report: dict) -> dict[str, dict]:
    return {r["id"]: r for r in report["rules"]}


def test_report_top_level(report):
    assert {"score", "max_score", "passed", "percent", "pass_mark", "rules"} <= set(report)
    assert report["scenario"] == "unit-test"
    assert report["version"] == 1
    assert report["max_score"] == 80                       # the never rule has no points
    # 10 (search-first) + 10 (register) + 0 + 0 + 0 + 10 (refer, one of two cases) - 5
    assert report["score"] == 25
    assert report["percent"] == 31.2
    assert report["pass_mark"] == 60
    assert report["passed"] is False


def test_report_is_json(report):
    assert json.loads(json.dumps(report)) == report


def test_report_rules_in_the_order_of_the_scenario(report):
    assert [r["id"] for r in report["rules"]] == [r["id"] for r in RULES]
    for r in report["rules"]:
        assert set(r) == RULE_KEYS
        assert isinstance(r["passed"], bool)
        assert isinstance(r["evidence"], list)
        assert all(isinstance(n, int) for n in r["evidence"])


def test_report_title_and_feedback(report):
    rules = by_id(report)
    assert rules["search-first"]["title"] == {"en": "Search before registering",
                                              "fr": "Rechercher avant d'enregistrer"}
    assert rules["search-first"]["feedback"]["en"] == "Duplicates split a child's story."
    assert rules["no-close"]["title"] == {"en": "Do not close the case"}
    assert rules["no-close"]["feedback"] == {}
    assert rules["register"]["title"] == {} and rules["register"]["feedback"] == {}


def test_report_evidence_of_met_rules(report):
    rules = by_id(report)
    assert rules["search-first"] == {**rules["search-first"], "passed": True, "points": 10,
                                     "evidence": [2, 3], "missing": ""}
    assert rules["register"]["passed"] is True
    assert rules["register"]["evidence"] == [3]
    assert rules["register"]["elapsed_minutes"] == 20
    assert rules["register"]["cases"] == {"a": True}


def test_report_evidence_of_a_violated_never_rule(report):
    never = by_id(report)["no-close"]
    assert never["passed"] is False
    assert never["evidence"] == [6, 8]                 # every offending event
    assert never["points"] == -5
    assert never["penalty"] == 5
    assert never["max_points"] == 0


def test_report_rules_not_met(report):
    rules = by_id(report)
    within = rules["assess-in-time"]
    assert within["passed"] is False
    assert within["points"] == 0
    assert within["evidence"] == [3, 4]                # the anchor and the late action
    assert within["elapsed_minutes"] == 30 * 60 - 20
    assert within["missing"] == ("assessment.complete did not happen within the time allowed "
                                 "after case.register")
    count = rules["followups"]
    assert count["passed"] is False
    assert count["evidence"] == [5]
    assert count["missing"] == "followup.record: the number of times is outside the bounds"
    final = rules["open"]
    assert final["passed"] is False
    assert final["evidence"] == []
    assert final["missing"] == "status does not have the expected final value"


def test_report_partial_credit(report):
    refer = by_id(report)["refer"]
    assert refer["passed"] is False
    assert refer["points"] == 10
    assert refer["max_points"] == 20
    assert refer["cases"] == {"a": True, "b": False}
    assert refer["evidence"] == [9]
    assert refer["missing"] == "referral.create did not happen"


def test_report_of_a_perfect_attempt():
    events = [
        ev(1, "case.search", at(minutes=1), case=None),
        ev(2, "case.register", at(minutes=2)),
        ev(3, "assessment.complete", at(hours=3)),
        ev(4, "followup.record", at(hours=4)),
        ev(5, "followup.record", at(hours=5)),
        ev(6, "referral.create", at(hours=6), details={"service_type": "family_tracing"}),
        ev(7, "referral.create", at(hours=6), case="b", details={"service_type": "family_tracing"}),
    ]
    report = score(scenario(*RULES, pass_mark=60),
                   attempt(*events, final={"a": {"status": "open"}})).as_dict()
    assert report["score"] == 80
    assert report["max_score"] == 80
    assert report["percent"] == 100.0
    assert report["passed"] is True
    rules = by_id(report)
    assert all(r["passed"] for r in report["rules"])
    assert all(r["missing"] == "" for r in report["rules"])
    assert rules["assess-in-time"]["evidence"] == [2, 3]
    assert rules["assess-in-time"]["elapsed_minutes"] == 178
    assert rules["followups"]["evidence"] == [4, 5]
    assert rules["refer"]["evidence"] == [6, 7]
    assert rules["no-close"]["evidence"] == []
    assert rules["no-close"]["points"] == 0
