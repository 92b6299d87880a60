"""The outbox: every message to a partner is stored before it is sent, then sent until
the partner has it.

A referral to an agency that a partner system stands for is stored in the same
transaction as the referral (nothing is sent for a referral that was not saved), then
sent once the transaction commits. A network error or a 5xx answer leaves the message
pending with the next try further away (`BACKOFF`); after `MAX_TRIES` it is given up
and shown so. Each try sends the same idempotency key: a partner that received the
message but whose answer was lost keeps it once. `send_due()` sends what is due; the
`send_outbox` command and a job queue call it.

The answer of a partner to a referral may carry its status update (a simulated partner
answers at once); it is received through `inbound.receive`, as if posted to the space.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sandbox.cases.models import Event, Referral
from sandbox.common.errors import NotFound, ValidationFailed

from . import messages, signing, transport
from .models import Kind, OutboxMessage, OutboxStatus, Partner

#: Delays before the second, third... try; the last repeats until MAX_TRIES.
BACKOFF = (dt.timedelta(seconds=30), dt.timedelta(minutes=2), dt.timedelta(minutes=10),
           dt.timedelta(hours=1), dt.timedelta(hours=6))
MAX_TRIES = 10

Post = Callable[[str, bytes, dict[str, str]], transport.Answer]


def after_action(event: Event) -> None:
    """A referral to an agency a partner stands for leaves through the outbox."""
    if event.action != "referral.create" or event.record_id is None:
        return
    referral = Referral.objects.filter(pk=event.record_id, space_id=event.space_id).first()
    if referral is None or not referral.to_agency:
        return
    partner = Partner.objects.filter(space_id=event.space_id, agency=referral.to_agency).first()
    # A referral to the agency, or to the partner's own account in the world, leaves; one to
    # a colleague of that agency who works in the sandbox stays.
    if partner is not None and referral.to_member_id in (None, partner.member_id):
        enqueue_referral(partner=partner, referral=referral)


def enqueue_referral(*, partner: Partner, referral: Referral) -> OutboxMessage:
    key = uuid.uuid4().hex
    body = messages.referral_message(referral, partner.space.config, key=key, sender=partner.space.slug)
    message = OutboxMessage.objects.create(
        space_id=partner.space_id, partner=partner, kind=Kind.REFERRAL, case_id=referral.case_id,
        referral=referral, idempotency_key=key, body=body, created_at=timezone.now(),
        next_try_at=timezone.now())
    kick(message)
    return message


def kick(message: OutboxMessage) -> None:
    """Send the message as soon as it is saved: after the commit over the network, or at
    the next advance of the clock when running in process (no server, no commit)."""
    if transport.is_in_process():
        from sandbox.simulation.models import Inject

        space = message.space
        Inject.objects.create(space=space, ref=f"interop:send:{message.pk}", due_at=space.clock,
                              payload={"call": "interop.send", "message": message.pk})
        return
    pk = message.pk
    transaction.on_commit(lambda: send_by_pk(pk))


def send_by_pk(pk: int) -> None:
    message = OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.PENDING).first()
    if message is not None and _claim(message, timezone.now()):
        send(message)


#: How long a sender holds a message it is trying (longer than a try can take).
LEASE = dt.timedelta(minutes=5)


def _claim(message: OutboxMessage, now: dt.datetime) -> bool:
    """Take the message for one try, unless another sender (a second `send_outbox`, a job
    queue's worker, the commit of the request that stored it) took it first: a
    compare-and-set on its next try, which works the same on SQLite and PostgreSQL."""
    taken = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.PENDING, next_try_at=message.next_try_at,
    ).update(next_try_at=now + LEASE)
    return taken == 1


def _delay(tries: int) -> dt.timedelta:
    return BACKOFF[min(tries - 1, len(BACKOFF) - 1)]


def send(message: OutboxMessage, *, post: Post | None = None,
         now: dt.datetime | None = None) -> OutboxMessage:
    """One try: sign, post, and record what happened. Never raises for the network."""
    now = now or timezone.now()
    post = post or transport.post
    partner = message.partner
    body = json.dumps(message.body, ensure_ascii=False, sort_keys=True).encode()
    headers = signing.sign(partner.secret, body, partner=partner.space.slug, key=message.idempotency_key)
    message.tries += 1
    error, answer = "", None
    try:
        answer = post(partner.endpoint, body, headers)
    except transport.Unreachable as exc:
        error = f"unreachable: {exc}"
    if answer is not None and answer.status >= 500:
        error = f"HTTP {answer.status}: {answer.body[:200].decode(errors='replace')}"
    if error:
        message.last_error = error
        if message.tries >= MAX_TRIES:
            message.status, message.next_try_at = OutboxStatus.FAILED, None
        else:
            message.next_try_at = now + _delay(message.tries)
        message.save()
        return message
    assert answer is not None
    parsed = _json(answer.body)
    message.answer = {"status": answer.status, "body": parsed}
    if 200 <= answer.status < 300:
        message.status, message.sent_at, message.next_try_at = OutboxStatus.SENT, now, None
        message.last_error = ""
    else:
        # The partner refused the message itself (4xx): sending it again will not help.
        message.status, message.next_try_at = OutboxStatus.FAILED, None
        message.last_error = f"HTTP {answer.status}: {_error_text(parsed, answer.body)}"
    message.save()
    if message.status == OutboxStatus.SENT and isinstance(parsed, dict) \
            and isinstance(parsed.get("answer"), dict):
        _take_answer(message, parsed["answer"], answer)
    return message


def _take_answer(message: OutboxMessage, status: dict[str, Any], answer: transport.Answer) -> None:
    """A status update carried by the partner's answer, received like any other."""
    from . import inbound

    signed = answer.headers.get("X-Interop-Answer-Signature", "")
    stamp = answer.headers.get("X-Interop-Answer-Timestamp", "")
    body = json.dumps(status, ensure_ascii=False, sort_keys=True).encode()
    inbound.receive(space=message.space, partner_code=message.partner.code, body=body,
                    timestamp=stamp, signature=signed, key=str(status.get("id", "")))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode() or "null")
    except (ValueError, UnicodeDecodeError):
        return raw[:200].decode(errors="replace")


def _error_text(parsed: Any, raw: bytes) -> str:
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        return str(parsed["error"].get("message", ""))
    return raw[:200].decode(errors="replace")


def send_due(*, now: dt.datetime | None = None, space_id: int | None = None,
             post: Post | None = None) -> list[OutboxMessage]:
    """Try every pending message whose time has come, oldest first. A plain function:
    the `send_outbox` command and a job queue call it."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_try_at__lte=now)
    if space_id is not None:
        due = due.filter(space_id=space_id)
    return [send(m, post=post, now=now)
            for m in due.select_related("partner", "partner__space", "space").order_by("created_at", "pk")
            if _claim(m, now)]


def retry_now(*, space_id: int, pk: int, post: Post | None = None) -> OutboxMessage:
    """Try a message of the space again now (a pending one, or one given up)."""
    message = OutboxMessage.objects.filter(space_id=space_id, pk=pk).select_related("partner").first()
    if message is None:
        raise NotFound(_("No such message in this space."))
    if message.status == OutboxStatus.SENT:
        raise ValidationFailed(_("This message was already delivered."), code="already_sent")
    message.status = OutboxStatus.PENDING
    return send(message, post=post)


def send_job(space: Any, payload: dict[str, Any]) -> None:
    """The engine's job for a message stored while running in process."""
    send_by_pk(int(payload["message"]))
