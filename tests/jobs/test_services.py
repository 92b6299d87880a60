"""Jobs run in-process (eager): what they do, what they say, and how they recover."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from sandbox.jobs import runners
from sandbox.jobs import services as jobs
from sandbox.jobs.kinds import KINDS, kind_of
from sandbox.jobs.models import Job
from sandbox.jobs.progress import BEAT_KEY, Progress
from sandbox.workshops import services
from sandbox.workshops.models import Attempt, Exercise
from tests.workshops.conftest import Cast, enrol, make_user

pytestmark = pytest.mark.django_db


def _exercise(cast: Cast) -> Exercise:
    return services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini")


def _start(cast: Cast, exercise: Exercise) -> tuple[Job, bool]:
    return jobs.enqueue("exercise.start", by=cast.trainer, target=f"exercise:{exercise.pk}",
                        workshop=cast.workshop, exercise=exercise)


def test_an_exercise_started_as_a_job_has_every_space_and_reports_its_progress(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):
        enrol(cast.workshop, make_user(f"late{n}"))
    monkeypatch.setattr(services, "CLONE_BATCH", 2)
    seen: list[tuple[int, int]] = []

    class Recording(Progress):
        def __call__(self, done: int, total: int) -> None:
            seen.append((done, total))
            super().__call__(done, total)

    monkeypatch.setattr(jobs, "Progress", Recording)
    exercise = _exercise(cast)
    job, created = _start(cast, exercise)
    assert created and job.status == Job.Status.DONE
    assert (job.done, job.total, job.result["count"], job.tries) == (5, 5, 5, 1)
    assert seen == [(1, 5), (3, 5), (5, 5)]
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING
    assert Attempt.objects.filter(exercise=exercise).count() == 5
    with translation.override("en"):
        assert str(kind_of(job.kind).done % {"count": 5}) == \
            "Exercise started: 5 practice spaces are ready."


def test_a_second_start_while_one_is_active_gets_the_same_job(cast: Cast) -> None:
    exercise = _exercise(cast)
    waiting = Job.objects.create(kind="exercise.start", target=f"exercise:{exercise.pk}",
                                 started_by=cast.trainer, workshop=cast.workshop, exercise=exercise)
    again, created = _start(cast, exercise)
    assert not created and again.pk == waiting.pk
    assert Job.objects.filter(kind="exercise.start").count() == 1
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.DRAFT  # the waiting job was not run twice


def test_the_database_refuses_two_active_jobs_on_one_target(cast: Cast) -> None:
    Job.objects.create(kind="exercise.reset", target="exercise:1", status=Job.Status.RUNNING)
    Job.objects.create(kind="exercise.reset", target="exercise:1", status=Job.Status.DONE)
    Job.objects.create(kind="exercise.start", target="exercise:1")  # another kind: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="exercise.reset", target="exercise:1")


def test_a_finished_job_does_not_stop_a_new_one(cast: Cast) -> None:
    exercise = _exercise(cast)
    first, _ = _start(cast, exercise)
    second, created = _start(cast, exercise)
    assert created and second.pk != first.pk
    assert second.status == Job.Status.FAILED
    assert second.error == "This exercise has already been started."


def test_a_refused_job_fails_with_the_users_message_in_their_language(cast: Cast) -> None:
    exercise = _exercise(cast)
    with translation.override("fr"):
        job, _ = jobs.enqueue("exercise.reset", by=cast.trainer, target=f"exercise:{exercise.pk}",
                              workshop=cast.workshop, exercise=exercise)
    assert job.status == Job.Status.FAILED and job.language == "fr"
    assert job.error and "Traceback" not in job.error
    with translation.override("fr"):
        assert job.error == gettext("The exercise is not running.")


def test_an_unexpected_error_is_a_sentence_not_a_traceback(cast: Cast,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(job: Job, progress: object) -> dict[str, int]:
        raise KeyError("internal detail")

    monkeypatch.setattr(runners, "exercise_reset", broken)
    exercise = _exercise(cast)
    job, _ = jobs.enqueue("exercise.reset", by=cast.trainer, target=f"exercise:{exercise.pk}",
                          workshop=cast.workshop, exercise=exercise)
    assert job.status == Job.Status.FAILED
    assert "internal detail" not in job.error and "KeyError" not in job.error
    assert job.error.startswith("The job stopped on an unexpected error")


def _interrupted(cast: Cast, exercise: Exercise, tries: int) -> Job:
    """A job a killed worker left running: claimed long ago, no heartbeat since."""
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    return Job.objects.create(kind="exercise.start", target=f"exercise:{exercise.pk}",
                              started_by=cast.trainer, workshop=cast.workshop, exercise=exercise,
                              status=Job.Status.RUNNING, tries=tries, started_at=long_ago,
                              heartbeat_at=long_ago)


def test_an_interrupted_job_is_run_again_and_says_so(cast: Cast) -> None:
    exercise = _exercise(cast)
    job = _interrupted(cast, exercise, tries=1)
    recovered = jobs.recover_stale()
    assert [j.pk for j in recovered] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.tries == 2
    assert job.result["interrupted"] == 1
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING
    assert Attempt.objects.filter(exercise=exercise).count() == 2


def test_a_job_interrupted_too_often_fails_with_a_clear_message(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_MAX_TRIES = 2
    exercise = _exercise(cast)
    job = _interrupted(cast, exercise, tries=2)
    jobs.recover_stale()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("The job was interrupted")
    assert Attempt.objects.filter(exercise=exercise).count() == 0


def test_a_slow_job_whose_worker_still_beats_is_left_alone(cast: Cast) -> None:
    exercise = _exercise(cast)
    job = _interrupted(cast, exercise, tries=1)
    caches["jobs"].set(BEAT_KEY.format(job.pk), 1, timeout=60)
    try:
        assert jobs.recover_stale() == []
    finally:
        caches["jobs"].delete(BEAT_KEY.format(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_a_queued_job_is_claimed_by_one_run_only(cast: Cast) -> None:
    exercise = _exercise(cast)
    job = Job.objects.create(kind="exercise.start", target=f"exercise:{exercise.pk}",
                             started_by=cast.trainer, workshop=cast.workshop, exercise=exercise)
    assert jobs.run_job(job.pk) is not None
    assert jobs.run_job(job.pk) is None  # a second delivery of the same job
    job.refresh_from_db()
    assert (job.status, job.tries) == (Job.Status.DONE, 1)


def test_xapi_sending_calls_the_lrs_module_by_its_path(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    fake = types.ModuleType("fake_lrs")

    def send_pending(**kwargs: object) -> int:
        calls.append(kwargs)
        return 3

    fake.send_pending = send_pending  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_lrs", fake)
    monkeypatch.setattr(runners, "LRS_MODULE", "fake_lrs")
    job, _ = jobs.enqueue("xapi.send", by=cast.trainer, target=f"workshop:{cast.workshop.pk}",
                          workshop=cast.workshop, params={"limit": 50})
    assert (job.status, job.result["count"]) == (Job.Status.DONE, 3)
    assert calls == [{"limit": 50}]
    assert "xapi.send" in KINDS


def test_an_unknown_kind_is_refused_before_anything_is_written(cast: Cast) -> None:
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue("nothing.such", by=cast.trainer, target="x")
    assert not Job.objects.exists()


def test_the_jobs_command_lists_and_recovers(cast: Cast) -> None:
    import io
    import json

    from django.core.management import call_command

    exercise = _exercise(cast)
    job = _interrupted(cast, exercise, tries=1)
    out = io.StringIO()
    call_command("jobs", "--format", "json", stdout=out)
    assert [(row["id"], row["status"]) for row in json.loads(out.getvalue())] == [(job.pk, "running")]
    out, err = io.StringIO(), io.StringIO()
    call_command("jobs", "--recover", "--all", "--format", "json", stdout=out, stderr=err)
    assert f"job {job.pk} (exercise.start" in err.getvalue()
    assert json.loads(out.getvalue())[0]["status"] == "done"


def test_a_broker_that_cannot_be_reached_fails_the_job_with_a_sentence(
        cast: Cast, settings, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    import socket

    from sandbox.celery import app

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
    settings.JOBS_MODE = "celery"
    exercise = _exercise(cast)
    with django_capture_on_commit_callbacks(execute=True):  # sent once the row is committed
        job, created = _start(cast, exercise)
    job.refresh_from_db()
    assert created and job.status == Job.Status.FAILED
    assert job.error.startswith("The job queue cannot be reached") and "Errno" not in job.error
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.DRAFT


def test_passwords_nobody_came_for_are_erased(cast: Cast) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    old = Job.objects.create(kind="trainees.import", target="workshop:1", status=Job.Status.DONE,
                             finished_at=long_ago, result={"count": 1, "credentials": [{"password": "x"}]})
    fresh = Job.objects.create(kind="trainees.import", target="workshop:2", status=Job.Status.DONE,
                               finished_at=timezone.now(),
                               result={"count": 1, "credentials": [{"password": "y"}]})
    assert jobs.forget_credentials() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.result == {"count": 1, "credentials": []}
    assert fresh.result["credentials"] == [{"password": "y"}]


def test_a_start_that_loses_the_race_to_the_insert_gets_the_winners_job(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = _exercise(cast)
    winner = Job.objects.create(kind="exercise.start", target=f"exercise:{exercise.pk}",
                                started_by=cast.trainer, workshop=cast.workshop, exercise=exercise)
    real_active = jobs._active
    looks: list[str] = []

    def look_before_the_winner_committed(kind: str, target: str) -> Job | None:
        looks.append(target)
        return None if len(looks) == 1 else real_active(kind, target)

    monkeypatch.setattr(jobs, "_active", look_before_the_winner_committed)
    job, created = _start(cast, exercise)
    assert (job.pk, created, len(looks)) == (winner.pk, False, 2)
    assert Job.objects.count() == 1
