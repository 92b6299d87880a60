"""Jobs on a real queue: a redis-server on a free loopback port, real `celery worker`
processes, and a database file they share with the web side (here, `manage.py shell`).

redis-server is required (`make test` installs Debian's package when it is missing):
without it these tests fail, they are not skipped."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CELERY = str(Path(PYTHON).parent / "celery")
SCENARIO = "caafag-reintegration"
TRAINEES = 8
#: How long a step may take before the test gives up (a stuck worker, not a slow one).
PATIENCE = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(what: str, check: Any, patience: float = PATIENCE) -> Any:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: `make test` installs it (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)

        def ready() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        _wait("redis-server", ready, 20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the schema and the default bundle, made once for the module."""
    path = tmp_path_factory.mktemp("jobs-db") / "template.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings.test",
           "DATABASE_URL": f"sqlite:///{path}"}
    for command in (["migrate", "--noinput", "-v0"], ["load_config", "seed_data/default", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return path


@dataclass
class Site:
    """One sandbox database, the broker, and the environment its processes share."""

    db: Path
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]]
    logs: Path

    def shell(self, code: str) -> str:
        done = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]  # after "N objects imported automatically"

    def worker(self, command: list[str], name: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **env}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append(process)
        return process

    def real_worker(self, name: str) -> subprocess.Popen[bytes]:
        return self.worker([CELERY, "-A", "sandbox.celery", "worker", "--pool", "solo",
                            "--loglevel", "INFO", "--without-mingle", "--without-gossip",
                            "-n", f"{name}@%h"], name)

    def job(self, pk: int) -> dict[str, Any]:
        with sqlite3.connect(self.db) as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM jobs_job WHERE id = ?", (pk,)).fetchone()
        return dict(row)

    def count(self, sql: str, *args: Any) -> int:
        with sqlite3.connect(self.db) as db:
            return int(db.execute(sql, args).fetchone()[0])


@pytest.fixture
def site(redis_url: str, migrated: Path, tmp_path: Path) -> Iterator[Site]:
    db = tmp_path / "sandbox.sqlite3"
    shutil.copyfile(migrated, db)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings.test",
           "DATABASE_URL": f"sqlite:///{db}", "CELERY_BROKER_URL": redis_url, "JOBS_MODE": "celery",
           "JOBS_STALE_SECONDS": "3", "PYTHONPATH": str(ROOT)}
    site = Site(db, env, [], tmp_path)
    yield site
    for process in site.workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


SETUP = f"""
from sandbox.accounts.models import User
from sandbox.workshops import services
from sandbox.workshops.models import Enrolment
import datetime as dt
trainer = User.objects.create_user("tomas", password="pw-tomas-123", kind=User.Kind.TRAINER)
workshop = services.workshop_create(trainer=trainer, title="Queue", starts_on=dt.date(2026, 3, 2),
                                    ends_on=dt.date(2026, 3, 6))
for n in range({TRAINEES}):
    user = User.objects.create_user(f"t{{n}}", password="pw-t-123", kind=User.Kind.TRAINEE)
    Enrolment.objects.create(workshop=workshop, user=user)
exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id="{SCENARIO}")
print(workshop.pk, exercise.pk)
"""

ENQUEUE = """
from sandbox.accounts.models import User
from sandbox.jobs import services as jobs
from sandbox.workshops.models import Exercise
exercise = Exercise.objects.get(pk={exercise})
first, created = jobs.enqueue("exercise.start", by=User.objects.get(username="tomas"),
                              target=f"exercise:{{exercise.pk}}", workshop=exercise.workshop,
                              exercise=exercise)
again, created_again = jobs.enqueue("exercise.start", by=User.objects.get(username="tomas"),
                                    target=f"exercise:{{exercise.pk}}", workshop=exercise.workshop,
                                    exercise=exercise)
assert created and not created_again and again.pk == first.pk
print(first.pk)
"""

