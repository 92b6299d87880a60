"""The one Celery task: run a job by its id (the job's row holds everything it needs)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="sandbox.jobs.run", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job_task(job_id: int) -> None:
    from django.db import close_old_connections

    from .services import run_job

    close_old_connections()  # a worker is a long-lived process: no connection left broken
    try:
        run_job(job_id)
    finally:
        close_old_connections()
