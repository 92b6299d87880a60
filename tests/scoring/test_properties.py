"""The scorer against a deliberately naive reference, on random event logs (hypothesis).

The reference below is written from the rule definitions (docs/authoring/scenarios.md,
"Expected steps", and the docstring of `sandbox.scoring.engine`), not from the
engine's code: it indexes nothing, and compares every pair of events it needs.

    subject    the action the trainee should (not) take: an event of the exercise
               (not the seeded history), by the role named in `by`, or else by any
               trainee role, on the rule's case (any case when the rule names none)
    reference  `first` of before, `after` of within: any event of that action on
               the case, the seeded history and every actor included
    order      simulated time, then sequence (the order events were written)
    where      tests the event; `when` tests the case as it was just before the event,
               rebuilt from the changes recorded by the case's earlier events
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.scoring.engine import Attempt, EventView, score
from sandbox.scoring.steps import cohort_steps, count_steps

from .conftest import START, scenario

ACTIONS = ["case.register", "consent.record", "referral.create", "followup.record",
           "referral.create.refused"]
CASES = ["a", "b", "c"]
ROLES = {
    "caseworker": {"played_by": "trainee", "role": "caseworker"},
    "assistant": {"played_by": "trainee", "role": "caseworker"},
    "supervisor": {"played_by": "simulated", "role": "supervisor"},
    "tracing": {"played_by": "simulated", "role": "service_provider"},
}
TRAINEE_ROLES = ["caseworker", "assistant"]
ACTORS = [*ROLES, None]                       # None: the simulation itself
GAPS = [0, 0, 0, 1, 30, 120, 60 * 23, 60 * 24, 60 * 24 * 2 + 30]    # minutes between events
STRICT_GAPS = [g for g in GAPS if g > 0]
VALUES = ["x", "y", None, "", True, False, []]
#: What a referral disclosed, or the duplicates a registration names: lists of kinds.
KINDS = ["identity", "concerns", "incident"]
CHANGE_KEYS = ["status", "data.consent"]

ABSENT = object()   # the reference's own marker of a value that is not there


# -- the naive reference ------------------------------------------------------------------

def key(event: EventView) -> tuple[dt.datetime, int]:
    return (event.sim_time, event.sequence)


def earlier(x: EventView, y: EventView) -> bool:
    return key(x) < key(y)


def on_case(event: EventView, case: str | None) -> bool:
    return case is None or event.case == case


def is_subject(event: EventView, action: str, case: str | None, by: str | None) -> bool:
    roles = [by] if by is not None else TRAINEE_ROLES
    return (event.action == action and event.exercise and event.actor in roles
            and on_case(event, case))


def is_reference(event: EventView, action: str, case: str | None) -> bool:
    return event.action == action and on_case(event, case)


def event_value(event: EventView, path: str) -> Any:
    if path.startswith("details."):
        name = path[len("details."):]
        return event.details[name] if name in event.details else ABSENT
    if path.startswith("changes."):
        name = path[len("changes."):]
        if name in event.changes:
            old_new = event.changes[name]
            return old_new[1]
        return ABSENT
    raise AssertionError(path)


def state_before(events: list[EventView], index: int) -> dict[str, Any]:
    """The event's case just before it: every earlier event of that case, replayed."""
    state: dict[str, Any] = {}
    for j in range(index):
        if events[j].case == events[index].case:
            for name, old_new in events[j].changes.items():
                state[name] = old_new[1]
    return state


def holds(value: Any, condition: Any) -> bool:
    if isinstance(condition, dict) and "in" in condition:
        return value is not ABSENT and value in condition["in"]
    if isinstance(condition, dict) and "not" in condition:
        return value is ABSENT or value != condition["not"]
    if isinstance(condition, dict) and "exists" in condition:
        filled = value is not ABSENT and value is not None and value != "" and value != [] \
            and value != {}
        return filled if condition["exists"] else not filled
    if isinstance(condition, dict) and "has" in condition:
        wanted = condition["has"] if isinstance(condition["has"], list) else [condition["has"]]
        if not isinstance(value, list):
            return False
        for item in wanted:
            if item not in value:
                return False
        return True
    if isinstance(condition, dict) and "has_any" in condition:
        wanted = condition["has_any"] if isinstance(condition["has_any"], list) \
            else [condition["has_any"]]
        return isinstance(value, list) and len(set(wanted) & set(value)) > 0
    if isinstance(condition, dict) and "lacks" in condition:
        wanted = condition["lacks"] if isinstance(condition["lacks"], list) \
            else [condition["lacks"]]
        return not isinstance(value, list) or not set(wanted) & set(value)
    return value is not ABSENT and value == condition


