"""`make bench-load`: a workshop under load, on this machine.

Simulated trainees work through the scenario uasc-market-separation at the same time,
against gunicorn with the production settings (sandbox.settings.loadtest: production
without HTTPS) on a throwaway PostgreSQL cluster. Everything listens on 127.0.0.1 only.

1. PostgreSQL: installed from Debian's packages if missing (as .ci/run does), a new
   cluster in a temporary directory, started on a free port.
2. migrate, createcachetable, load_config seed_data/default, collectstatic; then the
   trainees (known password, terms of use accepted) shared out among --workshops
   workshops, each with its trainer and an exercise of the scenario, started: one space
   per trainee (this script, run again with --seed, in a subprocess).
3. --servers gunicorn servers as deploying.md runs them (4 sync workers each; DB_CONN_MAX_AGE
   60, the production default) on free ports, warmed up with a few requests that are not
   counted; with two or more, Debian's haproxy in front (least busy first, no stickiness;
   the trainers' live boards skip the queue, to each server's own small gunicorn of
   --live-workers workers).
   With --broker (the default with two or more servers) a real job queue: Debian's
   redis-server on a free port and one Celery worker, the servers sharing its Redis as
   their cache; without it, with two or more servers, the cache in PostgreSQL
   (CACHE_URL=db://), as the deployment guide describes.
4. The trainees, one thread each, arriving over --arrival-seconds (--ramp): one sign-in
   on the site (the API then takes the same session, with its CSRF token; --api-token:
   an API token as well, the old second sign-in), then the scenario's reference solution
   through the API, with the pages a
   trainee reads in between, the clock advanced, the score read, and the attempt
   submitted. 0 to --think-ms between two requests (a click), --step seconds between two
   steps of the scenario (reading, filling a form): the run lasts about 110 s. With
   --step 0 every trainee goes as fast as the server answers (a stress test). Each
   workshop's trainer polls its live board every 5 s (skipped when the page does not
   exist: 404).
5. Everything stopped and removed; a summary, and as the LAST line one JSON object, with
   the CPU the server, PostgreSQL and the driver used per request, the share of the
   machine other processes took meanwhile (cpu_other_pct: above a few %, run again), the
   machine's load average during the run (load_1m_*), and the sign-in and board polls'
   p50/p95 (sign_in_*, board_poll_*).

Every request is timed; an error is an exception, a timeout, or a status other than
the one the step expects (a status >= 400 is never expected). The run is bounded:
--deadline seconds for the load, a timeout on every request and every setup step.
Exit status: 0 when the load ran (whatever the errors: they are the result), 1 when
the setup failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import hashlib
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_resets import VERIFY_MARK, ResetLog, resetter

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCENARIO = "uasc-market-separation"
PASSWORD = "load-test-only-7Qx2"  # every simulated user's; the cluster is thrown away
HOST = "127.0.0.1"
SETTINGS = "sandbox.settings.loadtest"
SEED_MARK = "SEED-RESULT "


class SetupFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def run(cmd: list[str], *, timeout: float, env: dict[str, str] | None = None,
        what: str = "") -> subprocess.CompletedProcess[str]:
    """Run a setup step; SetupFailed (with the end of its output) if it fails or hangs."""
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise SetupFailed(f"{what or cmd[0]}: no answer after {timeout:.0f} s") from exc
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip()[-2000:]
        raise SetupFailed(f"{what or ' '.join(cmd)} failed (exit {done.returncode}):\n{tail}")
    return done


# -- PostgreSQL ---------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster, as .ci/run starts one: initdb and pg_ctl as the postgres user."""

    def __init__(self, tmp: Path) -> None:
        self.data = tmp / "pg"
        self.port = free_port()
        self.bin: Path | None = None
        self.started = False
        self.root = os.geteuid() == 0

    def as_pg(self, cmd: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if self.root else cmd

    def install(self) -> None:
        if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
            log("PostgreSQL is not installed: installing Debian's package (apt-get)")
            sudo = [] if self.root else ["sudo"]
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            run([*sudo, "apt-get", "update", "-qq"], timeout=300, env=env, what="apt-get update")
            run([*sudo, "apt-get", "install", "-y", "-qq", "postgresql"], timeout=600, env=env,
                what="apt-get install postgresql")
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                       key=lambda p: [int(x) if x.isdigit() else 0 for x in re.split(r"[/.]", p)])
        if not found:
            raise SetupFailed("PostgreSQL's binaries are not in /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1])

    def start(self) -> str:
        self.install()
        assert self.bin is not None
        self.data.mkdir(mode=0o700)
        if self.root:
            shutil.chown(self.data, "postgres")
        run(self.as_pg([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "sandbox",
                        "--encoding=UTF8"]), timeout=120, what="initdb")
        options = f"-p {self.port} -k {self.data} -c listen_addresses={HOST}"
        run(self.as_pg([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
                        "-l", str(self.data / "server.log"), "start"]), timeout=90, what="pg_ctl start")
        self.started = True
        run([str(self.bin / "createdb"), "-h", HOST, "-p", str(self.port), "-U", "sandbox", "sandbox"],
            timeout=60, what="createdb")
        return f"postgres://sandbox@{HOST}:{self.port}/sandbox"

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if self.started and self.bin is not None:
            pid = self.pid()
            stopped = False
            with contextlib.suppress(Exception):
                stopped = subprocess.run(
                    self.as_pg([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                                "-t", "30", "stop"]), capture_output=True, timeout=45, check=False,
                ).returncode == 0
            if not stopped and pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGQUIT)  # this cluster's postmaster: immediate shutdown
                    time.sleep(2)
            self.started = False


# -- the job queue: Redis and a Celery worker ---------------------------------------------


