"""Messages received from partners: checked, recorded, and carried out once.

`receive` is what the space's inbound endpoint calls (and what takes the status update
a partner's answer carries): it checks the signature with the partner's secret, refuses
a stale or forged one (recorded, with why), validates the message against its schema,
and carries it out through the case services, one event each: a status update answers
the referral as the partner's account in the world; a referral creates an identified
case. A message received again (same idempotency key) is answered as the first time
and not carried out twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sandbox.cases import services as cs
from sandbox.cases.models import Referral, ReferralStatus
from sandbox.common.errors import SandboxError
from sandbox.spaces.models import Space

from . import messages, signing
from .models import InboxMessage, Partner

#: What a refused signature tells the sender, by reason.
SIGNATURE_ERRORS = {
    "signature_missing": gettext_lazy("The message is not signed: send the timestamp and "
                                      "signature headers."),
    "timestamp_invalid": gettext_lazy("The timestamp header is not a number of seconds."),
    "timestamp_stale": gettext_lazy("The timestamp is too far from this system's clock: the "
                                    "message is stale or replayed."),
    "signature_invalid": gettext_lazy("The signature does not match the message: check the "
                                      "shared secret."),
    "unknown_partner": gettext_lazy("No partner system with this ID is configured here."),
}


@dataclass
class Outcome:
    """The HTTP status and JSON body of the answer."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)


def error(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Outcome:
    return Outcome(status, {"error": {"code": code, "message": str(message), "details": details or {}}})


def authenticate(*, space: Space, partner_code: str, body: bytes, timestamp: str | None,
                 signature: str | None, at_partner: bool = False) -> Partner | Outcome:
    """The partner whose secret signs the body, or the refusal (recorded)."""
    partner = Partner.objects.filter(space=space, code=partner_code).select_related(
        "member", "receiver", "space").first()
    code = "unknown_partner" if partner is None else ""
    if partner is not None:
        try:
            signing.verify(partner.secret, body, timestamp, signature)
        except signing.BadSignature as exc:
            code = exc.code
    if not code:
        assert partner is not None
        return partner
    InboxMessage.objects.create(space=space, partner_code=partner_code[:80], accepted=False,
                                error=code, body=body[:5000].decode(errors="replace"),
                                received_at=timezone.now(), at_partner=at_partner)
    return error(401, code, SIGNATURE_ERRORS[code])


def receive(*, space: Space, partner_code: str, body: bytes, timestamp: str | None,
            signature: str | None, key: str | None) -> Outcome:
    """Check, record and carry out one message to the space (see the module's docstring)."""
    partner = authenticate(space=space, partner_code=partner_code, body=body,
                           timestamp=timestamp, signature=signature)
    if isinstance(partner, Outcome):
        return partner
    try:
        message = json.loads(body.decode())
    except (ValueError, UnicodeDecodeError):
        return _refuse(space, partner, body, key, 400, "invalid_json", _("The body is not JSON."))
    found = messages.problems(message)
    if found:
        return _refuse(space, partner, body, key, 400, "invalid_message",
                       _("The message does not follow its schema."), {"problems": found})
    key = key or message["id"]
    done = InboxMessage.objects.filter(space=space, partner_code=partner.code, idempotency_key=key,
                                       accepted=True, at_partner=False).first()
    if done is not None:
        return Outcome(200, {**done.result, "duplicate": True})
    try:
        with transaction.atomic():
            result = _carry_out(partner, message)
            InboxMessage.objects.create(
                space=space, partner_code=partner.code, idempotency_key=key, kind=message["type"],
                accepted=True, body=body.decode(), result=result, received_at=timezone.now())
    except SandboxError as exc:
        return _refuse(space, partner, body, key, 422, exc.code, str(exc.message), exc.details)
    return Outcome(200 if message["type"] == "status" else 201, result)


def _refuse(space: Space, partner: Partner, body: bytes, key: str | None, status: int, code: str,
            message: str, details: dict[str, Any] | None = None) -> Outcome:
    InboxMessage.objects.create(space=space, partner_code=partner.code, idempotency_key=key or "",
                                accepted=False, error=f"{code}: {message}"[:300],
                                body=body[:5000].decode(errors="replace"), received_at=timezone.now())
    return error(status, code, message, details)


def _carry_out(partner: Partner, message: dict[str, Any]) -> dict[str, Any]:
    if message["type"] == "status":
        return _status(partner, message)
    return _referral(partner, message)


def _status(partner: Partner, message: dict[str, Any]) -> dict[str, Any]:
    from sandbox.common.errors import NotFound

    referral_id = str(message["referral_id"])
    referral = Referral.objects.filter(
        space=partner.space, pk=int(referral_id) if referral_id.isdigit() else 0,
        to_agency=partner.agency).select_related("case").first()
    if referral is None:
        raise NotFound(_("No referral with this ID was sent to this partner."), code="unknown_referral")
    status, reason = message["status"], message.get("reason", "")
    if status == "accepted":
        cs.referral_accept(actor=partner.member, referral=referral, comment=reason)
    elif status == "declined":
        cs.referral_reject(actor=partner.member, referral=referral, comment=reason)
    else:
        if referral.status == ReferralStatus.PENDING:
            cs.referral_accept(actor=partner.member, referral=referral)
        cs.referral_done(actor=partner.member, referral=referral, comment=reason)
    return {"referral_id": referral_id, "status": status}


def _referral(partner: Partner, message: dict[str, Any]) -> dict[str, Any]:
    from sandbox.common.errors import ValidationFailed

    receiver = partner.receiver
    if receiver is None:
        raise ValidationFailed(_("This space takes no referrals from this partner."),
                               code="no_receiver")
    module = partner.space.module_config
    child = message.get("child") or {}
    data: dict[str, Any] = {}
    for core, code in module.core_fields.items():
        if core in child and code in module.fields:
            data[code] = child[core]
    for code, value in child.items():
        if code in module.fields and code not in data:
            data[code] = value
    case = cs.case_identify(actor=receiver, data=data, system=partner.name,
                            summary=str(message["referral"].get("notes", ""))[:2000])
    return {"case_id": case.display_id, "referral_id": str(message["referral"]["id"])}
