"""A simulated partner system: an NGO's case management tool, served by the sandbox itself.

It receives referrals over the same signed HTTP exchange a real partner would (its
endpoint lives under `/interop/partner-sim/`, at the sandbox's own address) and answers
following the rules of the scenario's actor (`actors: {ref: {partner: ...}}`):

- `needs`: the fields of the message's `child` it needs (sex, age, name_first, ...):
  when one is missing it declines, saying which;
- `decision`: `accept` (the default) or `decline`, with a `comment`;
- `done_after`: when set, it marks an accepted referral done after that much simulated
  time (the engine's clock fires it).

Its answer to a referral is a signed status update in the body of the HTTP answer,
which the sender receives like any other message. The later "done" is posted to the
space's inbound endpoint.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sandbox.common.i18n import pick
from sandbox.spaces.models import Space

from . import messages, signing, transport
from .inbound import Outcome, authenticate, error
from .models import InboxMessage, Partner


def receive(*, space: Space, partner_code: str, body: bytes, timestamp: str | None,
            signature: str | None, key: str | None) -> tuple[Outcome, dict[str, str]]:
    """The simulated partner receives a message: its answer, and the answer's headers."""
    partner = authenticate(space=space, partner_code=partner_code, body=body, timestamp=timestamp,
                           signature=signature, at_partner=True)
    if isinstance(partner, Outcome):
        return partner, {}
    try:
        message = json.loads(body.decode())
    except (ValueError, UnicodeDecodeError):
        message = None
    found = messages.problems(message)
    if found or message.get("type") != "referral":
        return error(400, "invalid_message", "This system takes referrals only, as in the schema.",
                     {"problems": found}), {}
    key = key or message["id"]
    seen = InboxMessage.objects.filter(space=space, partner_code=partner.code, idempotency_key=key,
                                       accepted=True, at_partner=True).first()
    if seen is not None:
        answer = seen.result
    else:
        answer = _decide(partner, message)
        InboxMessage.objects.create(space=space, partner_code=partner.code, idempotency_key=key,
                                    kind="referral", accepted=True, body=body.decode(),
                                    result=answer, received_at=timezone.now(), at_partner=True)
        if answer["status"] == "accepted" and partner.rules.get("done_after"):
            _schedule_done(partner, message["referral"]["id"])
    raw = json.dumps(answer, ensure_ascii=False, sort_keys=True).encode()
    stamp = signing.sign(partner.secret, raw, partner=partner.code, key=answer["id"])
    headers = {"X-Interop-Answer-Timestamp": stamp[signing.HEADER_TIMESTAMP],
               "X-Interop-Answer-Signature": stamp[signing.HEADER_SIGNATURE]}
    return Outcome(202, {"received": True, "answer": answer}), headers


def _decide(partner: Partner, message: dict[str, Any]) -> dict[str, Any]:
    rules = partner.rules or {}
    child = message.get("child") or {}
    missing = [need for need in rules.get("needs") or () if child.get(need) in (None, "", [])]
    status, reason = "accepted", pick(rules.get("comment")) or ""
    if missing:
        status = "declined"
        reason = pick(rules.get("missing_comment")) or (
            "We need these to take the referral: " + ", ".join(missing))
    elif rules.get("decision") == "decline":
        status = "declined"
        reason = reason or "We cannot take this referral."
    return messages.status_message(key=uuid.uuid4().hex, sender=partner.code,
                                   referral_id=str(message["referral"]["id"]), status=status,
                                   reason=reason)


def _schedule_done(partner: Partner, referral_id: str) -> None:
    from sandbox.simulation.models import Inject
    from sandbox.simulation.simtime import parse_duration

    space = partner.space
    space.refresh_from_db(fields=["clock"])
    Inject.objects.create(space=space, ref=f"interop:done:{partner.code}:{referral_id}",
                          due_at=space.clock + parse_duration(partner.rules["done_after"]),
                          payload={"call": "interop.partner_done", "partner": partner.pk,
                                   "referral_id": referral_id})


def done_job(space: Space, payload: dict[str, Any]) -> None:
    """The partner marks the referral done: a signed status update to the space."""
    partner = Partner.objects.filter(space=space, pk=payload["partner"]).first()
    if partner is None:
        return
    status = messages.status_message(key=uuid.uuid4().hex, sender=partner.code,
                                     referral_id=str(payload["referral_id"]), status="done",
                                     reason=pick(partner.rules.get("done_comment")) or "",
                                     sim_time=space.clock)
    body = json.dumps(status, ensure_ascii=False, sort_keys=True).encode()
    url = settings.SITE_URL.rstrip("/") + reverse("interop:inbound", args=[space.slug])

    def post() -> None:
        headers = signing.sign(partner.secret, body, partner=partner.code, key=status["id"])
        try:
            transport.post(url, body, headers)
        except transport.Unreachable:
            pass  # the sandbox itself is down: the trainee sees the referral still open

    if transport.is_in_process():
        post()
    else:
        # The clock advances inside a transaction: post once it is committed.
        transaction.on_commit(post)