class Broker:
    """A real broker for the job queue (Debian's redis-server on a free loopback port) and
    one Celery worker: the app servers enqueue jobs there and share its cache."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.tmp = tmp
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, env: dict[str, str], timeout: float = 30) -> None:
        if not shutil.which("redis-server"):
            log("redis-server is not installed: installing Debian's package (apt-get)")
            sudo = [] if os.geteuid() == 0 else ["sudo"]
            apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            run([*sudo, "apt-get", "update", "-qq"], timeout=300, env=apt_env, what="apt-get update")
            run([*sudo, "apt-get", "install", "-y", "-qq", "redis-server"], timeout=600, env=apt_env,
                what="apt-get install redis-server")
        server = shutil.which("redis-server")
        if not server:
            raise SetupFailed("redis-server is missing (Debian: apt-get install redis-server)")
        with open(self.tmp / "redis.log", "wb") as out:
            self.processes.append(subprocess.Popen(
                [server, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no",
                 "--dir", str(self.tmp)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SetupFailed(f"redis-server did not answer on {HOST}:{self.port}")
        with open(self.tmp / "celery.log", "wb") as out:
            self.processes.append(subprocess.Popen(
                [str(BIN / "celery"), "-A", "sandbox.celery", "worker", "--concurrency", "1",
                 "--loglevel", "WARNING"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True))

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=10)
                if process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)


# -- gunicorn -----------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, tmp: Path, env: dict[str, str], workers: int, threads: int,
                 index: int | str = 1, *, access_log: bool = False) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.env = env
        self.workers = workers
        self.threads = threads
        self.log_path = tmp / f"gunicorn-{index}.log"
        #: Each request's path, status and time in the server (microseconds), when kept.
        self.access_path = tmp / f"gunicorn-{index}-access.log" if access_log else None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        cmd = [str(BIN / "gunicorn"), "sandbox.wsgi", "--workers", str(self.workers),
               "--bind", f"{HOST}:{self.port}", "--timeout", "30", "--graceful-timeout", "5",
               "--no-control-socket", "--log-level", "warning"]
        if self.threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(self.threads)]
        if self.access_path is not None:
            cmd += ["--access-logfile", str(self.access_path), "--access-logformat", "%(U)s %(s)s %(D)s"]
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        import requests

        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise SetupFailed(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/accounts/login/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SetupFailed(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only its workers
            self.process.wait(timeout=5)


class HAProxy:
    """Debian's haproxy in front of several gunicorn servers, no stickiness (a trainee's
    requests land on every server: sessions must be shared, and are). Each server takes
    as many requests at once as it has workers (`maxconn`), the next goes to the least
    busy (`leastconn`): the others wait in haproxy's one queue, for the first worker free
    on any server, not behind a slow request in one server's backlog. The trainers' live
    boards (page and API) skip that queue (backend `live`)."""

    def __init__(self, tmp: Path, servers: list[Gunicorn], lanes: list[Gunicorn]) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.config = tmp / "haproxy.cfg"
        self.log_path = tmp / "haproxy.log"
        self.servers = servers
        self.lanes = lanes
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> None:
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(binary).exists():
            log("haproxy is not installed: installing Debian's package (apt-get)")
            sudo = [] if os.geteuid() == 0 else ["sudo"]
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            run([*sudo, "apt-get", "update", "-qq"], timeout=300, env=env, what="apt-get update")
            run([*sudo, "apt-get", "install", "-y", "-qq", "haproxy"], timeout=600, env=env,
                what="apt-get install haproxy")
        if not Path(binary).exists():
            raise SetupFailed("--servers above 1 needs haproxy (Debian: apt-get install haproxy)")
        # Lenient health checks: a server slow under load is still up (a strict check
        # takes both out at once, and haproxy answers 503 itself).
        backends = "\n".join(f"    server app{i} {HOST}:{g.port} maxconn {g.workers * g.threads} "
                             "check inter 10s fall 6 rise 1"
                             for i, g in enumerate(self.servers, start=1))
        # The trainers' live boards skip the queue: each server's small gunicorn of its own
        # (--live-workers), or else the same servers with no limit, so that a poll waits
        # only for the first worker to finish, not behind the queue.
        if self.lanes:
            live = "\n".join(f"    server live{i} {HOST}:{g.port} check inter 10s fall 6 rise 1"
                              for i, g in enumerate(self.lanes, start=1))
        else:
            live = "\n".join(f"    server app{i} {HOST}:{g.port} track apps/app{i}"
                              for i, g in enumerate(self.servers, start=1))
        self.config.write_text(f"""global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout check 20s
    timeout queue 30s
    option http-keep-alive
frontend sandbox
    bind {HOST}:{self.port}
    acl live_board path_reg ^(/api/v1)?/workshops/[0-9]+/exercises/[0-9]+/board/$
    use_backend live if live_board
    default_backend apps
backend apps
    balance leastconn
    option httpchk GET /accounts/login/
{backends}
backend live
    balance leastconn
{live}
""")
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen([binary, "-db", "-f", str(self.config)], cwd=ROOT,
                                            stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        import requests

        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise SetupFailed(f"haproxy exited ({self.process.returncode}):\n"
                                  f"{self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                if requests.get(f"{self.url}/accounts/login/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SetupFailed(f"haproxy did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            self.process.wait(timeout=5)


class LoadMeter:
    """The machine's load average (1 minute), read every few seconds during the run."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(OSError):
                self.samples.append(os.getloadavg()[0])
            self.stop.wait(5)

    def result(self) -> dict[str, Any]:
        self.stop.set()
        if not self.samples:
            return {}
        return {"load_1m_start": round(self.samples[0], 2),
                "load_1m_mean": round(sum(self.samples) / len(self.samples), 2),
                "load_1m_max": round(max(self.samples), 2)}


# -- the world: run in a subprocess with the load-test settings (--seed) -------------------


