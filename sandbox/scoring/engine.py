"""The scorer: pure rules over an attempt's events and its records' final state.

`score(scenario, attempt)` is a pure function: the same scenario version, events
and final state always give the same report. It reads no database and no clock.
Its cost is linear in the number of events: events are indexed by action once,
and each rule looks only at the events of its actions.

Which events count: the *subject* of a rule (the action the trainee should, or
should not, take) is matched among the exercise's events (after seeding) by the
roles the rule names (`by`), or by any trainee role. The *reference* of a rule
(`first` of `before`, `after` of `within`) is matched among all events, the
seeded history included: a consent recorded before the exercise still comes
before a referral made during it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sandbox.simulation.scenario.rules import Before, Count, Final, Happened, Never, Record, Within
from sandbox.simulation.scenario.schema import Scenario


@dataclass(frozen=True)
class EventView:
    """One event as the scorer sees it."""

    sequence: int
    action: str
    sim_time: dt.datetime
    case: str | None            # the scenario's reference of the case, or its display id
    actor: str | None           # the scenario role of the actor (None: the simulation)
    changes: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    exercise: bool = True       # False for the seeded history


@dataclass
class Attempt:
    """What is scored: the events in the order they were written, and each case's final state."""

    events: list[EventView]
    final: dict[str, dict[str, Any]]        # case ref -> {column or data.<field>: value}
    start: dt.datetime
    #: case ref -> its records at the end: {"record": referral|service|approval|task,
    #: "status": ..., and the record's fields (service_type, kind...)}
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class RuleResult:
    id: str
    kind: str
    passed: bool
    points: float
    max_points: int
    penalty: int = 0
    evidence: list[int] = field(default_factory=list)
    missing: str = ""
    elapsed_minutes: int | None = None
    cases: dict[str, bool] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "rule": self.kind, "passed": self.passed,
            "points": round(self.points, 2), "max_points": self.max_points,
            "penalty": self.penalty, "evidence": self.evidence, "missing": self.missing,
            "elapsed_minutes": self.elapsed_minutes, "cases": self.cases,
            "title": self.title, "feedback": self.feedback,
        }


@dataclass
class Report:
    scenario: str
    version: int
    score: float
    max_score: int
    percent: float
    pass_mark: int
    passed: bool
    rules: list[RuleResult]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "version": self.version, "score": round(self.score, 2),
            "max_score": self.max_score, "percent": round(self.percent, 1),
            "pass_mark": self.pass_mark, "passed": self.passed,
            "rules": [r.as_dict() for r in self.rules],
        }


# -- conditions -----------------------------------------------------------------------

_MISSING = object()


def lookup(event_or_state: EventView | dict[str, Any], path: str) -> Any:
    """A value by path: `details.x`, `changes.<key>` (its new value), `actor`, `case`;
    or, on a state, a column or `data.<field>`."""
    if isinstance(event_or_state, dict):
        return event_or_state.get(path, _MISSING)
    head, _, rest = path.partition(".")
    if head == "details":
        return event_or_state.details.get(rest, _MISSING)
    if head == "changes":
        change = event_or_state.changes.get(rest)
        return change[1] if isinstance(change, list | tuple) and len(change) == 2 else _MISSING
    if head in ("actor", "case", "action"):
        return getattr(event_or_state, head)
    return _MISSING


def matches(value: Any, condition: Any) -> bool:
    if isinstance(condition, dict) and len(condition) == 1:
        (op, arg), = condition.items()
        if op == "in":
            return value is not _MISSING and value in arg
        if op == "not":
            return value is _MISSING or value != arg
        if op == "exists":
            return (value is not _MISSING and value not in (None, "", [], {})) == bool(arg)
        if op == "has":
            wanted = arg if isinstance(arg, list) else [arg]
            return isinstance(value, list) and all(item in value for item in wanted)
        if op == "has_any":
            wanted = arg if isinstance(arg, list) else [arg]
            return isinstance(value, list) and any(item in value for item in wanted)
        if op == "lacks":
            # None of the items is in the list (a value not recorded lacks everything).
            wanted = arg if isinstance(arg, list) else [arg]
            return not isinstance(value, list) or not any(item in value for item in wanted)
    return value is not _MISSING and value == condition


def all_match(target: EventView | dict[str, Any], conditions: dict[str, Any]) -> bool:
    return all(matches(lookup(target, path), cond) for path, cond in conditions.items())


