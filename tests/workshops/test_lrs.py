"""xAPI statements per attempt and per step, the outbox, and sending to a real store (ralph)."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sandbox.simulation.services import play_solution
from sandbox.workshops import exports, lrs, services
from sandbox.workshops.models import Attempt, Exercise, QueuedStatement

from .conftest import Cast, attempt_of, start
from .lrs_store import PASSWORD, USERNAME, RalphStore, free_port

pytestmark = pytest.mark.django_db

Status = QueuedStatement.Status


@pytest.fixture
def site(settings) -> str:  # type: ignore[no-untyped-def]
    """A sandbox address of its own for each test: statement ids never meet another test's
    in the store the module shares."""
    settings.SITE_URL = f"https://sandbox-{uuid.uuid4().hex[:8]}.example.org/"
    return settings.SITE_URL.rstrip("/")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphStore]:
    running = RalphStore(tmp_path_factory.mktemp("ralph"))
    running.start()
    yield running
    running.stop()


def _use(settings: Any, url: str, password: str = PASSWORD) -> None:
    settings.LRS_URL, settings.LRS_USERNAME, settings.LRS_PASSWORD = url, USERNAME, password
    settings.LRS_RETRY_SECONDS, settings.LRS_RETRY_MAX_SECONDS = 60, 3600
    settings.LRS_BATCH_SIZE = 4  # several batches from a handful of attempts


def _submitted(cast: Cast) -> Exercise:
    """Amani submits a full attempt, Zanele an empty one."""
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    services.attempt_submit(user=cast.trainee, attempt=mine)
    services.attempt_submit(user=cast.classmate, attempt=attempt_of(exercise, cast.classmate))
    return exercise


def _steps(attempt: Attempt) -> list[dict[str, Any]]:
    assert attempt.report is not None
    return [r for r in attempt.report.result["rules"] if r["rule"] != "never"]


# -- the statements ----------------------------------------------------------------------------


def test_each_attempt_has_completed_and_a_statement_per_step(cast: Cast, site: str) -> None:
    exercise = _submitted(cast)
    mine = attempt_of(exercise, cast.trainee)
    found = exports.statements(mine)
    steps = _steps(mine)
    assert len(steps) >= 2 and len(found) == 1 + len(steps)
    completed, *per_step = found
    assert completed["verb"]["id"] == exports.COMPLETED
    assert completed["result"]["score"] == {"scaled": 1.0, "raw": mine.report.score,  # type: ignore[union-attr]
                                            "min": 0.0, "max": float(mine.report.max_score)}  # type: ignore[union-attr]
    assert completed["result"]["success"] is True
    assert completed["object"]["id"] == f"{site}/scenarios/mini"
    for statement, rule in zip(per_step, steps, strict=True):
        assert statement["verb"]["id"] == (exports.PASSED if rule["passed"] else exports.FAILED)
        assert statement["object"]["id"] == f"{site}/scenarios/mini/steps/{rule['id']}"
        definition = statement["object"]["definition"]
        # The step's title in the scenario's languages; its id as words when it has none.
        label = rule["id"].replace("-", " ").capitalize()
        assert definition["name"] == ({k: v for k, v in rule["title"].items() if v}
                                      or {"en": label})
        assert set(definition["description"]) <= {"en", "fr", "ar", "es", "sw", "km"}
        assert statement["result"]["success"] is rule["passed"]
        assert statement["context"]["contextActivities"]["parent"][0]["id"] == f"{site}/scenarios/mini"
        grouping = [a["id"] for a in statement["context"]["contextActivities"]["grouping"]]
        assert grouping[0].endswith(f"/exercises/{exercise.pk}/attempts/{mine.pk}")
    # Everyone in the attempt: one registration, one actor with no name or e-mail.
    assert {s["context"]["registration"] for s in found} == {exports.registration(mine)}
    assert all(s["actor"] == {"objectType": "Agent",
                              "account": {"homePage": site, "name": str(cast.trainee.pk)}}
               for s in found)
    assert "amani" not in str(found).lower() and "example.org/" not in str(found[0]["actor"])
    # Deterministic: built again, the same statements with the same ids.
    assert exports.statements(mine) == found
    theirs = attempt_of(exercise, cast.classmate)
    assert exports.registration(theirs) != exports.registration(mine)
    assert [s["verb"]["id"] for s in exports.statements(theirs)[1:]] == [exports.FAILED] * len(steps)


def test_the_download_holds_every_statement(cast: Cast, site: str) -> None:
    exercise = _submitted(cast)
    downloaded = exports.xapi_statements(exercise)
    assert len(downloaded) == 2 * (1 + len(_steps(attempt_of(exercise, cast.trainee))))
    assert len({s["id"] for s in downloaded}) == len(downloaded)


def test_every_submission_fills_the_outbox_once(cast: Cast, site: str) -> None:
    exercise = _submitted(cast)
    per_attempt = 1 + len(_steps(attempt_of(exercise, cast.trainee)))
    queued = QueuedStatement.objects.filter(exercise=exercise)
    assert queued.count() == 2 * per_attempt
    assert set(queued.values_list("status", flat=True)) == {Status.PENDING}
    assert lrs.queue(Attempt.objects.filter(exercise=exercise)) == 2 * per_attempt
    assert queued.count() == 2 * per_attempt  # queued again: nothing doubled
    row = queued.filter(step="").first()
    assert row is not None and row.verb == "completed" and str(row.statement_id) == row.payload["id"]


def test_closing_and_time_up_submissions_fill_the_outbox(cast: Cast, site: str) -> None:
    timed = start(cast.trainer, cast.workshop, time_limit_minutes=5, submit_when_time_is_up=True)
    mine = attempt_of(timed, cast.trainee)
    type(mine.space).objects.filter(pk=mine.space_id).update(  # type: ignore[union-attr]
        writing_ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.expire_attempts(timed) == 1
    assert set(QueuedStatement.objects.filter(exercise=timed).values_list(
        "attempt__enrolment__user", flat=True)) == {cast.trainee.pk}
    services.exercise_close(by=cast.trainer, exercise=timed)  # Zanele's is scored at the close
    assert set(QueuedStatement.objects.filter(exercise=timed).values_list(
        "attempt__enrolment__user", flat=True)) == {cast.trainee.pk, cast.classmate.pk}


def test_without_a_store_nothing_is_tried(cast: Cast, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LRS_URL = ""
    _submitted(cast)
    outcome = lrs.send_pending()
    assert not outcome.configured and outcome.sent == 0
    assert set(QueuedStatement.objects.values_list("tries", flat=True)) == {0}


# -- a real store ------------------------------------------------------------------------------


def test_every_statement_reaches_the_store_and_is_read_back(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                             store: RalphStore) -> None:
    _use(settings, store.url)
    exercise = _submitted(cast)
    queued = {str(r.statement_id): r.payload for r in QueuedStatement.objects.filter(exercise=exercise)}
    outcome = lrs.send_pending()
    assert (outcome.sent, outcome.retrying, outcome.failed) == (len(queued), 0, 0), \
        list(QueuedStatement.objects.values_list("last_error", flat=True))
    assert set(QueuedStatement.objects.values_list("status", flat=True)) == {Status.SENT}
    stored = {s["id"]: s for s in store.statements() if s["id"] in queued}
    assert set(stored) == set(queued)
    for sid, statement in stored.items():
        assert statement["verb"] == queued[sid]["verb"]
        assert statement["object"]["id"] == queued[sid]["object"]["id"]
        assert statement["actor"]["account"] == queued[sid]["actor"]["account"]
        assert statement["context"]["registration"] == queued[sid]["context"]["registration"]
    # Nothing is due any more; sent again by hand, the store keeps one of each.
    assert lrs.send_pending().sent == 0
    QueuedStatement.objects.update(status=Status.PENDING)
    assert lrs.send_pending(force=True).sent == len(queued)
    assert sorted(s["id"] for s in store.statements() if s["id"] in queued) == sorted(queued)


def test_a_statement_the_store_already_holds_counts_as_sent(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                             store: RalphStore) -> None:
    _use(settings, store.url)
    settings.LRS_BATCH_SIZE = 50
    exercise = _submitted(cast)
    first = QueuedStatement.objects.filter(exercise=exercise).order_by("pk").first()
    assert first is not None
    lrs.send_pending(limit=1)
    # The same id with other content: the store answers 409 for the whole batch.
    first.payload = {**first.payload, "timestamp": "2026-01-01T00:00:00+00:00"}
    first.status = Status.PENDING
    first.save()
    outcome = lrs.send_pending()
    total = QueuedStatement.objects.filter(exercise=exercise).count()
    assert (outcome.sent, outcome.failed, outcome.retrying) == (total, 0, 0)
    ids = [s["id"] for s in store.statements()]
    assert ids.count(str(first.statement_id)) == 1
    assert all(ids.count(str(sid)) == 1 for sid in QueuedStatement.objects.values_list(
        "statement_id", flat=True))


def test_a_refusal_marks_the_batch_failed_with_the_stores_message(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                                  store: RalphStore) -> None:
    _use(settings, store.url, password="not-the-password")
    _submitted(cast)
    outcome = lrs.send_pending()
    total = QueuedStatement.objects.count()
    assert (outcome.failed, outcome.sent) == (total, 0)
    failed = QueuedStatement.objects.first()
    assert failed is not None and failed.status == Status.FAILED and failed.tries == 1
    assert failed.last_error.startswith("HTTP 401: ") and "credentials" in failed.last_error.lower()
    assert lrs.send_pending().failed == 0  # refused for good: not tried again by itself
    settings.LRS_PASSWORD = PASSWORD  # the cause fixed, the trainer sends them again
    assert lrs.send_pending(force=True).sent == total


def test_a_store_that_is_down_gets_retries_and_loses_nothing(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    later = RalphStore(tmp_path / "ralph", port=free_port())  # not started: the port is closed
    _use(settings, later.url)
    exercise = _submitted(cast)
    total = QueuedStatement.objects.filter(exercise=exercise).count()
    now = timezone.now()
    assert lrs.send_pending(now=now).retrying == total
    rows = list(QueuedStatement.objects.all())
    assert {(r.status, r.tries, r.next_try_at) for r in rows} == {
        (Status.PENDING, 1, now + dt.timedelta(seconds=60))}
    assert "Connection" in rows[0].last_error
    assert lrs.send_pending(now=now + dt.timedelta(seconds=59)).retrying == 0  # not due yet
    assert lrs.send_pending(now=now + dt.timedelta(seconds=61)).retrying == total
    second = now + dt.timedelta(seconds=61)
    assert set(QueuedStatement.objects.values_list("tries", "next_try_at")) == {
        (2, second + dt.timedelta(seconds=120))}  # twice the wait
    assert lrs.backoff(4) == dt.timedelta(seconds=480) and lrs.backoff(40) == dt.timedelta(hours=1)
    later.start()
    try:
        assert lrs.send_pending(now=second + dt.timedelta(seconds=30)).sent == 0  # still waiting
        outcome = lrs.send_pending(now=second + dt.timedelta(seconds=121))
        assert (outcome.sent, outcome.retrying) == (total, 0)
        held = [s["id"] for s in later.statements()]
    finally:
        later.stop()
    queued = sorted(str(s) for s in QueuedStatement.objects.values_list("statement_id", flat=True))
    assert sorted(held) == queued  # every statement, exactly once
    assert set(QueuedStatement.objects.values_list("status", "tries", "last_error")) == {
        (Status.SENT, 3, "")}


class _Failing(http.server.BaseHTTPRequestHandler):
    status = 503
    posts = 0

    def do_POST(self) -> None:
        type(self).posts += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"detail": "Statements bulk indexation failed"}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize("status", [503, 500, 429])
def test_a_server_error_is_tried_again_later(cast: Cast, site: str, settings, status: int) -> None:  # type: ignore[no-untyped-def]
    handler = type("Failing", (_Failing,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _use(settings, f"http://127.0.0.1:{server.server_address[1]}/xAPI")
        _submitted(cast)
        outcome = lrs.send_pending()
    finally:
        server.shutdown()
        server.server_close()
    assert outcome.retrying == QueuedStatement.objects.count() and outcome.failed == 0
    assert set(QueuedStatement.objects.values_list("status", "last_error")) == {
        (Status.PENDING, f"HTTP {status}: Statements bulk indexation failed")}
    # The round stopped at the first refusal: one request, the rest waiting with it.
    assert handler.posts == 1


def test_the_command_sends_and_says_what_is_left(cast: Cast, site: str, settings, capsys,  # type: ignore[no-untyped-def]
                                                 store: RalphStore) -> None:
    settings.LRS_URL = ""
    with pytest.raises(Exception, match="LRS_URL"):
        call_command("send_statements")
    _use(settings, store.url)
    _submitted(cast)
    call_command("send_statements", "--limit", "3")
    assert "sent 3," in capsys.readouterr().out
    assert QueuedStatement.objects.filter(status=Status.PENDING).exists()
    call_command("send_statements")
    assert not QueuedStatement.objects.filter(status=Status.PENDING).exists()


# -- the trainer's queue page ------------------------------------------------------------------


def _page_urls(exercise: Exercise) -> tuple[str, str]:
    kwargs = {"pk": exercise.workshop_id, "ex": exercise.pk}
    return (reverse("workshops:statements", kwargs=kwargs),
            reverse("workshops:statements_send", kwargs=kwargs))


def test_the_queue_page_shows_what_waits_and_send_now_sends_it(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                               client: Client, store: RalphStore,
                                                               tmp_path: Path) -> None:
    _use(settings, f"http://{USERNAME}:hidden-secret@127.0.0.1:{free_port()}/xAPI")  # nobody there
    settings.LRS_USERNAME = settings.LRS_PASSWORD = ""  # the ones in the address
    exercise = _submitted(cast)
    total = QueuedStatement.objects.filter(exercise=exercise).count()
    page_url, send_url = _page_urls(exercise)
    client.force_login(cast.trainer)
    results = client.get(reverse("workshops:results", kwargs={"pk": cast.workshop.pk,
                                                              "ex": exercise.pk})).content.decode()
    assert page_url in results
    page = client.get(page_url).content.decode()
    assert f'id="queue-pending">{total}<' in page and 'id="queue-sent">0<' in page
    assert page.count("<tr data-statement=") == total and "hidden-secret" not in page
    response = client.post(send_url, follow=True)
    page = response.content.decode()
    assert f"{total} statements could not reach the store" in page
    assert 'id="queue-last-error"' in page
    assert "Connection" in page and 'id="queue-next-try"' in page
    assert set(QueuedStatement.objects.values_list("tries", flat=True)) == {1}
    # The store is back: "Send now" does not wait for the next try.
    settings.LRS_URL = store.url.replace("://", f"://{USERNAME}:{PASSWORD}@")
    page = client.post(send_url, follow=True).content.decode()
    assert f"{total} statements sent." in page and f'id="queue-sent">{total}<' in page
    assert 'id="queue-empty"' in page and 'id="queue-last-error"' not in page
    held = {s["id"] for s in store.statements()}
    assert {str(s) for s in QueuedStatement.objects.values_list("statement_id", flat=True)} <= held
    page = client.post(send_url, follow=True).content.decode()
    assert "Nothing was waiting to be sent." in page


def test_without_a_store_the_page_says_so_and_nothing_is_sent(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                              client: Client) -> None:
    settings.LRS_URL = ""
    exercise = _submitted(cast)
    page_url, send_url = _page_urls(exercise)
    client.force_login(cast.trainer)
    page = client.get(page_url).content.decode()
    assert 'id="no-store"' in page and 'id="send-now"' not in page
    page = client.post(send_url, follow=True).content.decode()
    assert "No learning record store is configured: nothing was sent." in page
    assert set(QueuedStatement.objects.values_list("status", "tries")) == {(Status.PENDING, 0)}


def test_the_queue_page_reads_in_arabic(cast: Cast, site: str, settings, client: Client) -> None:  # type: ignore[no-untyped-def]
    settings.LRS_URL = ""
    exercise = _submitted(cast)
    cast.trainer.language = "ar"
    cast.trainer.save()
    client.force_login(cast.trainer)
    page = client.get(_page_urls(exercise)[0], HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and '<span dir="ltr">completed' in page


def test_the_queue_page_reads_in_a_constant_number_of_queries(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                                              client: Client) -> None:
    settings.LRS_URL = ""
    exercise = start(cast.trainer, cast.workshop)
    services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    client.force_login(cast.trainer)
    url = _page_urls(exercise)[0]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request of the process fills caches
    one = queries()
    services.attempt_submit(user=cast.classmate, attempt=attempt_of(exercise, cast.classmate))
    assert QueuedStatement.objects.filter(exercise=exercise).values("attempt").distinct().count() == 2
    assert queries() == one


def test_the_store_checks_the_statements_shape(cast: Cast, site: str, settings,  # type: ignore[no-untyped-def]
                                               store: RalphStore) -> None:
    """Ralph validates each statement against xAPI: ours pass, a broken one is refused with
    the store's reasons, and is not tried again by itself."""
    _use(settings, store.url)
    exercise = _submitted(cast)
    broken = QueuedStatement.objects.filter(exercise=exercise).order_by("pk").last()
    assert broken is not None
    broken.payload = {**broken.payload, "verb": {"display": {"en-US": "passed"}}}  # no verb id
    broken.save()
    outcome = lrs.send_pending()
    broken.refresh_from_db()
    assert broken.status == Status.FAILED and broken.last_error.startswith("HTTP 4")
    assert "verb" in broken.last_error
    assert outcome.sent == QueuedStatement.objects.filter(status=Status.SENT).count() > 0
    assert outcome.failed == QueuedStatement.objects.filter(status=Status.FAILED).count()