def seed(trainees: int, workshops: int = 1) -> None:
    """Trainers, trainees, workshops, exercises started; prints SEED_MARK + JSON.

    The trainees are shared out among `workshops` workshops (several sessions on one
    instance at once), each with its trainer and its exercise of the scenario."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from sandbox.accounts.models import User
    from sandbox.accounts.terms import accept
    from sandbox.workshops import services
    from sandbox.workshops.models import Attempt, Enrolment

    started = time.perf_counter()
    # One hash for everyone (same password): seeding does not pay 200 slow hashes. Signing
    # in still checks the password with the production hasher.
    encoded = make_password(PASSWORD)
    today = dt.date.today()
    sessions = []
    for w in range(workshops):
        name = "lt-trainer" if w == 0 else f"lt-trainer-{w + 1}"
        trainer = User.objects.create(username=name, first_name="Load", last_name=f"Trainer {w + 1}",
                                      email=f"{name}@example.org", kind=User.Kind.TRAINER,
                                      password=encoded, language="en")
        accept(trainer, "bench-load")
        workshop = services.workshop_create(trainer=trainer, title=f"Load test workshop {w + 1}",
                                            starts_on=today, ends_on=today + dt.timedelta(days=1),
                                            organisations="Load test")
        sessions.append((trainer, workshop))
    for i in range(1, trainees + 1):
        language = "fr" if i % 4 == 0 else "en"  # a quarter work in French
        email = f"lt-trainee-{i:03d}@example.org"
        user = User.objects.create(username=f"lt-trainee-{i:03d}", first_name="Trainee",
                                   last_name=f"{i:03d}", email=email, kind=User.Kind.TRAINEE,
                                   password=encoded, language=language, organisation="Load test")
        accept(user, "bench-load")
        Enrolment.objects.create(workshop=sessions[(i - 1) % workshops][1], user=user,
                                 organisation="Load test")
    result: dict[str, Any] = {"workshops": [], "trainees": [], "spaces": 0, "exercise_start_s": 0.0}
    for index, (trainer, workshop) in enumerate(sessions):
        exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO)
        seeded_at = time.perf_counter()
        result["spaces"] += services.exercise_start(by=trainer, exercise=exercise)
        result["exercise_start_s"] = round(result["exercise_start_s"] + time.perf_counter() - seeded_at, 2)
        result["workshops"].append({"workshop": workshop.pk, "exercise": exercise.pk,
                                    "trainer": trainer.username})
        attempts = (Attempt.objects.filter(exercise=exercise)
                    .select_related("space", "enrolment__user").order_by("enrolment__user__username"))
        result["trainees"] += [{"username": a.enrolment.user.username, "slug": a.space.slug,
                                "language": a.enrolment.user.language, "attempt": a.pk,
                                "session": index} for a in attempts]
    # The first workshop's, under the names the resets (bench_resets) read.
    result.update(result["workshops"][0])
    result["seed_s"] = round(time.perf_counter() - started, 2)
    print(SEED_MARK + json.dumps(result), flush=True)


# -- measuring ----------------------------------------------------------------------------


@dataclass
class Sample:
    name: str  # e.g. "page:case_detail", "api:referral.create"
    kind: str  # sign_in, page, api_read, api_write, clock, score, submit, board
    ms: float
    ok: bool
    status: int
    at: float  # seconds since the load started


@dataclass
class Recorder:
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    other_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, problem: str = "") -> None:
        with self.lock:
            self.samples.append(sample)
            if problem and len(self.problems) < 20:
                self.problems.append(problem)

    def note(self, problem: str) -> None:
        """An error that is no request's."""
        with self.lock:
            self.other_errors += 1
            if len(self.problems) < 20:
                self.problems.append(problem)


class Deadline(Exception):
    pass


class StepFailed(Exception):
    pass


class SpaceReset(Exception):
    """The trainer reset this trainee's space: the trainee starts the scenario again."""


class Client:
    """One user's HTTP client: a keep-alive session, every request timed and checked."""

    def __init__(self, base: str, recorder: Recorder, deadline: float, timeout: float,
                 think_ms: int, rng: random.Random, step_s: tuple[float, float] = (0.0, 0.0)) -> None:
        import requests

        self.requests = requests
        self.base = base
        self.recorder = recorder
        self.deadline = deadline
        self.timeout = timeout
        self.think_ms = think_ms
        self.step_s = step_s
        self.rng = rng
        self.web = requests.Session()  # the browser: session cookie and CSRF token
        self.web.headers["User-Agent"] = "sandbox-bench-load"
        # The API: with the browser's session (one sign-in; CSRF token on writes), or, with
        # api_token, as a script: its own API token (a second password check), no cookies.
        self.api_token = False
        self.api = self.web
        # Set for a trainee when resets run: their space, the reset log, and when the
        # current pass through the scenario began.
        self.slug = ""
        self.resets: Any = None
        self.pass_started = 0.0

    def think(self) -> None:
        """Between two requests: a click."""
        self.sleep(self.rng.uniform(0, self.think_ms / 1000))

    def step(self) -> None:
        """Between two steps of the scenario: reading, or filling a form."""
        self.sleep(self.rng.uniform(*self.step_s))

    def sleep(self, pause: float) -> None:
        if time.monotonic() + pause >= self.deadline:
            raise Deadline
        time.sleep(pause)

    def call(self, session: Any, method: str, path: str, *, name: str, kind: str,
             expect: tuple[int, ...] = (200,), think: bool = True, **kwargs: Any) -> Any:
        if session is self.web and method != "GET" and path.startswith("/api/"):
            # The API on the site's session: Django's CSRF check, as the pages' scripts pass it.
            kwargs["headers"] = {**kwargs.get("headers", {}),
                                 "X-CSRFToken": self.web.cookies.get("csrftoken", "")}
        if think:
            self.think()
        if time.monotonic() >= self.deadline:
            raise Deadline
        t0 = time.monotonic()
        try:
            response = session.request(method, self.base + path, timeout=(5, self.timeout),
                                       allow_redirects=False, **kwargs)
        except self.requests.RequestException as exc:
            ms = (time.monotonic() - t0) * 1000
            self.recorder.add(Sample(name, kind, ms, False, 0, t0 - self.recorder.started),
                              f"{name} {method} {path}: {type(exc).__name__}: {exc}"[:300])
            raise StepFailed(name) from exc
        ms = (time.monotonic() - t0) * 1000
        ok = response.status_code in expect
        if (not ok and 400 <= response.status_code < 500 and self.resets is not None
                and self.resets.reset_since(self.slug, self.pass_started)):
            # The one answer a reset may cost: expected, counted apart, not an error.
            self.recorder.add(Sample(name, "reset_conflict", ms, True, response.status_code,
                                     t0 - self.recorder.started))
            raise SpaceReset
        self.recorder.add(Sample(name, kind, ms, ok, response.status_code, t0 - self.recorder.started),
                          "" if ok else f"{name} {method} {path}: {response.status_code} "
                                        f"{response.text[:200]!r}")
        if not ok:
            raise StepFailed(name)
        return response

    # Shorthands: pages (web session), API reads and writes (token).
    def page(self, path: str, name: str, **kwargs: Any) -> Any:
        return self.call(self.web, "GET", path, name=f"page:{name}", kind="page", **kwargs)

    def get(self, path: str, name: str, **kwargs: Any) -> Any:
        return self.call(self.api, "GET", path, name=f"api:{name}", kind="api_read", **kwargs).json()

    def post(self, path: str, name: str, body: Any = None, kind: str = "api_write",
             expect: tuple[int, ...] = (200, 201)) -> Any:
        return self.call(self.api, "POST", path, name=f"api:{name}", kind=kind, expect=expect,
                         json=body if body is not None else {}).json()

    def sign_in(self, username: str) -> None:
        """The site's login form (CSRF token from the form); with api_token, an API token
        first (a second password check, as a script would)."""
        if self.api_token:
            import requests

            self.api = requests.Session()
            self.api.headers["User-Agent"] = "sandbox-bench-load"
            token = self.call(self.api, "POST", "/api/v1/auth/token/", name="api:auth_token",
                              kind="sign_in", json={"username": username, "password": PASSWORD}).json()
            self.api.headers["Authorization"] = f"Token {token['token']}"
        form = self.call(self.web, "GET", "/accounts/login/", name="page:login", kind="page")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if match is None:
            self.recorder.note("page:login: no csrfmiddlewaretoken in the form")
            raise StepFailed("login form")
        self.call(self.web, "POST", "/accounts/login/", name="page:login_post", kind="sign_in",
                  expect=(302,), data={"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": match.group(1)},
                  headers={"Referer": f"{self.base}/accounts/login/"})


