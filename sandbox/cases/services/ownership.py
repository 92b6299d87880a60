"""Who owns a case: transfers (accepted or rejected by the recipient) and assignment."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.spaces.models import Member

from ..models import Case, Transfer, TransferStatus
from ._core import Action, check_consent, member_in_space, require_open, require_text
from .refusals import records_refusal


def _take_ownership(case: Case, member: Member) -> None:
    case.owner = member
    case.agency = member.agency
    case.user_groups = list(member.user_groups)


@records_refusal("transfer.create")
@transaction.atomic
def transfer_create(*, actor: Member, case: Case, to_member: int, reason: str,
                    consent_override_reason: str = "") -> Transfer:
    """Offer the case to another worker, who accepts or rejects it."""
    act = Action(actor, "transfer.create", case)
    require_open(case)
    recipient = member_in_space(act.space, to_member, "to_member", can="transfer.accept")
    if recipient.pk == case.owner_id:
        raise ValidationFailed(_("The case already belongs to that person."))
    reason = require_text(reason, "reason")
    if case.transfer_set.filter(status=TransferStatus.PENDING).exists():
        raise ValidationFailed(_("A transfer of this case is already waiting for an answer."),
                               code="transfer_pending")
    consent = check_consent(act, case, consent_override_reason)
    transfer = Transfer.objects.create(
        space=act.space, case=case, to_member=recipient, reason=reason,
        consent_override_reason=consent.get("consent_override_reason", ""),
        created_by=actor, created_at=act.now)
    act.record(record=transfer, details={"to_member": recipient.name, "reason": reason, **consent})
    return transfer


def _answer(actor: Member, transfer: Transfer, action: str) -> Action:
    act = Action(actor, action, transfer.case, related=True)
    act.fresh(transfer)
    if transfer.to_member_id != actor.pk:
        raise NotAllowed(_("Only the recipient of a transfer can answer it."), code="not_recipient")
    if transfer.status != TransferStatus.PENDING:
        raise ValidationFailed(_("This transfer has already been answered."), code="already_answered")
    return act


@transaction.atomic
def transfer_accept(*, actor: Member, transfer: Transfer, comment: str = "") -> Transfer:
    act = _answer(actor, transfer, "transfer.accept")
    transfer.status = TransferStatus.ACCEPTED
    transfer.responded_at = act.now
    transfer.response_comment = comment.strip()
    transfer.save()
    case = transfer.case
    _take_ownership(case, actor)
    case.updated_at = act.now
    case.save()
    act.record(record=transfer, details={"comment": transfer.response_comment})
    return transfer


@transaction.atomic
def transfer_reject(*, actor: Member, transfer: Transfer, comment: str) -> Transfer:
    act = _answer(actor, transfer, "transfer.reject")
    transfer.status = TransferStatus.REJECTED
    transfer.responded_at = act.now
    transfer.response_comment = require_text(comment, "comment")
    transfer.save()
    act.record(record=transfer, details={"comment": transfer.response_comment})
    return transfer


@transaction.atomic
def case_assign(*, actor: Member, case: Case, to_member: int, reason: str = "") -> Case:
    """Reassign the case at once (a manager's or supervisor's decision)."""
    act = Action(actor, "case.assign", case)
    require_open(case)
    recipient = member_in_space(act.space, to_member, "to_member")
    if recipient.pk == case.owner_id:
        raise ValidationFailed(_("The case already belongs to that person."))
    _take_ownership(case, recipient)
    case.updated_at = act.now
    case.save()
    act.record(details={"to_member": recipient.name, "reason": reason.strip()})
    return case