DESCRIBE = """
from sandbox.jobs.models import Job
from sandbox.jobs.presentation import describe
print(describe(Job.objects.get(pk={job}))["{key}"])
"""

FRAGMENT = """
from django.template.loader import render_to_string
from sandbox.jobs.models import Job
from sandbox.jobs.presentation import describe
print(render_to_string("jobs/_job.html", {{"item": describe(Job.objects.get(pk={job}))}}).replace("\\n", " "))
"""


def _started(site: Site) -> tuple[int, int, int]:
    workshop, exercise = (int(v) for v in site.shell(SETUP).split())
    job = int(site.shell(ENQUEUE.format(exercise=exercise)))
    return workshop, exercise, job


def _consistent(site: Site, workshop: int, exercise: int) -> None:
    """The exercise runs with one space and one attempt per trainee, nothing twice."""
    assert site.count("SELECT COUNT(*) FROM workshops_exercise WHERE id = ? AND status = 'running'",
                      exercise) == 1
    assert site.count("SELECT COUNT(*) FROM workshops_attempt WHERE exercise_id = ?", exercise) == TRAINEES
    assert site.count("SELECT COUNT(*) FROM spaces_space WHERE slug LIKE ?",
                      f"ws{workshop}-ex{exercise}-%") == TRAINEES


def test_a_worker_runs_a_queued_job_to_the_end_with_its_progress(site: Site) -> None:
    workshop, exercise, job = _started(site)
    assert site.job(job)["status"] == "queued"  # nothing runs it in the web process
    site.real_worker("one")
    finished = _wait("the job to finish", lambda: site.job(job)["status"] in ("done", "failed"))
    assert finished
    row = site.job(job)
    assert (row["status"], row["error"]) == ("done", "")
    assert (row["done"], row["total"], row["tries"]) == (TRAINEES, TRAINEES, 1)
    _consistent(site, workshop, exercise)
    # The page's view of it, through the same code the progress fragment uses.
    shown = site.shell(DESCRIBE.format(job=job, key="outcome"))
    assert shown == f"Exercise started: {TRAINEES} practice spaces are ready."


def test_a_job_interrupted_by_a_killed_worker_is_run_again_and_ends_consistent(site: Site) -> None:
    workshop, exercise, job = _started(site)
    slow = site.worker([PYTHON, "-m", "tests.jobs.slow_worker"], "slow")
    progress_key = f"sandbox:1:jobs:progress:{job}"

    import pickle

    import redis

    broker = redis.Redis.from_url(site.env["CELERY_BROKER_URL"])

    def half_way() -> bool:
        raw = broker.get(progress_key)
        if raw is None:
            return False
        done, total = pickle.loads(raw)
        return 2 <= done < total

    _wait("the slow worker to be half-way", half_way)
    os.killpg(slow.pid, signal.SIGKILL)  # the machine running it dies
    slow.wait(10)
    assert site.job(job)["status"] == "running"
    # Half-way, nothing of the start is in the database: it is one transaction.
    assert site.count("SELECT COUNT(*) FROM workshops_attempt WHERE exercise_id = ?", exercise) == 0
    assert site.count("SELECT COUNT(*) FROM spaces_space WHERE slug LIKE ?",
                      f"ws{workshop}-ex{exercise}-%") == 0

    site.real_worker("two")  # finds the job silent, queues it again, and runs it
    _wait("the job to be run again", lambda: site.job(job)["status"] in ("done", "failed"))
    row = site.job(job)
    assert (row["status"], row["tries"]) == ("done", 2), row
    assert '"interrupted": 1' in row["result"]
    _consistent(site, workshop, exercise)
    assert site.shell(DESCRIBE.format(job=job, key="interrupted")) == "1"
    # What the page shows: the job done, and that its first run was interrupted and redone.
    fragment = site.shell(FRAGMENT.format(job=job))
    assert 'data-status="done"' in fragment and "The first run was interrupted" in fragment
