"""The live board reads the kept progress: a constant number of queries, the scorer's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sandbox.scoring.attempts import score_space
from sandbox.scoring.steps import count_steps
from sandbox.simulation.models import Progress
from sandbox.simulation.services import play_solution
from sandbox.spaces.models import Space
from sandbox.workshops import selectors, services
from sandbox.workshops.models import Exercise

from .conftest import Cast, attempt_of, enrol, make_user, make_workshop, start

pytestmark = pytest.mark.django_db


def _polls(cast: Cast, trainees: int) -> tuple[int, int, list[str]]:
    """Queries of a first poll (every space scored) and of a second (nothing moved)."""
    workshop = make_workshop(cast.trainer, f"Cohort of {trainees}")
    for n in range(trainees):
        enrol(workshop, make_user(f"p{trainees}x{n}", name=f"Trainee {n}"))
    exercise = start(cast.trainer, workshop)
    attempts = list(exercise.attempts.all())
    play_solution(attempts[0].space, upto=2)  # type: ignore[arg-type]
    services.attempt_submit(user=attempts[1].enrolment.user, attempt=attempts[1])
    exercise = Exercise.objects.get(pk=exercise.pk)
    with CaptureQueriesContext(connection) as first:
        assert len(selectors.board(exercise)) == trainees
    with CaptureQueriesContext(connection) as second:
        rows = selectors.board(exercise)
    assert len(rows) == trainees and max(r.met for r in rows) >= 1
    return len(first), len(second), [q["sql"] for q in second.captured_queries]


def test_a_poll_costs_the_same_queries_for_3_and_30_trainees(cast: Cast) -> None:
    first_3, second_3, _sql = _polls(cast, 3)
    first_30, second_30, sql = _polls(cast, 30)
    assert (first_3, second_3) == (first_30, second_30)
    assert second_30 < first_30
    # Nothing moved: the second poll reads the kept rows and scores nothing.
    assert not any("cases_event" in q or "simulation_spaceseed" in q for q in sql), sql


def _same_as_scorer(exercise: Exercise) -> None:
    for row in selectors.board(Exercise.objects.get(pk=exercise.pk)):
        report = score_space(Space.objects.get(pk=row.attempt.space_id))
        steps = count_steps(report.rules)
        assert (row.met, row.total, row.percent, row.score) == (
            steps.met, steps.total, report.percent, report.score), row.trainee
        assert row.rules == {r.id: r.passed for r in report.rules}


def test_the_board_follows_actions_clock_reset_and_close_as_the_scorer_does(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    _same_as_scorer(exercise)
    play_solution(mine.space, upto=1)  # type: ignore[arg-type]
    _same_as_scorer(exercise)
    play_solution(attempt_of(exercise, cast.classmate).space)  # type: ignore[arg-type]
    _same_as_scorer(exercise)
    rows = {r.trainee: r for r in selectors.board(exercise)}
    assert rows["Zanele Quist"].met == rows["Zanele Quist"].total == 2
    assert rows["Zanele Quist"].last_action and rows["Zanele Quist"].last_action_at

    services.advance_clocks(by=cast.trainer, exercise=exercise, delta=dt.timedelta(days=1))
    _same_as_scorer(exercise)
    services.reset_attempts(by=cast.trainer, exercise=exercise,
                            attempt=attempt_of(exercise, cast.classmate))
    reset = attempt_of(exercise, cast.classmate).space
    assert Progress.objects.get(space=reset).holds_for(reset)  # the seeded one, back
    rows = {r.trainee: r for r in selectors.board(exercise)}
    assert rows["Zanele Quist"].met == 0 and rows["Zanele Quist"].last_action == ""
    _same_as_scorer(exercise)

    play_solution(mine.space)  # type: ignore[arg-type]
    services.exercise_close(by=cast.trainer, exercise=exercise)
    _same_as_scorer(exercise)
    closed = {r.trainee: r for r in selectors.board(Exercise.objects.get(pk=exercise.pk))}
    report = attempt_of(exercise, cast.trainee).report
    assert report is not None and closed["Amani Okello"].percent == report.percent