def where_holds(event: EventView, where: dict[str, Any]) -> bool:
    for path, condition in where.items():
        if not holds(event_value(event, path), condition):
            return False
    return True


def when_holds(events: list[EventView], index: int, when: dict[str, Any]) -> bool:
    if not when:
        return True
    state = state_before(events, index)
    for path, condition in when.items():
        if not holds(state.get(path, ABSENT), condition):
            return False
    return True


def matching(events: list[EventView], rule: dict[str, Any], case: str | None) -> list[EventView]:
    """Subject events of `rule` matching its where and when, in the order written."""
    found = []
    for index, event in enumerate(events):
        if (is_subject(event, rule["action"], case, rule.get("by"))
                and where_holds(event, rule.get("where", {}))
                and when_holds(events, index, rule.get("when", {}))):
            found.append(event)
    return found


def naive_happened(events, rule, case) -> bool:
    return len(matching(events, rule, case)) > 0


def naive_never(events, rule, case) -> bool:
    return len(matching(events, rule, case)) == 0


def naive_count(events, rule, case) -> bool:
    n = len(matching(events, rule, case))
    if rule.get("at_least") is not None and n < rule["at_least"]:
        return False
    if rule.get("at_most") is not None and n > rule["at_most"]:
        return False
    return True


def is_then(event: EventView, rule: dict[str, Any], case: str | None) -> bool:
    return is_subject(event, rule["then"], case, rule.get("by")) and where_holds(
        event, rule.get("where", {}))


def naive_before(events, rule, case) -> bool:
    """Both happened (each matching its conditions: `where` the `then`, `first_where` the
    `first`), and a matching `first` came before the first matching `then`."""
    for then in events:
        if not is_then(then, rule, case):
            continue
        is_first_then = True
        for other in events:
            if is_then(other, rule, case) and earlier(other, then):
                is_first_then = False
        if not is_first_then:
            continue
        for first in events:
            if (is_reference(first, rule["first"], case) and earlier(first, then)
                    and where_holds(first, rule.get("first_where", {}))):
                return True
        return False
    return False


def in_window(anchor: dt.datetime, t: dt.datetime, rule: dict[str, Any]) -> bool:
    """Whether `t` (not before `anchor`) is within the rule's window after `anchor`."""
    if rule.get("hours") is not None:
        return t - anchor <= dt.timedelta(hours=rule["hours"])
    if rule.get("days") is not None:
        return t - anchor <= dt.timedelta(days=rule["days"])
    # working days: Monday to Friday; the deadline is the same time of day, on the
    # n-th weekday after the anchor's day
    n = rule["working_days"]
    if t == anchor:
        return True
    if n == 0:
        return False
    weekdays_passed = 0
    day = anchor.date()
    while day < t.date():
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            weekdays_passed += 1
    if weekdays_passed < n:
        return True
    if weekdays_passed == n:
        return t.weekday() < 5 and t.time() <= anchor.time()
    return False


def is_anchor(event: EventView, rule: dict[str, Any], case: str | None) -> bool:
    return is_reference(event, rule["after"], case) and where_holds(event, rule.get("after_where", {}))


def is_follow_up(event: EventView, rule: dict[str, Any], case: str | None) -> bool:
    return is_subject(event, rule["action"], case, rule.get("by")) and where_holds(
        event, rule.get("where", {}))


def anchors_of(events, rule, case) -> list[EventView]:
    """The matching anchors: only the first one, or every one when the rule says `every`."""
    found = [e for e in events if is_anchor(e, rule, case)]
    firsts = [e for e in found if all(not earlier(o, e) for o in found)]
    return found if rule.get("every") else firsts


