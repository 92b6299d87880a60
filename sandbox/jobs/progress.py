"""Progress and heartbeat of a running job, kept in the cache rather than in the job's row.

The operations a job runs are single transactions: a row written from inside one is seen
by nobody until it commits (and on SQLite a second connection could not write at all while
it holds the lock). The cache is outside the transaction; with a worker in another process
it must be shared between servers (Redis, see settings), which is what a deployment with a
broker has; without one, files shared by the processes of one machine."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.cache import BaseCache, caches

PROGRESS_KEY = "jobs:progress:{}"
BEAT_KEY = "jobs:beat:{}"


def _cache() -> BaseCache:
    return caches["jobs"]


class Progress:
    """Called as progress(done, total) by the services a job runs."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def __call__(self, done: int, total: int) -> None:
        _cache().set(PROGRESS_KEY.format(self.job_id), (int(done), int(total)),
                  timeout=settings.JOBS_STALE_SECONDS * 10)


def read_progress(job_id: int) -> tuple[int, int] | None:
    value = _cache().get(PROGRESS_KEY.format(job_id))
    return (int(value[0]), int(value[1])) if value else None


def forget_progress(job_id: int) -> None:
    _cache().delete(PROGRESS_KEY.format(job_id))


def beating(job_id: int) -> bool:
    """Whether the job's worker showed a sign of life within JOBS_STALE_SECONDS."""
    return _cache().get(BEAT_KEY.format(job_id)) is not None


class Heartbeat:
    """While the job runs, a thread says so every third of the stale delay; a killed
    worker stops saying it, and the job is then found stale."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def beat(self) -> None:
        _cache().set(BEAT_KEY.format(self.job_id), 1, timeout=settings.JOBS_STALE_SECONDS)

    def _run(self) -> None:
        interval = max(settings.JOBS_STALE_SECONDS / 3, 0.2)
        while not self._stop.wait(interval):
            self.beat()

    def __enter__(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        _cache().delete(BEAT_KEY.format(self.job_id))
