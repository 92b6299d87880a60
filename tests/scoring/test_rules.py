"""The scorer's rule kinds, one edge case at a time (no database).

Each test builds a minimal scenario in Python and an attempt from `EventView`s;
the semantics are those of docs/authoring/scenarios.md ("Expected steps") and of
the docstring of `sandbox.scoring.engine`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sandbox.scoring.engine import score

from .conftest import SIMULATED, START, TRAINEE, at, attempt, ev, judge, rule, scenario

# -- happened ---------------------------------------------------------------------------


def test_happened_met_by_a_trainee_event_in_the_exercise():
    result = judge(rule("happened", action="case.register", case="a", points=10),
                   ev(1, "case.search", at(minutes=5)),
                   ev(2, "case.register", at(minutes=20)))
    assert result.passed
    assert result.points == 10
    assert result.evidence == [2]
    assert result.elapsed_minutes == 20          # from the start of the attempt
    assert result.cases == {"a": True}


def test_happened_not_met_without_the_action():
    result = judge(rule("happened", action="case.register", points=10),
                   ev(1, "case.search"), ev(2, "case.update"))
    assert not result.passed
    assert result.points == 0
    assert result.evidence == []
    assert result.elapsed_minutes is None
    assert result.missing == "case.register did not happen"


@pytest.mark.parametrize(("condition", "details", "met"), [
    # equals
    ("family_tracing", {"service_type": "family_tracing"}, True),
    ("family_tracing", {"service_type": "medical"}, False),
    ("family_tracing", {}, False),
    (False, {"service_type": False}, True),
    (False, {}, False),
    # {in: [...]}
    ({"in": ["family_tracing", "medical"]}, {"service_type": "medical"}, True),
    ({"in": ["family_tracing", "medical"]}, {"service_type": "legal"}, False),
    ({"in": ["family_tracing", "medical"]}, {}, False),
    # {not: v}: anything but v, a missing value included
    ({"not": "medical"}, {"service_type": "family_tracing"}, True),
    ({"not": "medical"}, {"service_type": "medical"}, False),
    ({"not": "medical"}, {}, True),
    # {exists: true}: present and not empty
    ({"exists": True}, {"service_type": "medical"}, True),
    ({"exists": True}, {"service_type": ["share_information"]}, True),
    ({"exists": True}, {"service_type": []}, False),
    ({"exists": True}, {"service_type": ""}, False),
    ({"exists": True}, {"service_type": None}, False),
    ({"exists": True}, {}, False),
    # {exists: false}: missing or empty
    ({"exists": False}, {}, True),
    ({"exists": False}, {"service_type": []}, True),
    ({"exists": False}, {"service_type": "medical"}, False),
    # {has: v}: a list holding v (what a referral disclosed); {has: [..]}: holding them all
    ({"has": "identity"}, {"service_type": ["identity", "concerns"]}, True),
    ({"has": ["identity", "concerns"]}, {"service_type": ["identity", "concerns"]}, True),
    ({"has": ["identity", "incident"]}, {"service_type": ["identity", "concerns"]}, False),
    ({"has": "identity"}, {"service_type": "identity"}, False),   # not a list
    ({"has": "identity"}, {"service_type": []}, False),
    ({"has": "identity"}, {}, False),
    # {has_any: [..]}: a list holding at least one of them
    ({"has_any": ["identity", "contact"]}, {"service_type": ["contact", "concerns"]}, True),
    ({"has_any": ["identity", "contact"]}, {"service_type": ["concerns"]}, False),
    ({"has_any": "identity"}, {"service_type": ["identity"]}, True),
    ({"has_any": ["identity"]}, {"service_type": "identity"}, False),   # not a list
    ({"has_any": ["identity"]}, {}, False),
    # {lacks: [..]}: none of them (what a referral must not have shared)
    ({"lacks": ["identity", "contact", "family"]}, {"service_type": ["concerns"]}, True),
    ({"lacks": ["identity", "contact", "family"]}, {"service_type": ["concerns", "family"]}, False),
    ({"lacks": "identity"}, {"service_type": ["identity"]}, False),
    ({"lacks": ["identity"]}, {}, True),   # nothing recorded, nothing shared
])
def test_happened_where_on_details(condition, details, met):
    result = judge(rule("happened", action="referral.create", points=10,
                        where={"details.service_type": condition}),
                   ev(1, "referral.create", details=details))
    assert result.passed is met


@pytest.mark.parametrize(("condition", "changes", "met"), [
    ({"exists": True}, {"risk_level": ["medium", "high"]}, True),
    ({"exists": True}, {"status": ["open", "closed"]}, False),
    ({"exists": True}, {}, False),
    ("high", {"risk_level": ["medium", "high"]}, True),       # the new value
    ("medium", {"risk_level": ["medium", "high"]}, False),    # not the old one
    ({"in": ["high", "very_high"]}, {"risk_level": ["low", "very_high"]}, True),
    ({"not": "high"}, {"risk_level": ["high", "low"]}, True),
])
def test_happened_where_on_changes(condition, changes, met):
    result = judge(rule("happened", action="followup.record", points=10,
                        where={"changes.risk_level": condition}),
                   ev(1, "followup.record", changes=changes))
    assert result.passed is met


def test_happened_where_needs_every_condition():
    expected = rule("happened", action="referral.create", points=10,
                    where={"details.service_type": "family_tracing",
                           "details.urgency": {"in": ["immediate", "high"]}})
    assert not judge(expected, ev(1, "referral.create", details={"service_type": "family_tracing",
                                                                 "urgency": "low"})).passed
    assert judge(expected, ev(1, "referral.create", details={"service_type": "family_tracing",
                                                             "urgency": "high"})).passed


def test_happened_the_first_matching_event_is_the_evidence():
    result = judge(rule("happened", action="referral.create", points=10,
                        where={"details.service_type": "family_tracing"}),
                   ev(1, "referral.create", at(hours=1), details={"service_type": "medical"}),
                   ev(2, "referral.create", at(hours=2), details={"service_type": "family_tracing"}),
                   ev(3, "referral.create", at(hours=3), details={"service_type": "family_tracing"}))
    assert result.evidence == [2]
    assert result.elapsed_minutes == 120


def test_happened_on_another_case_does_not_count():
    expected = rule("happened", action="case.register", case="a", points=10)
    assert not judge(expected, ev(1, "case.register", case="b")).passed
    assert not judge(expected, ev(1, "case.register", case=None)).passed
    assert judge(expected, ev(1, "case.register", case="b"), ev(2, "case.register", case="a")).passed


def test_happened_without_case_counts_any_case():
    expected = rule("happened", action="case.search", points=10)
    assert judge(expected, ev(1, "case.search", case=None)).passed
    assert judge(expected, ev(1, "case.search", case="c")).passed


def test_happened_by_a_simulated_role_does_not_count():
    expected = rule("happened", action="approval.decide", points=10)
    assert not judge(expected, ev(1, "approval.decide", actor=SIMULATED)).passed
    assert not judge(expected, ev(1, "approval.decide", actor=None)).passed      # the simulation
    assert not judge(expected, ev(1, "approval.decide", actor="stranger")).passed  # not a role


def test_happened_by_names_the_role_that_counts():
    expected = rule("happened", action="approval.decide", by=SIMULATED, points=10)
    assert judge(expected, ev(1, "case.view"), ev(2, "approval.decide", actor=SIMULATED)).passed
    # `by` names the only role that counts: the trainee's own action does not
    assert not judge(expected, ev(1, "approval.decide", actor=TRAINEE)).passed


def test_happened_seeded_history_does_not_count():
    expected = rule("happened", action="case.register", case="a", points=10)
    history = ev(1, "case.register", at(days=-1), exercise=False)
    assert not judge(expected, history).passed
    assert judge(expected, history, ev(2, "case.register", at(hours=1))).passed


def test_happened_when_tests_the_case_before_the_event():
    expected = rule("happened", action="referral.create", case="a", points=10,
                    when={"data.consent_share_other_orgs": True})
    no_consent = judge(expected,
                       ev(1, "case.register", changes={"data.consent_share_other_orgs": [None, False]}),
                       ev(2, "referral.create"))
    assert not no_consent.passed
    with_consent = judge(expected,
                         ev(1, "case.register", changes={"data.consent_share_other_orgs": [None, False]}),
                         ev(2, "referral.create"),
                         ev(3, "consent.record", changes={"data.consent_share_other_orgs": [False, True]}),
                         ev(4, "referral.create"))
    assert with_consent.passed
    assert with_consent.evidence == [4]


# -- before -----------------------------------------------------------------------------

SEARCH_FIRST = rule("before", first="case.search", then="case.register", points=10)


def test_before_neither_happened():
    result = judge(SEARCH_FIRST, ev(1, "note.add"))
    assert not result.passed
    assert result.evidence == []
    assert result.missing == "case.search did not come before case.register"


def test_before_only_first():
    assert not judge(SEARCH_FIRST, ev(1, "case.search")).passed


def test_before_only_then():
    result = judge(SEARCH_FIRST, ev(1, "case.register"))
    assert not result.passed
    assert result.evidence == [1]


def test_before_in_the_right_order():
    result = judge(SEARCH_FIRST, ev(1, "case.search", at(minutes=1)),
                   ev(2, "case.register", at(minutes=2)))
    assert result.passed
    assert result.points == 10
    assert result.evidence == [1, 2]


def test_before_in_the_wrong_order():
    assert not judge(SEARCH_FIRST, ev(1, "case.register", at(minutes=1)),
                     ev(2, "case.search", at(minutes=2))).passed


def test_before_the_first_then_decides():
    # register, search, register again: the first registration came without a search
    result = judge(SEARCH_FIRST, ev(1, "case.register", at(minutes=1)),
                   ev(2, "case.search", at(minutes=2)),
                   ev(3, "case.register", at(minutes=3)))
    assert not result.passed
    assert result.evidence == [1]


def test_before_repeated_firsts_the_earliest_is_the_evidence():
    result = judge(SEARCH_FIRST, ev(1, "case.search", at(minutes=1)),
                   ev(2, "case.search", at(minutes=2)),
                   ev(3, "case.register", at(minutes=3)),
                   ev(4, "case.search", at(minutes=4)))
    assert result.passed
    assert result.evidence == [1, 3]


def test_before_first_from_the_history_counts():
    # a consent recorded before the exercise (by anyone) still comes before a referral
    expected = rule("before", first="consent.record", then="referral.create", case="a", points=10)
    result = judge(expected, ev(1, "consent.record", at(days=-2), actor=SIMULATED, exercise=False),
                   ev(2, "referral.create", at(hours=1)))
    assert result.passed
    assert result.evidence == [1, 2]


def test_before_then_from_the_history_does_not_count():
    result = judge(SEARCH_FIRST, ev(1, "case.register", at(days=-1), exercise=False),
                   ev(2, "case.search", at(minutes=1)),
                   ev(3, "case.register", at(minutes=2)))
    assert result.passed
    assert result.evidence == [2, 3]


def test_before_then_by_a_simulated_role_does_not_count():
    result = judge(SEARCH_FIRST, ev(1, "case.register", at(minutes=1), actor=SIMULATED),
                   ev(2, "case.search", at(minutes=2)),
                   ev(3, "case.register", at(minutes=3)))
    assert result.passed


def test_before_first_on_another_case_does_not_count():
    expected = rule("before", first="consent.record", then="referral.create", case="a", points=10)
    assert not judge(expected, ev(1, "consent.record", at(minutes=1), case="b"),
                     ev(2, "referral.create", at(minutes=2), case="a")).passed


def test_before_ties_in_sim_time_are_broken_by_sequence():
    same = at(hours=1)
    assert judge(SEARCH_FIRST, ev(1, "case.search", same), ev(2, "case.register", same)).passed
    assert not judge(SEARCH_FIRST, ev(1, "case.register", same), ev(2, "case.search", same)).passed


def test_before_simulated_time_comes_before_sequence():
    # written later, but earlier on the simulated clock
    assert judge(SEARCH_FIRST, ev(1, "case.register", at(hours=2)),
                 ev(2, "case.search", at(hours=1))).passed


# -- within -----------------------------------------------------------------------------

ASSESS_24H = rule("within", action="assessment.complete", after="case.register", case="a",
                  hours=24, points=20)


@pytest.mark.parametrize(("delay", "met", "elapsed"), [
    (dt.timedelta(0), True, 0),
    (dt.timedelta(hours=23, minutes=59), True, 1439),
    (dt.timedelta(hours=24), True, 1440),                  # exactly at the deadline
    (dt.timedelta(hours=24, minutes=1), False, 1441),      # late
    (dt.timedelta(days=3), False, 3 * 1440),
])
def test_within_hours(delay, met, elapsed):
    anchor = at(hours=1)
    result = judge(ASSESS_24H, ev(1, "case.register", anchor),
                   ev(2, "assessment.complete", anchor + delay))
    assert result.passed is met
    assert result.points == (20 if met else 0)
    assert result.elapsed_minutes == elapsed
    assert result.evidence == [1, 2]


def test_within_late_after_the_clock_advanced():
    # the clock is advanced by two days; the assessment comes then
    result = judge(ASSESS_24H, ev(1, "case.register", at(hours=0)),
                   ev(2, "approval.decide", at(days=2), actor=SIMULATED),
                   ev(3, "assessment.complete", at(days=2, minutes=30)))
    assert not result.passed
    assert result.elapsed_minutes == 2 * 1440 + 30
    assert result.evidence == [1, 3]
    assert result.missing == ("assessment.complete did not happen within the time allowed "
                              "after case.register")


@pytest.mark.parametrize(("delay", "met"), [
    (dt.timedelta(days=2), True),
    (dt.timedelta(days=2, minutes=1), False),
])
def test_within_days(delay, met):
    expected = rule("within", action="followup.record", after="referral.create", days=2, points=5)
    assert judge(expected, ev(1, "referral.create", at(hours=3)),
                 ev(2, "followup.record", at(hours=3) + delay)).passed is met


FRIDAY = dt.datetime(2026, 3, 6, 16, 0, tzinfo=dt.UTC)
SATURDAY = dt.datetime(2026, 3, 7, 10, 0, tzinfo=dt.UTC)
MONDAY = dt.datetime(2026, 3, 9, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("anchor", "working_days", "action", "met"), [
    # Friday 16:00 + 1 working day is Monday 16:00, not Saturday
    (FRIDAY, 1, MONDAY.replace(hour=16), True),
    (FRIDAY, 1, MONDAY.replace(hour=16, minute=1), False),
    (FRIDAY, 1, FRIDAY + dt.timedelta(days=2), True),          # Sunday
    # Friday 16:00 + 2 working days is Tuesday 16:00
    (FRIDAY, 2, MONDAY.replace(day=10, hour=16), True),
    (FRIDAY, 2, MONDAY.replace(day=10, hour=16, minute=1), False),
    # Saturday 10:00 + 1 working day is Monday 10:00
    (SATURDAY, 1, MONDAY.replace(hour=10), True),
    (SATURDAY, 1, MONDAY.replace(hour=10, minute=1), False),
    # Monday 08:00 + 5 working days is the next Monday 08:00
    (START, 5, START + dt.timedelta(days=7), True),
    (START, 5, START + dt.timedelta(days=7, minutes=1), False),
])
def test_within_working_days_skip_the_weekend(anchor, working_days, action, met):
    expected = rule("within", action="assessment.complete", after="case.register",
                    working_days=working_days, points=10)
    result = judge(expected, ev(1, "case.register", anchor), ev(2, "assessment.complete", action))
    assert result.passed is met
    assert result.elapsed_minutes == int((action - anchor).total_seconds() // 60)


def test_within_days_count_the_weekend():
    expected = rule("within", action="assessment.complete", after="case.register", days=1, points=10)
    assert not judge(expected, ev(1, "case.register", FRIDAY),
                     ev(2, "assessment.complete", MONDAY.replace(hour=16))).passed


def test_within_anchor_never_happened():
    result = judge(ASSESS_24H, ev(1, "assessment.complete", at(hours=1)))
    assert not result.passed
    assert result.evidence == []
    assert result.elapsed_minutes is None


def test_within_anchor_without_the_action():
    result = judge(ASSESS_24H, ev(1, "case.register", at(hours=1)))
    assert not result.passed
    assert result.evidence == [1]
    assert result.elapsed_minutes is None


def test_within_action_before_the_anchor_does_not_count():
    result = judge(ASSESS_24H, ev(1, "assessment.complete", at(hours=1)),
                   ev(2, "case.register", at(hours=2)))
    assert not result.passed
    assert result.elapsed_minutes is None
    # ... and a later, late one is the one reported
    late = judge(ASSESS_24H, ev(1, "assessment.complete", at(hours=1)),
                 ev(2, "case.register", at(hours=2)),
                 ev(3, "assessment.complete", at(hours=30)))
    assert not late.passed
    assert late.elapsed_minutes == 28 * 60
    assert late.evidence == [2, 3]


def test_within_action_written_before_the_anchor_at_the_same_sim_time_does_not_count():
    """The clock does not move between a trainee's actions, so most events share their
    simulated time; their order is the sequence (as `before` rules have it). An action
    written before the anchor did not happen after it."""
    same = at(hours=1)
    result = judge(ASSESS_24H, ev(1, "assessment.complete", same), ev(2, "case.register", same))
    assert not result.passed
    assert result.points == 0


def test_within_the_anchor_is_not_its_own_follow_up():
    """`followup.record` within 7 days after `followup.record`: a second follow-up is due
    a week after the first. With one follow-up only, the second never happened."""
    expected = rule("within", action="followup.record", after="followup.record", case="a", days=7,
                    points=10)
    alone = judge(expected, ev(1, "followup.record", at(hours=1)))
    assert not alone.passed
    assert alone.points == 0
    second = judge(expected, ev(1, "followup.record", at(hours=1)),
                   ev(2, "followup.record", at(days=6)))
    assert second.passed
    assert second.evidence == [1, 2]


def test_within_action_written_after_the_anchor_at_the_same_sim_time_counts():
    same = at(hours=1)
    result = judge(ASSESS_24H, ev(1, "case.register", same), ev(2, "assessment.complete", same))
    assert result.passed
    assert result.elapsed_minutes == 0


def test_within_anchor_from_the_history_counts():
    result = judge(ASSESS_24H, ev(1, "case.register", at(hours=-10), exercise=False),
                   ev(2, "assessment.complete", at(hours=14)))
    assert result.passed
    assert result.elapsed_minutes == 24 * 60
    late = judge(ASSESS_24H, ev(1, "case.register", at(hours=-10), exercise=False),
                 ev(2, "assessment.complete", at(hours=15)))
    assert not late.passed
    assert late.elapsed_minutes == 25 * 60


def test_within_the_first_anchor_starts_the_clock():
    result = judge(ASSESS_24H, ev(1, "case.register", at(hours=0)),
                   ev(2, "case.register", at(hours=10)),
                   ev(3, "assessment.complete", at(hours=30)))
    assert not result.passed
    assert result.elapsed_minutes == 30 * 60


def test_within_action_by_a_simulated_role_or_in_the_history_does_not_count():
    result = judge(ASSESS_24H, ev(1, "case.register", at(days=-2), exercise=False),
                   ev(2, "assessment.complete", at(days=-2, hours=1), exercise=False),
                   ev(3, "assessment.complete", at(hours=1), actor=SIMULATED))
    assert not result.passed
    assert result.evidence == [1]


def test_within_on_another_case_does_not_count():
    result = judge(ASSESS_24H, ev(1, "case.register", at(hours=0), case="a"),
                   ev(2, "assessment.complete", at(hours=1), case="b"))
    assert not result.passed


# -- an attempt with no action ------------------------------------------------------------

#: Any action of the trainee's: the rules below that the seeded world meets by itself are
#: earned only by a trainee who did something.
ACTED = ev(90, "case.view")

NOTHING = [
    rule("final", "stays-open", case="a", field="status", equals="open", points=15),
    rule("count", "few-searches", action="case.search", at_most=1, points=10),
    rule("happened", "approved", action="approval.decide", by=SIMULATED, points=5),
    rule("never", "no-closure", action="case.close", penalty=20),
]


def test_an_attempt_with_no_action_scores_zero_on_every_step():
    report = score(scenario(*NOTHING), attempt(ev(1, "approval.decide", actor=SIMULATED),
                                               final={"a": {"status": "open"}}))
    assert report.score == 0
    assert [(r.id, r.passed, r.points) for r in report.rules] == [
        ("stays-open", False, 0), ("few-searches", False, 0), ("approved", False, 0),
        ("no-closure", True, 0)]
    assert report.rules[0].missing == "nothing was done during the exercise"


def test_the_same_steps_are_earned_once_the_trainee_acted():
    report = score(scenario(*NOTHING), attempt(ev(1, "approval.decide", actor=SIMULATED), ACTED,
                                               final={"a": {"status": "open"}}))
    assert report.score == 30
    assert all(r.passed for r in report.rules)


def test_actions_of_the_seeded_history_or_the_simulation_are_not_acting():
    report = score(scenario(*NOTHING), attempt(ev(1, "case.view", exercise=False),
                                               ev(2, "case.view", actor=None),
                                               final={"a": {"status": "open"}}))
    assert report.score == 0


def test_authoring_checks_see_what_the_world_meets_by_itself():
    report = score(scenario(*NOTHING), attempt(final={"a": {"status": "open"}}),
                   only_if_acted=False)
    assert [r.id for r in report.rules if r.points > 0] == ["stays-open", "few-searches"]


# -- final ------------------------------------------------------------------------------

FINAL = {"a": {"status": "open", "risk_level": "high", "data.consent_for_tracing": True,
               "data.protection_concerns": ["separated"], "flagged": False}}


@pytest.mark.parametrize(("keys", "met"), [
    ({"field": "status", "equals": "open"}, True),
    ({"field": "status", "equals": "closed"}, False),
    ({"field": "status", "in": ["open", "reopened"]}, True),
    ({"field": "status", "in": ["closed"]}, False),
    ({"field": "status", "not_equals": "closed"}, True),
    ({"field": "status", "not_equals": "open"}, False),
    ({"field": "flagged", "equals": False}, True),
    ({"field": "data.consent_for_tracing", "equals": True}, True),
    ({"field": "data.consent_for_tracing", "not_equals": True}, False),
    ({"field": "data.protection_concerns", "equals": ["separated"]}, True),
    ({"field": "data.closure_reason", "equals": "reunified"}, False),       # never filled in
    ({"field": "data.closure_reason", "in": ["reunified"]}, False),
    ({"field": "data.closure_reason", "not_equals": "reunified"}, True),    # missing is not equal
])
def test_final(keys, met):
    result = judge(rule("final", case="a", points=15, **keys), ACTED, final=FINAL)
    assert result.passed is met
    assert result.points == (15 if met else 0)
    assert result.evidence == []
    assert result.missing == ("" if met else f"{keys['field']} does not have the expected final value")


@pytest.mark.parametrize(("keys", "met"), [
    ({"field": "status", "equals": "open"}, False),
    ({"field": "status", "in": ["open"]}, False),
    ({"field": "status", "not_equals": "closed"}, True),
])
def test_final_case_not_present(keys, met):
    result = judge(rule("final", case="ghost", points=15, **keys), ACTED, final=FINAL)
    assert result.passed is met
    assert result.cases == {"ghost": met}


def test_final_ignores_events():
    result = judge(rule("final", case="a", field="status", equals="closed", points=5),
                   ev(1, "case.close", changes={"status": ["open", "closed"]}), final=FINAL)
    assert not result.passed


# -- never ------------------------------------------------------------------------------

NO_CLOSE = rule("never", rule_id="no-close", action="case.close", penalty=7)
REGISTER = rule("happened", rule_id="register", action="case.register", points=10)


def test_never_kept():
    report = score(scenario(REGISTER, NO_CLOSE), attempt(ev(1, "case.register")))
    never = report.rules[1]
    assert never.passed
    assert never.points == 0
    assert never.max_points == 0
    assert never.penalty == 7
    assert never.evidence == []
    assert report.score == 10


def test_never_violated_subtracts_the_penalty():
    report = score(scenario(REGISTER, NO_CLOSE),
                   attempt(ev(1, "case.register"), ev(2, "case.close"), ev(3, "case.close")))
    never = report.rules[1]
    assert not never.passed
    assert never.points == -7                      # once, however many times
    assert never.evidence == [2, 3]
    assert report.score == 3
    assert report.max_score == 10
    assert report.percent == pytest.approx(30.0)


def test_never_ignores_simulated_roles_and_the_history():
    report = score(scenario(REGISTER, NO_CLOSE),
                   attempt(ev(1, "case.close", at(days=-1), exercise=False),
                           ev(2, "case.register"), ev(3, "case.close", actor=SIMULATED),
                           ev(4, "case.close", actor=None)))
    assert report.rules[1].passed
    assert report.score == 10


def test_never_by_a_named_role():
    expected = rule("never", action="case.close", by=SIMULATED, penalty=5)
    assert judge(expected, ev(1, "case.close", actor=TRAINEE)).passed
    assert not judge(expected, ev(1, "case.close", actor=SIMULATED)).passed


def test_never_where():
    expected = rule("never", action="referral.create", penalty=20,
                    where={"details.consent_missing": {"exists": True}})
    assert judge(expected, ev(1, "referral.create", details={"consent_missing": []})).passed
    result = judge(expected, ev(1, "referral.create", details={}),
                   ev(2, "referral.create", details={"consent_missing": ["share_information"]}))
    assert not result.passed
    assert result.evidence == [2]


NO_REFERRAL_WITHOUT_CONSENT = rule("never", action="referral.create", penalty=20,
                                   when={"data.consent_share_other_orgs": {"not": True}})


def test_never_when_uses_the_state_rebuilt_from_earlier_changes():
    result = judge(
        NO_REFERRAL_WITHOUT_CONSENT,
        ev(1, "case.register", changes={"data.consent_share_other_orgs": [None, False],
                                        "status": [None, "open"]}),
        ev(2, "referral.create", details={"service_type": "medical"}),
        ev(3, "consent.record", changes={"data.consent_share_other_orgs": [False, True]}),
        ev(4, "referral.create", details={"service_type": "family_tracing"}))
    assert not result.passed
    assert result.evidence == [2]           # the referral made while consent was false
    assert result.points == -20


def test_never_when_after_consent_is_not_violated():
    result = judge(
        NO_REFERRAL_WITHOUT_CONSENT,
        ev(1, "case.register", changes={"data.consent_share_other_orgs": [None, False]}),
        ev(2, "consent.record", changes={"data.consent_share_other_orgs": [False, True]}),
        ev(3, "referral.create"))
    assert result.passed
    assert result.points == 0


def test_never_when_a_field_never_recorded_is_missing():
    assert not judge(NO_REFERRAL_WITHOUT_CONSENT, ev(1, "referral.create")).passed


def test_never_when_the_state_before_excludes_the_event_itself():
    result = judge(NO_REFERRAL_WITHOUT_CONSENT,
                   ev(1, "referral.create", changes={"data.consent_share_other_orgs": [None, True]}))
    assert not result.passed


def test_never_when_the_state_is_the_events_own_case():
    result = judge(
        NO_REFERRAL_WITHOUT_CONSENT,
        ev(1, "consent.record", case="b", changes={"data.consent_share_other_orgs": [None, True]}),
        ev(2, "referral.create", case="a"),
        ev(3, "referral.create", case="b"))
    assert not result.passed
    assert result.evidence == [2]


def test_never_when_replays_the_history_and_consent_withdrawn():
    result = judge(
        NO_REFERRAL_WITHOUT_CONSENT,
        ev(1, "consent.record", at(days=-1), exercise=False,
           changes={"data.consent_share_other_orgs": [None, True]}),
        ev(2, "referral.create", at(hours=1)),
        ev(3, "consent.record", at(hours=2), changes={"data.consent_share_other_orgs": [True, False]}),
        ev(4, "referral.create", at(hours=3)))
    assert not result.passed
    assert result.evidence == [4]


def test_never_when_on_a_column():
    expected = rule("never", action="case.update", penalty=3, when={"status": "closed"})
    result = judge(expected,
                   ev(1, "case.update"),
                   ev(2, "case.close", changes={"status": ["open", "closed"]}),
                   ev(3, "case.update"),
                   ev(4, "case.reopen", changes={"status": ["closed", "open"]}),
                   ev(5, "case.update"))
    assert result.evidence == [3]


def test_never_over_cases_takes_the_penalty_once():
    expected = rule("never", action="case.close", case=["a", "b"], penalty=4)
    result = judge(expected, ev(1, "case.close", case="a"), ev(2, "case.close", case="b"))
    assert not result.passed
    assert result.points == -4
    assert result.cases == {"a": False, "b": False}
    one = judge(expected, ev(1, "case.close", case="b"), ev(2, "case.close", case="c"))
    assert one.cases == {"a": True, "b": False}
    assert one.points == -4
    assert one.evidence == [1]


# -- count ------------------------------------------------------------------------------


@pytest.mark.parametrize(("bounds", "n", "met"), [
    ({"at_least": 2}, 0, False),
    ({"at_least": 2}, 1, False),
    ({"at_least": 2}, 2, True),
    ({"at_least": 2}, 5, True),
    ({"at_most": 1}, 0, True),
    ({"at_most": 1}, 1, True),
    ({"at_most": 1}, 2, False),
    ({"at_least": 1, "at_most": 2}, 0, False),
    ({"at_least": 1, "at_most": 2}, 1, True),
    ({"at_least": 1, "at_most": 2}, 2, True),
    ({"at_least": 1, "at_most": 2}, 3, False),
    ({"at_least": 0, "at_most": 0}, 0, True),
    ({"at_least": 0, "at_most": 0}, 1, False),
])
def test_count_bounds(bounds, n, met):
    events = [ev(i, "followup.record", at(hours=i)) for i in range(1, n + 1)]
    result = judge(rule("count", action="followup.record", points=10, **bounds), *events,
                   ev(99, "case.view", at(hours=9)))
    assert result.passed is met
    assert result.evidence == list(range(1, n + 1))
    assert result.missing == ("" if met else "followup.record: the number of times is outside the bounds")


def test_count_where_and_what_does_not_count():
    expected = rule("count", action="followup.record", case="a", at_least=2, points=10,
                    where={"details.followup_type": {"in": ["home_visit", "phone_call"]}})
    result = judge(expected,
                   ev(1, "followup.record", details={"followup_type": "home_visit"},
                      exercise=False),                                           # history
                   ev(2, "followup.record", details={"followup_type": "home_visit"}),
                   ev(3, "followup.record", details={"followup_type": "office"}),  # where
                   ev(4, "followup.record", details={"followup_type": "phone_call"},
                      actor=SIMULATED),                                          # simulated
                   ev(5, "followup.record", details={"followup_type": "phone_call"},
                      case="b"))                                                 # other case
    assert not result.passed
    assert result.evidence == [2]
    result = judge(expected,
                   ev(1, "followup.record", details={"followup_type": "home_visit"}),
                   ev(2, "followup.record", details={"followup_type": "phone_call"}))
    assert result.passed


def test_count_by_a_named_role():
    expected = rule("count", action="approval.decide", by=SIMULATED, at_least=1, at_most=1, points=4)
    assert judge(expected, ev(1, "approval.decide", actor=SIMULATED),
                 ev(2, "approval.decide", actor=TRAINEE)).passed


# -- partial credit and the total -------------------------------------------------------


def test_partial_credit_two_of_three_cases():
    expected = rule("happened", action="case.register", case=["a", "b", "c"], points=30)
    result = judge(expected, ev(1, "case.register", case="a"), ev(2, "case.register", case="c"),
                   ev(3, "case.register", case="d"))
    assert not result.passed
    assert result.points == pytest.approx(20)
    assert result.max_points == 30
    assert result.cases == {"a": True, "b": False, "c": True}
    assert result.evidence == [1, 2]


def test_partial_credit_is_rounded_in_the_report():
    expected = rule("happened", action="case.register", case=["a", "b", "c"], points=10)
    report = score(scenario(expected), attempt(ev(1, "case.register", case="a"),
                                               ev(2, "case.register", case="b")))
    assert report.rules[0].points == pytest.approx(20 / 3)
    assert report.as_dict()["rules"][0]["points"] == 6.67
    assert report.as_dict()["score"] == 6.67
    assert report.as_dict()["percent"] == 66.7


@pytest.mark.parametrize("kind_keys", [
    {"rule": "before", "first": "consent.record", "then": "referral.create"},
    {"rule": "within", "action": "referral.create", "after": "consent.record", "hours": 1},
    {"rule": "count", "action": "consent.record", "at_least": 1},
    {"rule": "final", "field": "status", "equals": "open"},
])
def test_partial_credit_for_every_kind(kind_keys):
    expected = {"id": "r", "points": 12, "case": ["a", "b", "c", "d"], **kind_keys}
    events = [ev(1, "consent.record", case="a"), ev(2, "referral.create", case="a"),
              ev(3, "consent.record", case="b"), ev(4, "referral.create", case="b"),
              ev(5, "referral.create", case="c")]
    final = {"a": {"status": "open"}, "b": {"status": "open"}, "c": {"status": "closed"}}
    result = judge(expected, *events, final=final)
    assert result.cases == {"a": True, "b": True, "c": False, "d": False}
    assert result.points == pytest.approx(6)


def test_total_score_is_never_below_zero():
    report = score(scenario(REGISTER, rule("never", rule_id="n", action="case.close", penalty=50)),
                   attempt(ev(1, "case.register"), ev(2, "case.close")))
    assert report.rules[1].points == -50
    assert report.score == 0
    assert report.percent == 0
    assert not report.passed


def test_max_score_excludes_never_rules():
    report = score(scenario(REGISTER, NO_CLOSE,
                            rule("final", rule_id="f", case="a", field="status", equals="open",
                                 points=5)),
                   attempt())
    assert report.max_score == 15
    assert [r.max_points for r in report.rules] == [10, 0, 5]


@pytest.mark.parametrize(("pass_mark", "passed"), [(0, True), (59, True), (60, True), (61, False),
                                                   (100, False)])
def test_percent_and_pass_mark(pass_mark, passed):
    expected = [rule("happened", rule_id=f"r{i}", action=f"step.n{i}", points=10) for i in range(5)]
    events = [ev(i + 1, f"step.n{i}") for i in range(3)]
    report = score(scenario(*expected, pass_mark=pass_mark), attempt(*events))
    assert report.score == 30
    assert report.max_score == 50
    assert report.percent == pytest.approx(60)
    assert report.pass_mark == pass_mark
    assert report.passed is passed


def test_all_met_is_100_percent():
    report = score(scenario(REGISTER, NO_CLOSE, pass_mark=100), attempt(ev(1, "case.register")))
    assert report.percent == 100
    assert report.passed


def test_no_rule_with_points_never_passes():
    report = score(scenario(NO_CLOSE, pass_mark=0), attempt())
    assert report.max_score == 0
    assert report.percent == 0
    assert not report.passed


def test_score_exactly_at_the_pass_mark_passes():
    """27 points over 5 cases with 2 met (10.8) and 27 points met: 37.8 / 54 is exactly 70%,
    the pass mark. The report prints percent 70.0 with pass_mark 70, so it must pass."""
    expected = [
        rule("happened", rule_id="register-all", action="case.register",
             case=["a", "b", "c", "d", "e"], points=27),
        rule("happened", rule_id="search", action="case.search", points=27),
    ]
    report = score(scenario(*expected, pass_mark=70),
                   attempt(ev(1, "case.search", case=None), ev(2, "case.register", case="a"),
                           ev(3, "case.register", case="b")))
    assert report.as_dict()["percent"] == 70.0
    assert report.as_dict()["score"] == 37.8
    assert report.passed


# -- determinism ------------------------------------------------------------------------


def test_scoring_twice_gives_the_same_report():
    scen = scenario(
        SEARCH_FIRST, ASSESS_24H, NO_REFERRAL_WITHOUT_CONSENT,
        rule("count", rule_id="c", action="followup.record", at_least=1, points=5),
        rule("final", rule_id="f", case="a", field="status", equals="open", points=5),
        rule("happened", rule_id="h", action="referral.create", case=["a", "b"], points=10))
    events = [
        ev(1, "case.register", at(days=-1), exercise=False,
           changes={"data.consent_share_other_orgs": [None, False]}),
        ev(2, "case.search", at(hours=1), case=None),
        ev(3, "case.register", at(hours=1), case="b"),
        ev(4, "assessment.complete", at(hours=2)),
        ev(5, "referral.create", at(hours=3)),
        ev(6, "followup.record", at(hours=5), details={"followup_type": "phone_call"}),
    ]
    final = {"a": {"status": "open"}, "b": {"status": "closed"}}
    first = score(scen, attempt(*events, final=final)).as_dict()
    second = score(scen, attempt(*events, final=final)).as_dict()
    assert first == second
    # the attempt is not changed by scoring it
    again = attempt(*events, final=final)
    score(scen, again)
    assert again.events == events
    assert score(scen, again).as_dict() == first
