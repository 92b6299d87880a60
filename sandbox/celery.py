"""The Celery application that runs the sandbox's long jobs (see sandbox.jobs).

Start a worker with `celery -A sandbox.celery worker` next to the web servers, with the
same settings and CELERY_BROKER_URL (Redis). Without a broker the same jobs run in the web
process, and nothing here is used."""

from __future__ import annotations

import logging
import os
import threading

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.production")

app = Celery("sandbox")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["sandbox.jobs"])


@worker_ready.connect
def _recover_interrupted_jobs(**_kwargs: object) -> None:
    """While a worker runs, it looks for the jobs a killed worker left running (no
    heartbeat for JOBS_STALE_SECONDS) and queues them again, or fails them."""
    from django.conf import settings
    from django.db import close_old_connections

    from sandbox.jobs.services import recover_stale

    def watch() -> None:
        stop = threading.Event()
        while True:
            close_old_connections()
            try:
                recover_stale()
            except Exception:  # the watch goes on; the next round tries again
                logging.getLogger(__name__).exception("looking for interrupted jobs failed")
            stop.wait(settings.JOBS_STALE_SECONDS / 2)

    threading.Thread(target=watch, name="jobs-recovery", daemon=True).start()
