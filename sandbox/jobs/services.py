"""Starting jobs, running them, and finding the ones a dead worker left behind.

Where a job runs is a deployment's choice (settings.JOBS_MODE): on a Celery worker when a
broker is configured, on a thread of the web process on the embedded default (`make run`,
nothing extra to install), or at once in the request (the tests). The job's row is the
same in every case, and so is the page that shows it."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sandbox.accounts.models import User
from sandbox.common.errors import NotAllowed, SandboxError

from .kinds import kind_of
from .models import Job
from .progress import Heartbeat, Progress, beating, forget_progress, read_progress

logger = logging.getLogger(__name__)


def enqueue(kind: str, *, by: User, target: str, workshop: Any = None, exercise: Any = None,
            params: dict[str, Any] | None = None) -> tuple[Job, bool]:
    """The job of this kind on this target: a new one (True), or the one already queued or
    running (False): a double click, or a second trainer starting the same thing, gets
    the first job and its progress, not a second run."""
    kind_of(kind)  # an unknown kind is a programming error, refused before anything is written
    for _attempt in range(3):
        existing = _active(kind, target)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                job = Job.objects.create(kind=kind, target=target, started_by=by, workshop=workshop,
                                         exercise=exercise, params=params or {},
                                         language=get_language() or settings.LANGUAGE_CODE)
        except IntegrityError:
            # Another request created the active job between our look and our insert
            # (the partial unique constraint refused ours): take that one.
            continue
        dispatch(job)
        job.refresh_from_db()
        return job, True
    found = _active(kind, target)
    if found is None:  # pragma: no cover - three races lost in a row, each job already finished
        raise RuntimeError("could not start or find the job")
    return found, False


def _active(kind: str, target: str) -> Job | None:
    return Job.objects.filter(kind=kind, target=target, status__in=Job.ACTIVE).first()


def dispatch(job: Job) -> None:
    """Hand the job to whatever runs jobs here (see the module's docstring)."""
    mode = settings.JOBS_MODE
    if mode == "eager":
        run_job(job.pk)
    elif mode == "celery":
        transaction.on_commit(lambda: _send(job.pk))
    else:
        transaction.on_commit(lambda: _start_thread(job.pk))


def _send(job_id: int) -> None:
    from sandbox.celery import app  # noqa: F401  (the app the task is sent with)

    from .tasks import run_job_task

    try:
        # One task per job id: a duplicate delivery finds the job taken and does nothing.
        run_job_task.apply_async(args=[job_id], task_id=f"job-{job_id}", retry=True,
                                 retry_policy={"max_retries": 2, "interval_start": 0.2,
                                               "interval_step": 0.5})
    except Exception:
        # The broker is down: the page says so instead of failing, and nothing ran.
        logger.exception("job %s could not be sent to the broker", job_id)
        job = Job.objects.filter(pk=job_id).first()
        with translation.override(job.language if job else None):
            message = _("The job queue cannot be reached, so the job did not start and nothing "
                        "was changed. Try again in a moment; if it fails again, tell the "
                        "administrator.")
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED, error=message, finished_at=timezone.now())


def _start_thread(job_id: int) -> None:
    def work() -> None:
        close_old_connections()
        try:
            run_job(job_id)
        finally:
            connection.close()

    threading.Thread(target=work, name=f"job-{job_id}", daemon=True).start()


def _claim(job_id: int) -> bool:
    """Take the queued job for this run; False when another run has it or it is over."""
    now = timezone.now()
    return Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, tries=F("tries") + 1) == 1


