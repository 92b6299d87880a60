"""Reading workshops: whose they are, the live board, the results.

The board reads each trainee's kept progress in a constant number of queries; only the
spaces that moved since the last poll are scored again (one query per table for all of
them). The results read the kept reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sandbox.accounts.models import User
from sandbox.scoring.progress import progress_of
from sandbox.scoring.steps import cohort_steps
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.world import scenario_of

from .models import Attempt, Enrolment, Exercise, QueuedStatement, Workshop

#: A trainee with no action for this long (real time) is shown as perhaps stuck.
STUCK_AFTER = dt.timedelta(minutes=10)


def workshops_for(user: User) -> QuerySet[Workshop]:
    """Workshops a user may see: all for administrators, their own for trainers,
    those they are enrolled in for trainees."""
    if user.is_administrator:
        return Workshop.objects.all()
    return Workshop.objects.filter(Q(trainer=user) | Q(enrolments__user=user)).distinct()


def _managed(user: User) -> QuerySet[Workshop]:
    """The workshops the user runs (every one, for administrators)."""
    return Workshop.objects.all() if user.is_administrator else Workshop.objects.filter(trainer=user)


def managed_workshop(user: User, pk: int) -> Workshop:
    """A workshop the user runs (or any, for administrators); 404 otherwise."""
    found = _managed(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such workshop.")
    return found


def managed_exercise(user: User, workshop: Workshop, pk: int) -> Exercise:
    found = Exercise.objects.filter(workshop=workshop, pk=pk).first()
    if found is None:
        raise Http404("No such exercise.")
    return found


def my_enrolment(user: User, workshop_pk: int) -> Enrolment:
    found = Enrolment.objects.filter(workshop_id=workshop_pk, user=user).select_related(
        "workshop").first()
    if found is None:
        raise Http404("No such workshop.")
    return found


def my_attempt(user: User, pk: int) -> Attempt:
    found = (Attempt.objects.filter(pk=pk, enrolment__user=user)
             .select_related("exercise__workshop", "space", "report", "enrolment").first())
    if found is None:
        raise Http404("No such attempt.")
    return found


def attempt_in(exercise: Exercise, pk: int) -> Attempt:
    found = (Attempt.objects.filter(exercise=exercise, pk=pk)
             .select_related("space", "enrolment__user").first())
    if found is None:
        raise Http404("No such attempt.")
    return found


def latest_attempts(exercise: Exercise, *, progress: bool = False) -> list[Attempt]:
    """Each trainee's latest attempt (with its space's kept progress, when asked)."""
    latest: dict[int, Attempt] = {}
    found = exercise.attempts.select_related("space", "enrolment__user", "report")
    if progress:  # the board: the kept progress, and not the reports' long JSON
        found = found.select_related("space__progress").defer("report__result", "report__timeline")
    for attempt in found.order_by("number"):
        latest[attempt.enrolment_id] = attempt
    return sorted(latest.values(), key=lambda a: (a.enrolment.user.last_name,
                                                  a.enrolment.user.first_name,
                                                  a.enrolment.user.username))


def managed_exercise_in(user: User, workshop_pk: int, pk: int) -> Exercise:
    """An exercise of a workshop the user runs (or any, for administrators), with its
    workshop, in one query; 404 otherwise."""
    found = Exercise.objects.select_related("workshop").filter(
        pk=pk, workshop__in=_managed(user).filter(pk=workshop_pk)).first()
    if found is None:
        raise Http404("No such exercise.")
    return found


def enrolments(pks: list[int]) -> list[Enrolment]:
    """These enrolments, with their users, in the order given (none: no query)."""
    if not pks:
        return []
    found = Enrolment.objects.select_related("user").in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


@dataclass
class BoardRow:
    attempt: Attempt
    trainee: str
    organisation: str
    status: str
    clock: dt.datetime | None
    met: int
    total: int
    percent: float
    stage: str
    last_action: str
    last_action_at: dt.datetime | None
    stuck: bool
    rules: dict[str, bool] = field(default_factory=dict)
    score: float = 0.0


def board(exercise: Exercise, now: dt.datetime | None = None) -> list[BoardRow]:
    """Per trainee: steps met so far, stage reached, last action and when, stuck, clock.

    Read from each space's kept progress (`sandbox.scoring.progress`): only the spaces
    where something happened since the last poll are scored again, all at once."""
    now = now or timezone.now()
    attempts = latest_attempts(exercise, progress=True)
    found = progress_of([a.space for a in attempts if a.space is not None])
    rows = []
    for attempt in attempts:
        user = attempt.enrolment.user
        kept = found.get(attempt.space_id or 0)
        last_at = kept.last_action_at if kept else None
        reference = last_at or attempt.started_at
        stuck = attempt.status == Attempt.Status.IN_PROGRESS and now - reference > STUCK_AFTER
        rows.append(BoardRow(
            attempt=attempt, trainee=user.display_name, organisation=attempt.enrolment.organisation,
            status=attempt.status, clock=attempt.space.clock if attempt.space else None,
            met=kept.met if kept else 0, total=kept.total if kept else 0,
            percent=kept.percent if kept else 0.0, stage=kept.stage if kept else "",
            last_action=kept.last_action if kept else "", last_action_at=last_at, stuck=stuck,
            rules=dict(kept.rules) if kept else {}, score=kept.score if kept else 0.0))
    return rows


def board_steps(exercise: Exercise, rows: list[BoardRow]) -> list[dict[str, Any]]:
    """The scenario's steps (its scored rules) and how many trainees have met each so far."""
    seed = (SpaceSeed.objects.filter(space__attempts__exercise=exercise).defer("snapshot")
            .order_by("pk").first())
    if seed is None:
        return []
    scenario = scenario_of(seed)
    steps = []
    for rule in scenario.expected:
        if rule.rule == "never":
            continue
        met = sum(1 for row in rows if row.rules.get(rule.id))
        steps.append({"id": rule.id, "title": rule.title or {}, "met": met, "total": len(rows),
                      "percent": round(100 * met / len(rows)) if rows else 0})
    return steps


