"""Sending the attempts' xAPI statements to a learning record store (LRS), from an outbox.

A submission puts its statements into the outbox (`QueuedStatement`) in the same
transaction as the attempt, so nothing is lost when the store is away: `send_pending`
posts what is due in batches to `<LRS_URL>/statements` (HTTP basic auth, xAPI 1.0.3),
and a store that cannot be reached, or answers with a server error, is tried again
later, each wait twice the one before. Statements are fixed when queued and their ids
are derived from the attempt and the step, so a resend (after a lost answer, or by two
senders at once) is the same statement, which the store keeps once: it answers 200 or
204, or 409 when it holds a statement of that id, and either way the statement is there.
Any other refusal (4xx but 408 and 429) is not going to change by waiting: the batch is marked failed
with the store's message, for the trainer to see and send again once the cause is fixed.

`send_pending` is a plain function: `manage.py send_statements` (cron), the "Send now"
button of an exercise's queue, or a job queue call it.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import exports
from .models import Attempt, Exercise, QueuedStatement

XAPI_VERSION_HEADER = "X-Experience-API-Version"
#: Refusals that say "later", not "never": too slow (408), too many requests (429).
WORTH_WAITING = {408, 429}


@dataclass
class Outcome:
    """What one round of sending did."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    #: False when no store is configured (LRS_URL empty): nothing was tried.
    configured: bool = True


def queue(attempts: Iterable[Attempt]) -> int:
    """Put the statements of submitted attempts into the outbox (once: a statement already
    there stays as it is). Returns how many statements the attempts have."""
    if isinstance(attempts, QuerySet):
        attempts = attempts.select_related("exercise__workshop", "enrolment__user", "report")
    now = timezone.now()
    rows = []
    for attempt in attempts:
        if attempt.report is None:
            continue
        for statement in exports.statements(attempt):
            object_id = statement["object"]["id"]
            rows.append(QueuedStatement(
                exercise_id=attempt.exercise_id, attempt=attempt, statement_id=statement["id"],
                verb=statement["verb"]["display"]["en-US"],
                step=object_id.rsplit("/steps/", 1)[1] if "/steps/" in object_id else "",
                payload=statement, next_try_at=now))
    QueuedStatement.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def backoff(tries: int) -> dt.timedelta:
    """The wait after the `tries`-th failed try: the first delay, doubled at each try."""
    seconds = settings.LRS_RETRY_SECONDS * 2 ** max(0, min(tries - 1, 30))
    return dt.timedelta(seconds=min(seconds, settings.LRS_RETRY_MAX_SECONDS))


def configured() -> bool:
    return bool(settings.LRS_URL)


def send_pending(*, limit: int | None = None, exercise: Exercise | None = None,
                 now: dt.datetime | None = None, force: bool = False) -> Outcome:
    """Send the outbox's statements that are due, in batches; returns what happened.

    `exercise` keeps to one exercise's statements; `force` sends them whatever their next
    try time, and gives the ones the store refused another chance (the trainer fixed the
    cause). `now` is the time to compare the next tries with (a test moves it).
    """
    if not configured():
        return Outcome(configured=False)
    now = now or timezone.now()
    wanted = QueuedStatement.objects.all()
    if exercise is not None:
        wanted = wanted.filter(exercise=exercise)
    if force:
        wanted.filter(status=QueuedStatement.Status.FAILED).update(
            status=QueuedStatement.Status.PENDING)
        due = wanted.filter(status=QueuedStatement.Status.PENDING)
    else:
        due = wanted.filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now),
                            status=QueuedStatement.Status.PENDING)
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:limit])
    outcome = Outcome()
    size = max(1, settings.LRS_BATCH_SIZE)
    for start in range(0, len(ids), size):
        batch = list(QueuedStatement.objects.filter(pk__in=ids[start:start + size],
                                                    status=QueuedStatement.Status.PENDING)
                     .order_by("pk"))
        if not batch:
            continue
        error = _deliver(batch, now, outcome)
        if error:
            # The store is away or in trouble: the rest of the round waits with the same
            # error, rather than each batch waiting for its own time-out ("Send now" answers).
            rest = list(QueuedStatement.objects.filter(pk__in=ids[start + size:],
                                                       status=QueuedStatement.Status.PENDING))
            _retry_later(rest, now, outcome, error)
            break
    return outcome