# -- a trainee ----------------------------------------------------------------------------

REGISTRATION = {
    "name_last": "Inconnue", "age": 11, "sex": "female", "location_current": "LR010101",
    "date_identified": "2026-03-01", "identified_by": "community_volunteer",
    "protection_concerns": ["separated", "unaccompanied"], "risk_level": "high", "is_separated": True,
    "separation_details": "Lost her mother at the crowded bus station two days ago.",
}
ASSESSMENT = {
    "assessment_date": "2026-03-02", "safety_rating": "serious_concern",
    "care_arrangement": "unaccompanied", "assessed_needs": ["family_tracing", "safety", "psychosocial"],
    "assessment_summary": "Amina is alone, sleeping at the market. She knows her aunt's first name and "
                          "neighbourhood. Immediate need: safe interim care and family tracing.",
}
CASE_PLAN = {"case_plan_items": [
    {"plan_need": "family_tracing", "plan_goal": "Reunify Amina with her family",
     "plan_action": "Refer to the family tracing service", "plan_responsible": "Case worker",
     "plan_target_date": "2026-03-09"},
    {"plan_need": "safety", "plan_goal": "Safe interim care",
     "plan_action": "Place with a vetted foster family until reunification",
     "plan_responsible": "Case worker", "plan_target_date": "2026-03-02"},
]}


@dataclass
class Outcome:
    username: str
    submitted: bool = False
    percent: float | None = None
    stopped: str = ""  # why the trainee stopped early: the failed step, or "deadline"
    restarts: int = 0  # passes begun again after a reset of the space


def trainee(c: Client, username: str, slug: str, start_at: float, outcome: Outcome) -> None:
    """The scenario, started again after each reset of the trainee's space (at most 5)."""
    time.sleep(max(0.0, start_at - time.monotonic()))
    c.slug = slug
    try:
        c.sign_in(username)
    except (Deadline, StepFailed) as exc:
        outcome.stopped = str(exc) or "deadline"
        return
    for _pass in range(6):
        c.pass_started = time.monotonic()
        try:
            trainee_pass(c, username, slug, outcome)
            return
        except SpaceReset:
            outcome.restarts += 1
    outcome.stopped = "reset too often"