# -- scoring ----------------------------------------------------------------------------


class _Index:
    def __init__(self, attempt: Attempt, subject_roles: set[str]) -> None:
        self.attempt = attempt
        self.subject_roles = subject_roles
        self.by_action: dict[str, list[EventView]] = defaultdict(list)
        for event in attempt.events:
            self.by_action[event.action].append(event)
        self._states: dict[int, dict[str, Any]] | None = None

    def subject(self, action: str, case: str | None, by: str | None) -> list[EventView]:
        roles = {by} if by else self.subject_roles
        return [e for e in self.by_action.get(action, ())
                if e.exercise and e.actor in roles and (case is None or e.case == case)]

    def reference(self, action: str, case: str | None) -> list[EventView]:
        """Events of an action, history included, in simulated-time order."""
        found = [e for e in self.by_action.get(action, ()) if case is None or e.case == case]
        return sorted(found, key=lambda e: (e.sim_time, e.sequence))

    def state_before(self, event: EventView) -> dict[str, Any]:
        """The event's case as it was just before the event (replaying recorded changes)."""
        if self._states is None:
            self._states = {}
            current: dict[str | None, dict[str, Any]] = defaultdict(dict)
            for e in self.attempt.events:
                self._states[e.sequence] = dict(current[e.case])
                for key, change in e.changes.items():
                    if isinstance(change, list | tuple) and len(change) == 2:
                        current[e.case][key] = change[1]
        return self._states.get(event.sequence, {})


def _add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _missing_text(rule: Any) -> str:
    kind = rule.rule
    if kind == "happened":
        return f"{rule.action} did not happen"
    if kind == "before":
        return f"{rule.first} did not come before {rule.then}"
    if kind == "within":
        return f"{rule.action} did not happen within the time allowed after {rule.after}"
    if kind == "count":
        return f"{rule.action}: the number of times is outside the bounds"
    if kind == "final":
        return f"{rule.field} does not have the expected final value"
    if kind == "record":
        return f"no {rule.record} ends in the expected state"
    return ""


NOTHING_DONE = "nothing was done during the exercise"


def _deadline(rule: Within, anchor: EventView) -> dt.datetime:
    if rule.working_days is not None:
        return _add_working_days(anchor.sim_time, rule.working_days)
    return anchor.sim_time + dt.timedelta(hours=rule.hours or 0, days=rule.days or 0)


def _within_one(rule: Within, anchor: EventView, actions: list[EventView]
                ) -> tuple[bool, list[int], int | None]:
    """One anchor and its first follow-up: after the anchor means later in simulated time,
    or at the same time but written later (an anchor is never its own follow-up)."""
    after = [e for e in actions if (e.sim_time, e.sequence) > (anchor.sim_time, anchor.sequence)]
    if not after:
        return False, [anchor.sequence], None
    elapsed = _minutes(after[0].sim_time - anchor.sim_time)
    return after[0].sim_time <= _deadline(rule, anchor), [anchor.sequence, after[0].sequence], elapsed