@dataclass
class Results:
    attempts: list[Attempt]
    rules: list[dict[str, Any]]  # the steps: id, title, completion (0..1), met, total


def results(exercise: Exercise) -> Results:
    """Every submitted attempt, and step-by-step completion across the cohort (latest
    submitted attempt of each trainee; steps as `sandbox.scoring.steps` counts them)."""
    submitted = list(exercise.attempts.filter(status=Attempt.Status.SUBMITTED)
                     .select_related("enrolment__user", "report").order_by("enrolment_id", "number"))
    latest: dict[int, Attempt] = {}
    for attempt in submitted:
        latest[attempt.enrolment_id] = attempt
    rules = cohort_steps(attempt.report.result["rules"] for attempt in latest.values()
                         if attempt.report is not None)
    return Results(attempts=submitted, rules=rules)


@dataclass
class StatementQueue:
    """An exercise's xAPI statements on their way to the learning record store."""

    pending: int
    sent: int
    failed: int
    #: The earliest next try of a waiting statement, and the latest error the store gave.
    next_try_at: dt.datetime | None
    last_error: str
    #: Statements not sent yet (waiting or refused), the oldest first, at most `UNSENT_SHOWN`.
    unsent: list[QueuedStatement]


UNSENT_SHOWN = 100


def statement_queue(exercise: Exercise) -> StatementQueue:
    rows = QueuedStatement.objects.filter(exercise=exercise)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    waiting = rows.filter(status=QueuedStatement.Status.PENDING)
    latest_error = (rows.exclude(status=QueuedStatement.Status.SENT).exclude(last_error="")
                    .order_by("-pk").values_list("last_error", flat=True).first())
    unsent = list(rows.exclude(status=QueuedStatement.Status.SENT)
                  .select_related("attempt__enrolment__user").order_by("pk")[:UNSENT_SHOWN])
    return StatementQueue(
        pending=counts.get(QueuedStatement.Status.PENDING, 0),
        sent=counts.get(QueuedStatement.Status.SENT, 0),
        failed=counts.get(QueuedStatement.Status.FAILED, 0),
        next_try_at=waiting.aggregate(first=Min("next_try_at"))["first"],
        last_error=latest_error or "", unsent=unsent)