def run_job(job_id: int) -> Job | None:
    """Run a queued job to its end, done or failed. None when there was nothing to run."""
    if not _claim(job_id):
        return None
    job = Job.objects.select_related("started_by", "workshop", "exercise").get(pk=job_id)
    kind = kind_of(job.kind)
    progress = Progress(job.pk)
    with translation.override(job.language), Heartbeat(job.pk):
        try:
            with transaction.atomic():
                result = kind.function()(job, progress)
        except SandboxError as exc:
            _finish(job, Job.Status.FAILED, error=str(exc.message),
                    result={**job.result, "lines": [str(x) for x in exc.details.get("lines", [])]})
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(job, Job.Status.FAILED, error=_(
                "The job stopped on an unexpected error and changed nothing. Start it again; "
                "if it fails again, tell the administrator."))
        else:
            done = read_progress(job.pk)
            count = int(result.get("count", 0))
            total = done[1] if done and done[1] else count
            _finish(job, Job.Status.DONE, result={**job.result, **result}, done=total, total=total)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, *, error: str = "", result: dict[str, Any] | None = None,
            done: int | None = None, total: int | None = None) -> None:
    fields: dict[str, Any] = {"status": status, "error": error, "finished_at": timezone.now()}
    if result is not None:
        fields["result"] = result
    if done is not None:
        fields["done"], fields["total"] = done, total or 0
    else:
        last = read_progress(job.pk)
        if last:
            fields["done"], fields["total"] = last
    Job.objects.filter(pk=job.pk).update(**fields)
    forget_progress(job.pk)  # the row holds it now


def interrupted_message() -> str:
    return _("The job was interrupted (the server running it stopped) and was not finished. "
             "The interrupted run changed nothing: start it again.")


def recover_stale(*, now: dt.datetime | None = None, job_ids: list[int] | None = None) -> list[Job]:
    """Jobs whose worker died: each is queued again while it has tries left
    (JOBS_MAX_TRIES), and failed with a clear message after that. The operations are
    transactional, so the interrupted run left nothing behind and a new run starts clean."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    found = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff)
    if job_ids is not None:
        found = found.filter(pk__in=job_ids)
    recovered = []
    for job in found:
        if beating(job.pk):
            continue  # slow but alive
        same = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at)
        interrupted = {**job.result, "interrupted": int(job.result.get("interrupted", 0)) + 1}
        if job.tries < settings.JOBS_MAX_TRIES:
            if same.update(status=Job.Status.QUEUED, result=interrupted, done=0):
                logger.warning("job %s (%s) was interrupted: queued again", job.pk, job.kind)
                job.refresh_from_db()
                dispatch(job)
                recovered.append(job)
        else:
            with translation.override(job.language):
                message = interrupted_message()
            if same.update(status=Job.Status.FAILED, result=interrupted, error=message,
                           finished_at=now):
                logger.warning("job %s (%s) was interrupted: given up", job.pk, job.kind)
                recovered.append(job)
    forget_credentials(now=now)
    if settings.JOBS_MODE == "thread":
        # A web process restarted before its thread took the job: nobody else will.
        for job in Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=cutoff):
            dispatch(job)
            recovered.append(job)
    for job in recovered:
        job.refresh_from_db()
    return recovered


def live_progress(job: Job) -> Job:
    """The job with the progress its worker reported so far (kept in the cache)."""
    if job.active:
        last = read_progress(job.pk)
        if last:
            job.done, job.total = last
    return job


#: New accounts' passwords wait this long in their import's job for the trainer, then go.
CREDENTIALS_KEPT = dt.timedelta(minutes=30)


def forget_credentials(*, now: dt.datetime | None = None) -> int:
    """Erase the passwords of imports finished long enough ago that nobody came for them."""
    cutoff = (now or timezone.now()) - CREDENTIALS_KEPT
    forgotten = 0
    for job in Job.objects.filter(kind="trainees.import", status=Job.Status.DONE,
                                  finished_at__lt=cutoff).only("pk", "result"):
        if job.result.get("credentials"):
            Job.objects.filter(pk=job.pk).update(result={**job.result, "credentials": []})
            forgotten += 1
    return forgotten


@transaction.atomic
def take_credentials(*, by: User, job: Job) -> list[dict[str, str]]:
    """The new accounts' passwords of an import, for the trainer who started it, once: they
    are erased from the job as they are handed over."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.started_by_id != by.pk:
        raise NotAllowed(_("Only the trainer who imported the file can see the new passwords."))
    credentials = list(job.result.get("credentials", []))
    if credentials:
        job.result = {**job.result, "credentials": [], "credentials_shown": True}
        job.save(update_fields=["result"])
    return credentials