def _evaluate_one(rule: Any, case: str | None, index: _Index, attempt: Attempt
                  ) -> tuple[bool, list[int], int | None]:
    """(met, evidence sequences, elapsed minutes) for one rule on one case."""
    if isinstance(rule, Happened):
        found = [e for e in index.subject(rule.action, case, rule.by)
                 if all_match(e, rule.where) and all_match(index.state_before(e), rule.when)]
        if found:
            return True, [found[0].sequence], _minutes(found[0].sim_time - attempt.start)
        return False, [], None
    if isinstance(rule, Before):
        thens = [e for e in index.subject(rule.then, case, rule.by) if all_match(e, rule.where)]
        if not thens:
            return False, [], None
        first_then = thens[0]
        firsts = [e for e in index.reference(rule.first, case)
                  if (e.sim_time, e.sequence) < (first_then.sim_time, first_then.sequence)
                  and all_match(e, rule.first_where)]
        if firsts:
            return True, [firsts[0].sequence, first_then.sequence], None
        return False, [first_then.sequence], None
    if isinstance(rule, Within):
        anchors = [e for e in index.reference(rule.after, case) if all_match(e, rule.after_where)]
        if not anchors:
            return False, [], None
        actions = [e for e in index.subject(rule.action, case, rule.by) if all_match(e, rule.where)]
        if not rule.every:
            return _within_one(rule, anchors[0], actions)
        evidence: list[int] = []
        slowest: int | None = None
        met = True
        for anchor in anchors:
            one_met, proof, elapsed = _within_one(rule, anchor, actions)
            met = met and one_met
            evidence.extend(proof)
            if elapsed is not None:
                slowest = elapsed if slowest is None else max(slowest, elapsed)
        return met, evidence, slowest
    if isinstance(rule, Final):
        state = attempt.final.get(case or "", {})
        value = state.get(rule.field, _MISSING)
        if rule.equals is not None:
            met = value is not _MISSING and value == rule.equals
        elif rule.in_ is not None:
            met = value is not _MISSING and value in rule.in_
        else:
            met = value is _MISSING or value != rule.not_equals
        return met, [], None
    if isinstance(rule, Record):
        cases = [case] if case is not None else list(attempt.records)
        met = any(r["record"] == rule.record and matches(r.get("status", _MISSING), rule.status)
                  and all(matches(r.get(k, _MISSING), c) for k, c in rule.where.items())
                  for ref in cases for r in attempt.records.get(ref or "", ()))
        return met, [], None
    if isinstance(rule, Count):
        found = [e for e in index.subject(rule.action, case, rule.by) if all_match(e, rule.where)]
        n = len(found)
        met = (rule.at_least is None or n >= rule.at_least) and (
            rule.at_most is None or n <= rule.at_most)
        return met, [e.sequence for e in found], None
    if isinstance(rule, Never):
        found = [e for e in index.subject(rule.action, case, rule.by)
                 if all_match(e, rule.where) and all_match(index.state_before(e), rule.when)]
        return not found, [e.sequence for e in found], None
    raise TypeError(f"unknown rule {rule!r}")


def acted(attempt: Attempt, trainee_roles: set[str]) -> bool:
    """Whether a trainee did anything at all during the exercise."""
    return any(e.exercise and e.actor in trainee_roles for e in attempt.events)


def score(scenario: Scenario, attempt: Attempt, *, only_if_acted: bool = True) -> Report:
    """The report of an attempt at a scenario.

    A rule the seeded world already meets (a final value, a record, an upper bound on a
    count) is earned only by a trainee who acted at all: an attempt with no action scores
    0 on every step, as when a trainer closes an exercise nobody touched. Authoring checks
    pass `only_if_acted=False` to see what the seeded world meets by itself.
    """
    trainee_roles = {ref for ref, r in scenario.roles.items() if r.played_by == "trainee"}
    index = _Index(attempt, trainee_roles)
    did_something = acted(attempt, trainee_roles) or not only_if_acted
    results: list[RuleResult] = []
    for rule in scenario.expected:
        cases = rule.cases()
        met_cases: dict[str, bool] = {}
        evidence: list[int] = []
        elapsed: int | None = None
        n_met = 0
        for case in cases:
            met, proof, minutes = _evaluate_one(rule, case, index, attempt)
            if not did_something and not isinstance(rule, Never):
                met = False
            n_met += met
            if case is not None:
                met_cases[case] = met
            evidence.extend(proof)
            if minutes is not None and elapsed is None:
                elapsed = minutes
        total = len(cases)
        if isinstance(rule, Never):
            passed = n_met == total
            points = 0.0 if passed else -float(getattr(rule, "penalty", 0))
            max_points = 0
        else:
            passed = n_met == total
            points = rule.points * n_met / total
            max_points = rule.points
        results.append(RuleResult(
            id=rule.id, kind=rule.rule, passed=passed, points=points, max_points=max_points,
            penalty=getattr(rule, "penalty", 0), evidence=sorted(set(evidence)),
            missing="" if passed else (_missing_text(rule) if did_something else NOTHING_DONE),
            elapsed_minutes=elapsed,
            cases=met_cases, title=rule.title or {}, feedback=rule.feedback or {}))
    max_score = sum(r.max_points for r in results)
    total_score = max(0.0, sum(r.points for r in results))
    percent = 100.0 * total_score / max_score if max_score else 0.0
    return Report(scenario=scenario.id, version=scenario.version, score=total_score,
                  max_score=max_score, percent=percent, pass_mark=scenario.pass_mark,
                  passed=max_score > 0 and percent + 1e-9 >= scenario.pass_mark, rules=results)