def _deliver(batch: list[QueuedStatement], now: dt.datetime, outcome: Outcome) -> str:
    """Send one batch and record what the store said; the error when it is worth waiting."""
    try:
        status, body = _post([row.payload for row in batch])
    except (OSError, http.client.HTTPException) as exc:
        _retry_later(batch, now, outcome, _reason(exc))
        return _reason(exc)
    if 200 <= status < 300:
        _mark_sent(batch, now, outcome)
    elif status == 409 and len(batch) > 1:
        # One of them is already stored, and the store kept none of the batch: one by one,
        # each is either stored now or the one the store already has.
        for number, row in enumerate(batch):
            error = _deliver([row], now, outcome)
            if error:
                _retry_later(batch[number + 1:], now, outcome, error)
                return error
    elif status == 409:
        _mark_sent(batch, now, outcome)
    elif 400 <= status < 500 and status not in WORTH_WAITING:
        pks = [row.pk for row in batch]
        QueuedStatement.objects.filter(pk__in=pks).update(
            status=QueuedStatement.Status.FAILED, tries=F("tries") + 1, next_try_at=None,
            last_error=f"HTTP {status}: {_message(body)}"[:2000])
        outcome.failed += len(batch)
    else:
        error = f"HTTP {status}: {_message(body)}"
        _retry_later(batch, now, outcome, error)
        return error
    return ""


def _mark_sent(batch: list[QueuedStatement], now: dt.datetime, outcome: Outcome) -> None:
    QueuedStatement.objects.filter(pk__in=[row.pk for row in batch]).update(
        status=QueuedStatement.Status.SENT, tries=F("tries") + 1, sent_at=now, next_try_at=None,
        last_error="")
    outcome.sent += len(batch)


def _retry_later(batch: list[QueuedStatement], now: dt.datetime, outcome: Outcome,
                 error: str) -> None:
    # Rows of one batch have had the same tries unless a single one was sent apart.
    for row in batch:
        tries = row.tries + 1
        QueuedStatement.objects.filter(pk=row.pk).update(
            tries=tries, next_try_at=now + backoff(tries), last_error=error[:2000])
    outcome.retrying += len(batch)


def _post(statements: list[dict[str, Any]]) -> tuple[int, str]:
    """POST the statements; the store's status and body. Network trouble raises OSError."""
    url, username, password = store_address()
    credentials = f"{username}:{password}".encode()
    request = urllib.request.Request(url, data=json.dumps(statements).encode(), method="POST",
                                     headers={
        "Content-Type": "application/json",
        XAPI_VERSION_HEADER: exports.XAPI_VERSION,
        "Authorization": "Basic " + base64.b64encode(credentials).decode(),
    })
    try:
        with urllib.request.urlopen(request, timeout=settings.LRS_TIMEOUT_SECONDS) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def store_address() -> tuple[str, str, str]:
    """Where statements are posted, and the credentials: LRS_USERNAME and LRS_PASSWORD, or
    the ones written into LRS_URL (`https://user:password@host/xapi`), taken out of it."""
    parts = urlsplit(settings.LRS_URL.rstrip("/"))
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"  # an IPv6 address
    if parts.port:
        netloc += f":{parts.port}"
    url = urlunsplit((parts.scheme, netloc, parts.path + "/statements", parts.query, ""))
    username = settings.LRS_USERNAME or unquote(parts.username or "")
    password = settings.LRS_PASSWORD or unquote(parts.password or "")
    return url, username, password


def _reason(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__


def _message(body: str) -> str:
    """The store's message: the `detail` (or `message`) of a JSON answer, else the text."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip()[:500]
    if isinstance(data, dict):
        for key in ("detail", "message", "error"):
            if data.get(key):
                value = data[key]
                return value if isinstance(value, str) else json.dumps(value)[:500]
    return body.strip()[:500]
