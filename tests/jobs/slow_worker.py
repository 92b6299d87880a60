"""A Celery worker whose exercise starts copy one space at a time, slowly: long enough for
the interrupted-job test to kill it half-way. Run as `python -m tests.jobs.slow_worker`."""

from __future__ import annotations

import time

import django

django.setup()

from sandbox.celery import app  # noqa: E402
from sandbox.workshops import services  # noqa: E402

real_clone_spaces = services.clone_spaces


def slow_clone_spaces(template, targets):  # type: ignore[no-untyped-def]
    time.sleep(0.5)
    return real_clone_spaces(template, targets)


services.CLONE_BATCH = 1
services.clone_spaces = slow_clone_spaces

if __name__ == "__main__":
    app.worker_main(["worker", "--pool", "solo", "--loglevel", "INFO", "--without-heartbeat",
                     "--without-mingle", "--without-gossip", "-n", "slow@%h"])
