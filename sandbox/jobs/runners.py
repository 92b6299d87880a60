"""What each job kind does: read the job's parameters, call the domain's service with a
progress callback, return the result the page shows. Every service called here is
transactional (or idempotent), so a run interrupted half-way leaves nothing half-done and
running it again gives the same result."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from sandbox.accounts.models import User

from .models import Job
from .progress import Progress


def _starter(job: Job) -> User:
    if job.started_by is None:
        raise LookupError("the job's starter no longer exists")
    return job.started_by


def exercise_start(job: Job, progress: Progress) -> dict[str, Any]:
    from sandbox.workshops import services

    assert job.exercise is not None
    count = services.exercise_start(by=_starter(job), exercise=job.exercise, on_progress=progress)
    return {"count": count}


def exercise_reset(job: Job, progress: Progress) -> dict[str, Any]:
    from sandbox.workshops import services

    assert job.exercise is not None
    count = services.reset_attempts(by=_starter(job), exercise=job.exercise, on_progress=progress)
    return {"count": count}


def trainees_import(job: Job, progress: Progress) -> dict[str, Any]:
    from sandbox.workshops import services

    assert job.workshop is not None
    added = services.trainees_import_rows(
        by=_starter(job), workshop=job.workshop, filename=job.params.get("filename", ""),
        rows=[(int(line), row) for line, row in job.params["rows"]], on_progress=progress)
    credentials = [{"name": n.user.display_name, "username": n.user.username,
                    "email": n.user.email, "password": n.password,
                    "language": n.user.language or job.workshop.language}
                   for n in added if n.password]
    # The new accounts' passwords wait here for the trainer to see them once (see
    # sandbox.jobs.services.take_credentials), then they are erased.
    return {"count": len(added), "credentials": credentials}


def certificates_issue(job: Job, progress: Progress) -> dict[str, Any]:
    from sandbox.certificates import services

    assert job.workshop is not None
    issued = services.certificates_issue(by=_starter(job), workshop=job.workshop,
                                         enrolment_ids=job.params.get("enrolment_ids"),
                                         on_progress=progress)
    return {"count": len(issued)}


#: Written on another branch; looked up when a job of this kind runs.
LRS_MODULE = "sandbox.workshops.lrs"


def xapi_send(job: Job, progress: Progress) -> dict[str, Any]:
    send_pending = import_module(LRS_MODULE).send_pending
    outcome = send_pending(**({"limit": job.params["limit"]} if "limit" in job.params else {}))
    if isinstance(outcome, int):
        count = outcome
    elif isinstance(outcome, dict):
        count = int(outcome.get("sent", 0))
    else:
        count = int(getattr(outcome, "sent", 0) or 0)
    progress(count, count)
    return {"count": count}