def trainee_pass(c: Client, username: str, slug: str, outcome: Outcome) -> None:
    """The scenario's reference solution through the API, reading the pages a trainee reads.
    `c.step()` is the time a trainee spends reading or filling a form between two steps."""
    api = f"/api/v1/spaces/{slug}"
    web = f"/spaces/{slug}"
    try:
        c.page("/", "home")
        spaces = c.get("/api/v1/spaces/", "spaces")
        if slug not in {s["slug"] for s in spaces["results"]}:
            c.recorder.note(f"{username}: space {slug} not in GET /api/v1/spaces/")
            raise StepFailed("spaces")
        c.step()  # the brief
        c.page(f"{web}/", "dashboard")
        c.page(f"{web}/exercise/", "exercise")
        c.get(f"{api}/exercise/", "exercise")
        c.step()  # look for the child: duplicates first
        c.page(f"{web}/cases/", "case_list")
        cases = c.get(f"{api}/cases/?q=Amina", "cases_list")
        focal = next((row["display_id"] for row in cases["results"]
                      if row["registration_status"] == "identified" and row["name_first"] == "Amina"), None)
        if focal is None:
            c.recorder.note(f"{username}: the identified case of Amina is not in the case list")
            raise StepFailed("find the focal case")
        case_api, case_web = f"{api}/cases/{focal}", f"{web}/cases/{focal}"
        actions = f"{case_api}/actions"
        c.post(f"{api}/cases/search/", "case.search", {"query": "Amina", "age": 11})
        c.page(f"{web}/cases/?q=Amina", "case_list_search")
        c.step()  # the registration form
        c.post(f"{api}/cases/", "case.register", {"case": focal, "data": REGISTRATION})
        c.page(f"{case_web}/", "case_detail")
        c.step()  # consent, explained to the child
        for consent in ("services", "share_information", "tracing"):
            c.post(f"{actions}/consent.record/", "consent.record",
                   {"consent_type": consent, "given": True, "given_by": "child"})
        c.post(f"{actions}/assessment.request/", "assessment.request")
        c.page(f"{case_web}/", "case_detail")
        c.step()  # the assessment form
        c.post(f"{actions}/assessment.complete/", "assessment.complete", {"data": ASSESSMENT})
        c.post(f"{actions}/approval.request/", "approval.request", {"kind": "assessment"})
        c.step()  # wait for the supervisor
        c.post(f"{api}/exercise/clock/", "clock", {"by": "1h"}, kind="clock")
        c.get(f"{api}/exercise/messages/", "messages")
        c.get(f"{api}/tasks/", "tasks")
        c.page(f"{case_web}/", "case_detail")
        c.step()  # the case plan
        c.post(f"{actions}/case_plan.save/", "case_plan.save", {"data": CASE_PLAN})
        c.post(f"{actions}/approval.request/", "approval.request", {"kind": "case_plan"})
        c.step()
        c.post(f"{api}/exercise/clock/", "clock", {"by": "1h"}, kind="clock")
        members = c.get(f"{api}/members/?limit=200", "members")
        tracing = next((m["id"] for m in members["results"] if m["role"] == "service_provider"), None)
        if tracing is None:
            c.recorder.note(f"{username}: no service provider among the members")
            raise StepFailed("find the tracing service")
        c.step()  # the referral form
        c.post(f"{actions}/referral.create/", "referral.create", {
            "service_type": "family_tracing", "reason": "case_plan_service", "to_member": tracing,
            "urgency": "immediate", "notes": "Aunt Mariam may live in Belmar Centre."})
        c.page(f"{case_web}/", "case_detail")
        c.step()
        clock = c.post(f"{api}/exercise/clock/", "clock", {"by": "6h"}, kind="clock")
        c.step()  # the follow-up call
        c.post(f"{actions}/followup.record/", "followup.record", {
            "date": clock["clock"][:10], "followup_type": "phone_call",
            "findings": "Spoke with Amina at the foster home; she is calm and eating. "
                        "Tracing visit planned tomorrow."})
        c.get(f"{case_api}/", "case_detail")
        c.get(f"{case_api}/events/?limit=100", "case_events")
        c.page(f"{case_web}/history/", "case_history")
        c.step()  # review before submitting
        c.page(f"{web}/", "dashboard")
        c.call(c.api, "GET", f"{api}/score/", name="api:score", kind="score")
        c.step()
        report = c.call(c.api, "POST", f"{api}/score/submit/", name="api:score_submit", kind="submit",
                        expect=(201,)).json()
        outcome.submitted = True
        outcome.percent = report.get("percent")
        c.page(f"{web}/exercise/", "exercise")
    except Deadline:
        outcome.stopped = "deadline"
    except StepFailed as exc:
        outcome.stopped = str(exc)
    except SpaceReset:
        raise
    except Exception as exc:  # a bug of the driver: counted, never hidden
        outcome.stopped = f"{type(exc).__name__}: {exc}"
        c.recorder.note(f"{username}: {type(exc).__name__}: {exc}"[:300])


@dataclass
class Board:
    path: str
    polls: int = 0
    unchanged: int = 0  # polls answered 204: nothing had changed
    whole: int = 0  # polls answered with the whole board (the first...), not the rows changed
    available: bool | None = None  # None: not polled yet


def trainer_loop(c: Client, username: str, board: Board, stop: threading.Event,
                 path: str = "") -> None:
    """A trainer watches their live board every 5 s (as the page does), if the board exists."""
    path = path or board.path
    shown = ""  # the version of the board on the trainer's page, sent with each poll (htmx)
    try:
        c.sign_in(username)
        while not stop.is_set() and time.monotonic() < c.deadline:
            t0, sent = time.monotonic(), shown
            try:
                response = c.web.get(c.base + path, params={"v": shown} if shown else None,
                                     timeout=(5, c.timeout), allow_redirects=False)
            except c.requests.RequestException as exc:  # an error of this poll: the next one
                c.recorder.add(Sample("page:board", "board", (time.monotonic() - t0) * 1000, False, 0,
                                      t0 - c.recorder.started),
                               f"page:board GET {path}: {type(exc).__name__}"[:300])
                stop.wait(5)
                continue
            ms = (time.monotonic() - t0) * 1000
            if board.available is None and response.status_code == 404:
                board.available = False  # not built yet: nothing to measure
                return
            with c.recorder.lock:
                board.available = True
                board.polls += 1
            # 204: nothing changed since the version shown; the page stays as it is.
            ok = response.status_code in (200, 204)
            if response.status_code == 200:
                found = re.search(r'hx-get="[^"?]*\?v=([0-9a-f]+)"', response.text)
                shown = found.group(1) if found else ""
            # The first poll (no version yet) and a 200 with HX-Retarget: the whole board;
            # other 200s: only the rows that changed.
            whole = response.status_code == 200 and (not sent or "HX-Retarget" in response.headers)
            with c.recorder.lock:
                board.unchanged += response.status_code == 204
                board.whole += whole
            c.recorder.add(Sample("page:board_whole" if whole else "page:board", "board", ms, ok,
                                  response.status_code, t0 - c.recorder.started),
                           "" if ok else f"page:board GET {path}: {response.status_code}")
            stop.wait(5)
    except (Deadline, StepFailed):
        pass
    except Exception as exc:
        c.recorder.note(f"trainer: {type(exc).__name__}: {exc}"[:300])


