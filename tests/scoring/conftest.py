"""Builders for the scorer's tests: a minimal scenario, events and attempts, no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.scoring.engine import Attempt, EventView, RuleResult, score
from sandbox.simulation.scenario.schema import Scenario

#: The start of every attempt built here: Monday 2 March 2026, 08:00 UTC.
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

TRAINEE = "caseworker"
SIMULATED = "supervisor"


def at(days: int = 0, hours: int = 0, minutes: int = 0) -> dt.datetime:
    """A simulated time, as an offset from START."""
    return START + dt.timedelta(days=days, hours=hours, minutes=minutes)


ROLES = {
    TRAINEE: {"played_by": "trainee", "role": "caseworker"},
    SIMULATED: {"played_by": "simulated", "role": "supervisor"},
}


def scenario(*rules: dict[str, Any], pass_mark: int = 70,
             roles: dict[str, dict[str, Any]] | None = None) -> Scenario:
    """A minimal valid scenario (by default one trainee role and one simulated role)."""
    return Scenario.model_validate({
        "id": "unit-test", "version": 1, "config": "default", "languages": ["en"],
        "title": {"en": "Unit test"}, "brief": {"en": "Scoring only."},
        "difficulty": "beginner", "duration_minutes": 30,
        "start": START.strftime("%Y-%m-%dT%H:%M"),
        "roles": roles or ROLES,
        "world": {},
        "expected": list(rules),
        "pass_mark": pass_mark,
    })


def ev(sequence: int, action: str, when: dt.datetime | None = None, *, case: str | None = "a",
       actor: str | None = TRAINEE, changes: dict[str, Any] | None = None,
       details: dict[str, Any] | None = None, exercise: bool = True) -> EventView:
    """One event; `when` defaults to the start."""
    return EventView(sequence=sequence, action=action, sim_time=when or START, case=case,
                     actor=actor, changes=changes or {}, details=details or {}, exercise=exercise)


def attempt(*events: EventView, final: dict[str, dict[str, Any]] | None = None) -> Attempt:
    return Attempt(events=list(events), final=final or {}, start=START)


def rule(kind: str, rule_id: str = "r", **keys: Any) -> dict[str, Any]:
    """A rule of the `expected` list, as a scenario file writes it."""
    return {"id": rule_id, "rule": kind, **keys}


def judge(expected: dict[str, Any], *events: EventView,
          final: dict[str, dict[str, Any]] | None = None) -> RuleResult:
    """The result of one rule over these events."""
    return score(scenario(expected), attempt(*events, final=final)).rules[0]