def follow_up_in_time(events, rule, case, anchor) -> bool:
    """The first follow-up after the anchor came within the window."""
    after = [e for e in events if is_follow_up(e, rule, case) and earlier(anchor, e)]
    firsts = [e for e in after if all(not earlier(o, e) for o in after)]
    return bool(firsts) and in_window(anchor.sim_time, firsts[0].sim_time, rule)


def naive_within(events, rule, case) -> bool:
    """`action` happened after the first `after` (or after every one), within the window."""
    anchors = anchors_of(events, rule, case)
    if not anchors:
        return False
    return all(follow_up_in_time(events, rule, case, anchor) for anchor in anchors)


def naive_within_elapsed(events, rule, case) -> int | None:
    """Minutes from an anchor to the first follow-up after it (in time or late); over
    every anchor, the longest of them."""
    elapsed = []
    for anchor in anchors_of(events, rule, case):
        after = [e for e in events if is_follow_up(e, rule, case) and earlier(anchor, e)]
        for event in after:
            if all(not earlier(other, event) for other in after):
                elapsed.append((event.sim_time - anchor.sim_time) // dt.timedelta(minutes=1))
    return max(elapsed) if elapsed else None


def naive_record(records, rule, case) -> bool:
    """Some record of the kind, on the case (any focal case when none is named), has the
    fields `where` asks and the final status asked."""
    refs = [case] if case is not None else list(records)
    for ref in refs:
        for record in records.get(ref, []):
            if record["record"] != rule["record"]:
                continue
            if not holds(record.get("status", ABSENT), rule["status"]):
                continue
            if all(holds(record.get(k, ABSENT), c) for k, c in rule.get("where", {}).items()):
                return True
    return False


NAIVE = {"happened": naive_happened, "never": naive_never, "count": naive_count,
         "before": naive_before, "within": naive_within}


def cases_of(rule: dict[str, Any]) -> list[str | None]:
    case = rule.get("case")
    if case is None:
        return [None]
    return [case] if isinstance(case, str) else list(case)


def check_against_reference(events: list[EventView], rules: list[dict[str, Any]],
                            records: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """Score, and compare every rule (and the total) with the naive reference."""
    records = records or {}
    report = score(scenario(*rules, roles=ROLES),
                   Attempt(events=events, final={}, start=START, records=records))
    total = 0.0
    max_score = 0
    # a trainee who did nothing earns no step, whatever the seeded world already meets
    acted = any(e.exercise and e.actor in TRAINEE_ROLES for e in events)
    for rule, result in zip(rules, report.rules, strict=True):
        judge = NAIVE.get(rule["rule"])
        verdicts = {case: judge(events, rule, case) if judge else naive_record(records, rule, case)
                    for case in cases_of(rule)}
        if not acted and rule["rule"] != "never":
            verdicts = dict.fromkeys(verdicts, False)
        context = f"rule {rule!r}, per case {verdicts}"
        assert result.passed is all(verdicts.values()), context
        assert result.cases == {c: v for c, v in verdicts.items() if c is not None}, context
        met = sum(verdicts.values())
        if rule["rule"] == "never":
            points = 0 if met == len(verdicts) else -rule.get("penalty", 0)
            offending = sorted({e.sequence for c in verdicts for e in matching(events, rule, c)})
            assert result.evidence == offending, context
        else:
            points = rule.get("points", 0) * met / len(verdicts)
            max_score += rule.get("points", 0)
        if rule["rule"] == "count":
            counted = sorted({e.sequence for c in verdicts for e in matching(events, rule, c)})
            assert result.evidence == counted, context
        if rule["rule"] == "within" and len(verdicts) == 1:
            (case,) = verdicts
            assert result.elapsed_minutes == naive_within_elapsed(events, rule, case), context
        assert result.points == pytest.approx(points), context
        total += points
    assert report.max_score == max_score
    assert report.score == pytest.approx(max(0.0, total))
    # Every page counts the same steps: every rule but `never`, met as the reference says.
    steps = [(rule, result) for rule, result in zip(rules, report.rules, strict=True)
             if rule["rule"] != "never"]
    counted = count_steps(report.rules)
    assert (counted.met, counted.total) == (sum(r.passed for _rule, r in steps), len(steps))
    assert count_steps(report.as_dict()["rules"]) == counted
    assert [c["id"] for c in cohort_steps([report.as_dict()["rules"]])] == \
        [rule["id"] for rule, _result in steps]


# -- random logs and rules ----------------------------------------------------------------

values = st.sampled_from(VALUES)
kind_lists = st.lists(st.sampled_from(KINDS), max_size=3, unique=True)
conditions = st.one_of(
    values,
    st.lists(values, max_size=3).map(lambda vs: {"in": vs}),
    values.map(lambda v: {"not": v}),
    st.booleans().map(lambda b: {"exists": b}),
    st.one_of(st.sampled_from(KINDS), kind_lists).map(lambda v: {"has": v}),
    st.one_of(st.sampled_from(KINDS), kind_lists).map(lambda v: {"has_any": v}),
    st.one_of(st.sampled_from(KINDS), kind_lists).map(lambda v: {"lacks": v}),
    kind_lists,
)
wheres = st.one_of(st.just({}), st.dictionaries(
    st.sampled_from(["details.kind", "details.flag", "details.disclosed", "changes.status",
                     "changes.data.consent"]),
    conditions, max_size=2))
whens = st.one_of(st.just({}), st.dictionaries(st.sampled_from(["status", "data.consent"]),
                                               conditions, max_size=2))
rule_cases = st.one_of(st.none(), st.sampled_from(CASES),
                       st.lists(st.sampled_from(CASES), min_size=1, max_size=3, unique=True))
bys = st.one_of(st.none(), st.none(), st.sampled_from(list(ROLES)))
actions = st.sampled_from(ACTIONS)
points = st.integers(0, 30)


details_maps = st.one_of(
    st.dictionaries(st.sampled_from(["kind", "flag"]), values, max_size=2),
    st.fixed_dictionaries({"disclosed": kind_lists},
                          optional={"kind": values, "flag": values}))
changes_maps = st.dictionaries(
    st.sampled_from(CHANGE_KEYS),
    st.tuples(values, st.sampled_from(["open", "closed", True, False, None])).map(list),
    max_size=2)
event_cases = st.sampled_from(CASES)
actors = st.sampled_from(["caseworker", "caseworker", "assistant", *ACTORS])   # mostly trainees


@st.composite
def event_logs(draw: st.DrawFn, *, gaps: list[int] = GAPS, max_size: int = 25) -> list[EventView]:
    n = draw(st.integers(0, max_size))
    # the first events are the seeded history (often a short one)
    history = min(draw(st.integers(0, n)), draw(st.integers(0, n)))
    time = START - dt.timedelta(days=draw(st.integers(0, 4)), hours=draw(st.integers(0, 23)))
    gap = st.sampled_from(gaps)
    events = []
    for i in range(n):
        time += dt.timedelta(minutes=draw(gap))
        events.append(EventView(
            sequence=i + 1, action=draw(actions), sim_time=time, case=draw(event_cases),
            actor=draw(actors), changes=draw(changes_maps), details=draw(details_maps),
            exercise=i >= history))
    return events


def numbered(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"r{i}", **r} for i, r in enumerate(rules)]


def with_optional(base: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {**base, **{k: v for k, v in optional.items() if v is not None and v != {}}}


happened_rules = st.builds(
    lambda action, case, by, where, when, pts: with_optional(
        {"rule": "happened", "action": action, "points": pts}, case=case, by=by, where=where,
        when=when),
    actions, rule_cases, bys, wheres, whens, points)

never_rules = st.builds(
    lambda action, case, by, where, when, penalty: with_optional(
        {"rule": "never", "action": action, "penalty": penalty}, case=case, by=by, where=where,
        when=when),
    actions, rule_cases, bys, wheres, whens, st.integers(0, 30))


@st.composite
def count_rules(draw: st.DrawFn) -> dict[str, Any]:
    # only bounds some attempt can meet, and not none at all (validation refuses those)
    at_least = draw(st.one_of(st.none(), st.integers(0, 4)))
    at_most = draw(st.integers(0, 4)) if at_least is None else draw(
        st.one_of(st.none(), st.integers(at_least, 4)))
    if at_least == 0 and at_most is None:
        at_least = 1
    return with_optional({"rule": "count", "action": draw(actions), "points": draw(points)},
                         case=draw(rule_cases), by=draw(bys), where=draw(wheres),
                         at_least=at_least, at_most=at_most)


before_rules = st.builds(
    lambda first, then, case, by, pts, where, first_where: with_optional(
        {"rule": "before", "first": first, "then": then, "points": pts}, case=case, by=by,
        where=where, first_where=first_where),
    actions, actions, rule_cases, bys, points, wheres, wheres)


@st.composite
def within_rules(draw: st.DrawFn) -> dict[str, Any]:
    window = draw(st.sampled_from(["hours", "days", "working_days"]))
    size = draw({"hours": st.sampled_from([0, 1, 2, 23, 24, 48]),
                 "days": st.integers(0, 3), "working_days": st.integers(0, 5)}[window])
    return with_optional({"rule": "within", "action": draw(actions), "after": draw(actions),
                          window: size, "points": draw(points)},
                         case=draw(rule_cases), by=draw(bys), where=draw(wheres),
                         after_where=draw(wheres), every=draw(st.sampled_from([None, None, True])))


RECORD_KINDS = {"referral": ["pending", "accepted", "rejected", "done"],
                "task": ["open", "overdue", "done", "done_late"]}
record_values = st.sampled_from(["family_tracing", "health", "x", None])


@st.composite
def record_sets(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for case in CASES:
        out[case] = [
            {"record": kind, "status": draw(st.sampled_from(RECORD_KINDS[kind])),
             "service_type": draw(record_values), "kind": draw(record_values)}
            for kind in draw(st.lists(st.sampled_from(list(RECORD_KINDS)), max_size=4))]
    return out


@st.composite
def record_rules(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(RECORD_KINDS)))
    status = draw(st.one_of(st.sampled_from(RECORD_KINDS[kind]),
                            st.lists(st.sampled_from(RECORD_KINDS[kind]), max_size=3).map(
                                lambda vs: {"in": vs}),
                            st.sampled_from(RECORD_KINDS[kind]).map(lambda v: {"not": v})))
    where = draw(st.one_of(st.just({}), st.dictionaries(
        st.sampled_from(["service_type", "kind"]),
        st.one_of(record_values, st.lists(record_values, max_size=2).map(lambda v: {"in": v}),
                  st.booleans().map(lambda b: {"exists": b})), max_size=2)))
    return with_optional({"rule": "record", "record": kind, "status": status,
                          "points": draw(points)}, case=draw(rule_cases), where=where)


# -- the properties -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(event_logs(max_size=3), record_sets(), st.lists(record_rules(), min_size=1, max_size=4))
def test_record_matches_the_reference(events, records, rules):
    check_against_reference(events, numbered(rules), records)



@settings(max_examples=200, deadline=None)
@given(event_logs(), st.lists(happened_rules, min_size=1, max_size=4))
def test_happened_matches_the_reference(events, rules):
    check_against_reference(events, numbered(rules))


@settings(max_examples=200, deadline=None)
@given(event_logs(), st.lists(never_rules, min_size=1, max_size=4), happened_rules)
def test_never_matches_the_reference(events, rules, happened):
    # with a rule that has points, so that penalties show in the total
    check_against_reference(events, numbered([happened, *rules]))


@settings(max_examples=200, deadline=None)
@given(event_logs(), st.lists(count_rules(), min_size=1, max_size=4))
def test_count_matches_the_reference(events, rules):
    check_against_reference(events, numbered(rules))


@settings(max_examples=200, deadline=None)
@given(event_logs(), st.lists(before_rules, min_size=1, max_size=4))
def test_before_matches_the_reference(events, rules):
    check_against_reference(events, numbered(rules))


@settings(max_examples=200, deadline=None)
@given(event_logs(), st.lists(within_rules(), min_size=1, max_size=4))
def test_within_matches_the_reference(events, rules):
    check_against_reference(events, numbered(rules))


@settings(max_examples=200, deadline=None)
@given(event_logs(gaps=STRICT_GAPS),
       st.lists(within_rules().filter(lambda r: r["action"] != r["after"]), min_size=1, max_size=4))
def test_within_matches_the_reference_when_no_two_events_share_a_time(events, rules):
    """What test_within_matches_the_reference finds only comes from events that share
    a simulated time (the anchor itself, when `action` is `after`, included)."""
    check_against_reference(events, numbered(rules))


@settings(max_examples=200, deadline=None)
@given(event_logs(), st.lists(st.one_of(happened_rules, never_rules, count_rules(), before_rules),
                              min_size=1, max_size=6))
def test_mixed_rules_match_the_reference(events, rules):
    check_against_reference(events, numbered(rules))


@settings(max_examples=100, deadline=None)
@given(event_logs(), st.lists(st.one_of(happened_rules, never_rules, count_rules(), before_rules,
                                        within_rules()), min_size=1, max_size=6),
       st.lists(st.integers(1, 5), min_size=6, max_size=6))
def test_the_objective_a_rule_serves_changes_nothing_in_its_score(events, rules, objectives):
    tied = [{**rule, "objective": n} for rule, n in zip(rules, objectives, strict=False)]
    check_against_reference(events, numbered(tied))
    plain = score(scenario(*numbered(rules), roles=ROLES), Attempt(events=events, final={},
                                                                   start=START))
    with_objectives = score(scenario(*numbered(tied), roles=ROLES),
                            Attempt(events=events, final={}, start=START))
    assert with_objectives.as_dict() == plain.as_dict()


# -- a long log -----------------------------------------------------------------------------

def long_log(n: int, seed: int) -> list[EventView]:
    rng = random.Random(seed)
    time = START - dt.timedelta(days=2)
    history = n // 20
    events = []
    for i in range(n):
        time += dt.timedelta(minutes=rng.choice([0, 0, 1, 5, 30, 60]))
        changes = {}
        if rng.random() < 0.3:
            changes[rng.choice(CHANGE_KEYS)] = [None, rng.choice(["open", "closed", True, False])]
        details = {"kind": rng.choice(["x", "y", "z"])} if rng.random() < 0.7 else {}
        events.append(EventView(
            sequence=i + 1, action=rng.choice(ACTIONS), sim_time=time, case=rng.choice(CASES),
            actor=rng.choice(ACTORS), changes=changes, details=details, exercise=i >= history))
    return events


def test_ten_thousand_events_agree_with_the_reference():
    events = long_log(10_000, seed=20260302)
    rules = numbered([
        {"rule": "happened", "action": "referral.create", "case": ["a", "b"], "points": 10,
         "where": {"details.kind": "z"}},
        {"rule": "before", "first": "consent.record", "then": "referral.create", "case": "c",
         "points": 10},
        {"rule": "before", "first": "followup.record", "then": "case.register", "by": "assistant",
         "points": 10},
        {"rule": "count", "action": "followup.record", "case": "a", "at_least": 100,
         "at_most": 1000, "points": 10, "where": {"details.kind": {"in": ["x", "y"]}}},
        {"rule": "count", "action": "consent.record", "by": "tracing", "at_most": 10, "points": 5},
        {"rule": "within", "action": "followup.record", "after": "referral.create", "case": "b",
         "hours": 1, "points": 10},
        {"rule": "within", "action": "consent.record", "after": "case.register", "case": "a",
         "days": 1, "points": 10, "every": True, "after_where": {"details.kind": "x"},
         "where": {"details.kind": {"not": "z"}}},
        {"rule": "before", "first": "consent.record", "then": "referral.create", "case": "b",
         "points": 10, "where": {"details.kind": "y"}, "first_where": {"details.kind": "x"}},
        {"rule": "never", "action": "referral.create", "case": "c", "penalty": 5,
         "where": {"details.kind": {"exists": True}}, "when": {"data.consent": {"not": True}}},
    ])
    check_against_reference(events, rules)
    report = score(scenario(*rules, roles=ROLES), Attempt(events=events, final={}, start=START))
    assert len(report.rules) == len(rules)
    assert report.rules[3].evidence      # the log is long enough to matter
    assert len(report.rules[6].evidence) > 2     # every anchor of the `every` rule is looked at