# -- results ------------------------------------------------------------------------------


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest rank."""
    if not sorted_ms:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_ms)))
    return round(sorted_ms[rank - 1], 1)


def summarise(recorder: Recorder, outcomes: list[Outcome], board: Board, duration: float,
              info: dict[str, Any]) -> dict[str, Any]:
    samples = recorder.samples
    everything = sorted(s.ms for s in samples)
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_name: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s.ms)
        by_name[s.name].append(s)
    after_sign_in = sorted(s.ms for s in samples if s.kind != "sign_in")
    # Failed requests, and failures that are no request's (an answer without what the
    # next step needs, or an exception of the driver).
    errors = sum(1 for s in samples if not s.ok) + recorder.other_errors
    result: dict[str, Any] = {
        "trainees": len(outcomes),
        "requests": len(samples),
        "errors": errors,
        "p50_ms": percentile(everything, 50),
        "p95_ms": percentile(everything, 95),
        "p99_ms": percentile(everything, 99),
        "max_ms": round(everything[-1], 1) if everything else 0.0,
        "duration_s": round(duration, 1),
        "requests_per_s": round(len(samples) / duration, 1) if duration > 0 else 0.0,
        "p95_ms_without_sign_in": percentile(after_sign_in, 95),
        "sign_in_p50_ms": percentile(sorted(by_kind.get("sign_in", [])), 50),
        "sign_in_p95_ms": percentile(sorted(by_kind.get("sign_in", [])), 95),
        "board_poll_p50_ms": percentile(sorted(by_kind.get("board", [])), 50),
        "board_poll_p95_ms": percentile(sorted(by_kind.get("board", [])), 95),
        "p50_ms_by_kind": {k: percentile(sorted(v), 50) for k, v in sorted(by_kind.items())},
        "p95_ms_by_kind": {k: percentile(sorted(v), 95) for k, v in sorted(by_kind.items())},
        "submitted": sum(1 for o in outcomes if o.submitted),
        "stopped_early": sum(1 for o in outcomes if o.stopped),
        "board_polls": board.polls,
        "board_polls_unchanged": board.unchanged,
        "board_polls_whole": board.whole,
        "reset_conflicts": sum(1 for s in samples if s.kind == "reset_conflict"),
        "restarts": sum(o.restarts for o in outcomes),
        **info,
    }
    print("")
    print(f"{'request':32} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, rows in sorted(by_name.items()):
        ms = sorted(s.ms for s in rows)
        print(f"{name:32} {len(rows):5d} {sum(1 for s in rows if not s.ok):4d} "
              f"{percentile(ms, 50):8.1f} {percentile(ms, 95):8.1f} {ms[-1]:8.1f}")
    print("")
    percents = [o.percent for o in outcomes if o.percent is not None]
    print(f"{result['trainees']} trainees, {result['requests']} requests in {result['duration_s']} s "
          f"({result['requests_per_s']}/s), {result['errors']} errors; "
          f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
          f"max {result['max_ms']} ms")
    print(f"submitted: {result['submitted']}/{result['trainees']}"
          + (f" (score {min(percents):.0f}-{max(percents):.0f} %)" if percents else ""))
    stopped = [f"{o.username}: {o.stopped}" for o in outcomes if o.stopped]
    if stopped:
        print("stopped early: " + "; ".join(stopped[:10]) + (" ..." if len(stopped) > 10 else ""))
    if "cpu_busy_pct" in info:
        per = info["cpu_ms_per_request"]
        print(f"CPU: machine {info['cpu_busy_pct']} % busy ({info['cpu_other_pct']} % other processes); "
              f"per request: gunicorn {per['gunicorn']} ms, PostgreSQL {per['postgresql']} ms, "
              f"driver {per['driver']} ms")
        if info["cpu_other_pct"] > 10:
            print(f"WARNING: other processes used {info['cpu_other_pct']} % of the machine during the run: "
                  "these figures are not the sandbox's alone; run again on a quiet machine.")
    if board.available is False:
        print(f"live board: {board.path} answers 404 (not built yet): not measured")
    elif board.available:
        print(f"live board: {board.polls} polls, {board.unchanged} answered 204 (nothing changed), "
              f"{board.whole} the whole board (the first, rows came or went, a version unknown), "
              "the others the rows that changed")
    for problem in recorder.problems:
        print(f"  problem: {problem}")
    return result


# -- CPU: where the machine's time goes (Linux /proc) ------------------------------------------


def tree_cpu_s(root_pid: int | None) -> float:
    """CPU seconds of a process and its live descendants, with their children that ended."""
    if not root_pid:
        return 0.0
    stats: dict[int, tuple[int, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2:].split()  # state ppid ... utime stime cutime cstime
        stats[int(entry.name)] = (int(rest[1]), sum(int(x) for x in rest[11:15]))
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (ppid, _ticks) in stats.items():
        children[ppid].append(pid)
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
            todo.extend(children[pid])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the machine since boot."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - values[3] - values[4]) / tick, sum(values) / tick


@dataclass
class CpuMeter:
    gunicorn_pids: list[int]  # every app server's master (haproxy's counted with them)
    postgres_pid: int | None
    marks: dict[str, float] = field(default_factory=dict)

    def read(self) -> dict[str, float]:
        busy, everything = machine_busy()
        return {"gunicorn": sum(tree_cpu_s(pid) for pid in self.gunicorn_pids),
                "postgresql": tree_cpu_s(self.postgres_pid),
                "driver": time.process_time(), "busy": busy, "all": everything}

    def start(self) -> None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            self.marks = self.read()

    def result(self, requests: int) -> dict[str, Any]:
        try:
            now = self.read()
        except (OSError, ValueError, IndexError):
            return {}
        if not self.marks or not requests:
            return {}
        used = {k: now[k] - self.marks[k] for k in now}
        if used["all"] <= 0:
            return {}
        ours = used["gunicorn"] + used["postgresql"] + used["driver"]
        return {
            # The machine's 100 % is every core. "Other": processes that are not this benchmark's
            # (another job on the machine makes the figures worse, and says so here).
            "cpu_busy_pct": round(100 * used["busy"] / used["all"], 1),
            "cpu_other_pct": round(max(0.0, 100 * (used["busy"] - ours) / used["all"]), 1),
            "cpu_ms_per_request": {k: round(1000 * used[k] / requests, 1)
                                   for k in ("gunicorn", "postgresql", "driver")},
        }


# -- main ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--servers", type=int, default=1,
                        help="gunicorn servers (each with --workers workers); above 1, behind "
                             "haproxy (Debian's), with the cache in the database (CACHE_URL=db://)")
    parser.add_argument("--workshops", type=int, default=1,
                        help="workshops at once: the trainees shared out, a trainer each polling "
                             "the board")
    parser.add_argument("--api-token", action="store_true",
                        help="trainees use an API token for the API (a second sign-in), not the "
                             "site's session")
    parser.add_argument("--broker", action=argparse.BooleanOptionalAction, default=None,
                        help="a real job queue (redis-server and a celery worker); default: with "
                             "--servers above 1")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes per server")
    parser.add_argument("--live-workers", type=int, default=1,
                        help="with --servers above 1: workers of each server's own gunicorn for the "
                             "trainers' live boards (0: the boards use the servers' workers, "
                             "skipping haproxy's queue)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread)")
    parser.add_argument("--conn-max-age", type=int, default=60,
                        help="DB_CONN_MAX_AGE of the server: seconds a database connection is kept "
                             "(0, the settings' default: a new connection for every request)")
    parser.add_argument("--ramp", "--arrival-seconds", dest="ramp", type=float, default=30.0,
                        help="seconds over which the trainees arrive")
    parser.add_argument("--think-ms", type=int, default=200, help="most think time between requests")
    parser.add_argument("--step", default="2-8", metavar="MIN-MAX",
                        help="seconds a trainee spends between two steps of the scenario (reading, "
                             "filling a form); 0 for none: every trainee as fast as the server answers")
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds the load may last")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds one request may last")
    parser.add_argument("--resets", type=int, default=30,
                        help="resets of random trainees' spaces by the trainer during the load")
    parser.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--verify", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--random-seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (servers' logs) and say where")
    args = parser.parse_args()
    if args.verify is not None:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from bench_resets import verify

        verify(json.loads(args.verify))
        return 0
    if args.seed is not None:
        seed(args.seed, args.workshops)
        return 0
    if args.trainees < 1:
        parser.error("--trainees: at least 1")
    if args.servers < 1 or not 1 <= args.workshops <= args.trainees:
        parser.error("--servers: at least 1; --workshops: from 1 to the number of trainees")
    try:
        low, _sep, high = args.step.partition("-")
        step_s = (float(low), float(high or low))
    except ValueError:
        parser.error("--step: seconds, or MIN-MAX seconds")

    try:
        import requests  # noqa: F401
    except ImportError:
        print("bench-load needs 'requests' in the virtual environment", file=sys.stderr)
        return 1

    tmp = Path(tempfile.mkdtemp(prefix="sandbox-bench-load."))
    tmp.chmod(0o755)  # the postgres user reaches its data directory inside
    pg = Postgres(tmp)
    servers: list[Gunicorn] = []
    lanes: list[Gunicorn] = []  # each server's small gunicorn for the live boards
    proxy: HAProxy | None = None
    broker = Broker(tmp) if (args.broker if args.broker is not None else args.servers > 1) else None

    def on_term(signum: int, frame: Any) -> None:
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, on_term)
    result: dict[str, Any] = {}
    try:
        try:
            t0 = time.monotonic()
            database_url = pg.start()
            log(f"PostgreSQL {pg.bin.parent.name if pg.bin else '?'} on {HOST}:{pg.port} ({tmp})")
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url,
                   "SECRET_KEY": secrets.token_urlsafe(50), "LOADTEST_STATIC_ROOT": str(tmp / "static"),
                   "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
            for var in ("DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"):
                env.pop(var, None)
            env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)
            if broker:
                # The job queue's broker; the servers share its Redis as their cache.
                env["CELERY_BROKER_URL"] = broker.url
            elif args.servers > 1:
                env["CACHE_URL"] = "db://"  # one cache for every server, in PostgreSQL
            manage = [sys.executable, "manage.py"]
            run([*manage, "migrate", "--noinput", "-v0"], timeout=300, env=env, what="migrate")
            run([*manage, "createcachetable"], timeout=120, env=env, what="createcachetable")
            run([*manage, "load_config", "seed_data/default", "-v0"], timeout=300, env=env,
                what="load_config")
            run([*manage, "collectstatic", "--noinput", "-v0"], timeout=300, env=env, what="collectstatic")
            done = run([sys.executable, str(Path(__file__).resolve()), "--seed", str(args.trainees),
                        "--workshops", str(args.workshops)],
                       timeout=1200, env=env, what="seeding the workshops")
            line = next((ln for ln in done.stdout.splitlines() if ln.startswith(SEED_MARK)), None)
            if line is None:
                raise SetupFailed(f"seeding printed no result:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
            world = json.loads(line[len(SEED_MARK):])
            if broker:
                broker.start(env)
                log(f"job queue: redis-server on {broker.url}, one celery worker")
            log(f"workshop seeded: {world['spaces']} spaces, exercise started in "
                f"{world['exercise_start_s']} s (setup {time.monotonic() - t0:.0f} s)")
            for index in range(1, args.servers + 1):
                servers.append(Gunicorn(tmp, env, args.workers, args.threads, index))
                servers[-1].start()
                for _ in range(args.workers * 3):  # warm-up, not counted: imports, URLs, templates
                    requests_get(servers[-1].url + "/accounts/login/")
            base_url = servers[0].url
            if args.servers > 1:
                for index in range(1, args.servers + 1 if args.live_workers else 1):
                    lanes.append(Gunicorn(tmp, env, args.live_workers, 1, f"{index}-live",
                                          access_log=True))
                    lanes[-1].start()
                    for _ in range(args.live_workers * 3):
                        requests_get(lanes[-1].url + "/accounts/login/")
                proxy = HAProxy(tmp, servers, lanes)
                proxy.start()
                base_url = proxy.url
            log(f"{args.servers} gunicorn server(s), {args.workers} workers each"
                + (f" x {args.threads} threads" if args.threads > 1 else " (sync)")
                + (f", behind haproxy on {base_url}" if proxy else f" on {base_url}"))
        except SetupFailed as exc:
            print(f"bench-load: setup failed: {exc}", file=sys.stderr)
            return 1

        # The machine's speed today: one password hash as Django's default hasher computes it
        # (PBKDF2-SHA256, 1,000,000 iterations); compare runs on "the same" virtual machine.
        started = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), b"bench-load-salt", 1_000_000)
        calibration_ms = round((time.perf_counter() - started) * 1000, 1)

        recorder = Recorder()
        deadline = recorder.started + args.deadline
        rng = random.Random(args.random_seed)
        outcomes = [Outcome(t["username"]) for t in world["trainees"]]
        threads = []
        resets = ResetLog()
        for i, (t, outcome) in enumerate(zip(world["trainees"], outcomes, strict=True)):
            client = Client(base_url, recorder, deadline, args.timeout, args.think_ms,
                            random.Random(rng.random()), step_s)
            client.api_token = args.api_token
            client.resets = resets if args.resets else None
            start_at = recorder.started + args.ramp * i / max(1, len(world["trainees"]))
            threads.append(threading.Thread(target=trainee, args=(client, t["username"], t["slug"],
                                                                  start_at, outcome), daemon=True))
        board = Board(f"/workshops/{world['workshop']}/exercises/{world['exercise']}/board/")
        stop_board = threading.Event()
        watchers = []
        for index, session in enumerate(world["workshops"]):  # each trainer watches their board
            trainer_client = Client(base_url, recorder, deadline, args.timeout, 0,
                                    random.Random(index + 1))
            path = f"/workshops/{session['workshop']}/exercises/{session['exercise']}/board/"
            watchers.append(threading.Thread(target=trainer_loop, args=(
                trainer_client, session["trainer"], board, stop_board, path), daemon=True))
        # The trainer's resets: while the trainees work (after the first have arrived,
        # before most have finished).
        reset_client = Client(base_url, recorder, deadline, args.timeout, 0, random.Random(2))
        first = {**world, "trainees": [t for t in world["trainees"] if t["session"] == 0]}
        window = (recorder.started + args.ramp / 3, recorder.started + min(args.deadline * 0.6,
                                                                              args.ramp + 60))
        reset_thread = threading.Thread(target=resetter, args=(reset_client, first, args.resets, window,
                                                               resets, random.Random(rng.random()), Sample),
                                        daemon=True)
        log(f"{len(threads)} trainees arriving over {args.ramp:.0f} s; think time 0-{args.think_ms} ms, "
            f"{step_s[0]:g}-{step_s[1]:g} s between steps; deadline {args.deadline:.0f} s")
        meter = CpuMeter([g.process.pid for g in servers + lanes if g.process]
                         + ([proxy.process.pid] if proxy and proxy.process else []), pg.pid())
        meter.start()
        load = LoadMeter()
        load.thread.start()
        for watcher in watchers:
            watcher.start()
        if args.resets:
            reset_thread.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.1, deadline + args.timeout + 5 - time.monotonic()))
        stop_board.set()
        for watcher in watchers:
            watcher.join(timeout=args.timeout + 5)
        if args.resets:
            reset_thread.join(timeout=args.timeout + 5)
        cpu = meter.result(len(recorder.samples))
        cpu.update(load.result())
        ends = [s.at + s.ms / 1000 for s in recorder.samples]
        duration = max(ends) if ends else time.monotonic() - recorder.started
        for outcome, thread in zip(outcomes, threads, strict=True):
            if thread.is_alive() and not outcome.stopped:
                outcome.stopped = "still running at the deadline"
        info = {"servers": args.servers, "workshops": args.workshops, "broker": bool(broker),
                "api_auth": "token" if args.api_token else "session",
                "workers": args.workers, "threads": args.threads, "conn_max_age": args.conn_max_age,
                "live_workers": args.live_workers if args.servers > 1 else 0,
                "ramp_s": args.ramp, "step_s": list(step_s),
                "think_ms_max": args.think_ms, "cores": os.cpu_count(), "database": "postgresql",
                "exercise_start_s": world["exercise_start_s"], "pbkdf2_1m_ms": calibration_ms, **cpu}
        info["resets"] = resets.done
        if args.resets:
            try:
                checked = run([sys.executable, str(Path(__file__).resolve()), "--verify",
                               json.dumps(resets.slugs())], timeout=600, env=env, what="checking the spaces")
                out = checked.stdout
            except SetupFailed as exc:
                out = str(exc)
            line = next((ln for ln in out.splitlines() if ln.startswith(VERIFY_MARK)), None)
            if line is None:
                recorder.note(f"verify printed no result: {out[-500:]}")
            else:
                info.update(json.loads(line[len(VERIFY_MARK):]))
        with contextlib.suppress(Exception):
            info["gunicorn_log_errors"] = sum(
                1 for g in servers + lanes for ln in g.log_path.read_text(errors="replace").splitlines()
                if "[ERROR]" in ln or "Traceback" in ln or "Internal Server Error" in ln)
        with contextlib.suppress(Exception):
            # The boards' own time in their workers (gunicorn's access log), beside the
            # time the trainer's browser waits: what is the server's, what the machine's.
            served = sorted(int(ln.split()[2]) / 1000 for g in lanes if g.access_path
                            for ln in g.access_path.read_text(errors="replace").splitlines()
                            if ln.endswith(tuple("0123456789")) and "/board/" in ln.split()[0])
            if served:
                info["board_server_p50_ms"] = percentile(served, 50)
                info["board_server_p95_ms"] = percentile(served, 95)
        result = summarise(recorder, outcomes, board, duration, info)
        if info.get("gunicorn_log_errors"):
            # The servers' own account of what failed, printed before their logs go.
            for g in servers + lanes:
                for ln in g.log_path.read_text(errors="replace").splitlines():
                    if "[ERROR]" in ln or "Error" in ln or "Traceback" in ln or ln.startswith("  File"):
                        print(f"  {g.log_path.name}: {ln}"[:300])
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers + lanes:
            server.stop()
        if broker is not None:
            broker.stop()
        pg.stop()
        if args.keep or result.get("errors") or result.get("gunicorn_log_errors"):
            log(f"kept: {tmp}" + ("" if args.keep else " (errors: the servers' logs are there)"))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))
    return 0


def requests_get(url: str) -> None:
    import requests

    with contextlib.suppress(requests.RequestException):
        requests.get(url, timeout=10)


if __name__ == "__main__":
    sys.exit(main())
