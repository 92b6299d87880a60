"""Who owns a case: transfers (accepted or rejected by the recipient, revoked by the
sender), transfer requests (asked by another worker, answered by the owner or their
supervisor) and assignment by a supervisor."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.spaces.models import Member

from ..models import Case, Transfer, TransferRequest, TransferRequestStatus, TransferStatus
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


@records_refusal("case.assign")
@transaction.atomic
def case_assign(*, actor: Member, case: Case, to_member: int, reason: str = "",
                consent_override_reason: str = "") -> Case:
    """Reassign the case at once (a manager's or supervisor's decision).

    The previous owner keeps the case only if their role's scope still covers it
    (an own-scope case worker loses it; a supervisor of its group does not).
    """
    act = Action(actor, "case.assign", case)
    require_open(case)
    recipient = member_in_space(act.space, to_member, "to_member")
    if recipient.pk == case.owner_id:
        raise ValidationFailed(_("The case already belongs to that person."))
    consent = check_consent(act, case, consent_override_reason)
    _take_ownership(case, recipient)
    case.updated_at = act.now
    case.save()
    act.record(details={"to_member": recipient.name, "reason": reason.strip(), **consent})
    return case


def may_revoke(actor: Member, sender_id: int | None, scope: str) -> bool:
    """The sender revokes what they sent; so does a supervisor or manager whose scope
    covers the case (the service has already checked the scope)."""
    return sender_id == actor.pk or scope != "own"


@transaction.atomic
def transfer_revoke(*, actor: Member, transfer: Transfer, reason: str) -> Transfer:
    """Withdraw a pending transfer sent by mistake: the recipient can no longer accept it."""
    act = Action(actor, "transfer.revoke", transfer.case)
    act.fresh(transfer)
    if transfer.to_member_id == actor.pk or act.role is None \
            or not may_revoke(actor, transfer.created_by_id, act.role.scope):
        raise NotAllowed(_("Only the sender of a transfer, or their supervisor, can revoke it."),
                         code="not_sender")
    if transfer.status != TransferStatus.PENDING:
        raise ValidationFailed(_("This transfer has already been answered."), code="already_answered")
    transfer.status = TransferStatus.REVOKED
    transfer.responded_at = act.now
    transfer.response_comment = require_text(reason, "reason")
    transfer.save()
    act.record(record=transfer, details={"to_member": transfer.to_member.name,
                                         "reason": transfer.response_comment})
    return transfer


@transaction.atomic
def transfer_request_create(*, actor: Member, case: Case, reason: str) -> TransferRequest:
    """Ask the owner of a case (usually of another agency) to hand it over to oneself.

    The requester need not see the case: they name it by its case ID (from a duplicate
    search or a phone call), and see it only once the request is accepted.
    """
    # The requester is outside the case's scope by nature: the role decides, not the scope.
    act = Action(actor, "transfer.request", case, related=True)
    require_open(case)
    if case.owner_id == actor.pk:
        raise ValidationFailed(_("The case already belongs to you."), code="already_owner")
    reason = require_text(reason, "reason")
    if case.transferrequest_set.filter(created_by=actor, status=TransferRequestStatus.PENDING).exists():
        raise ValidationFailed(_("You have already asked for this case; wait for the answer."),
                               code="transfer_request_pending")
    request = TransferRequest.objects.create(space=act.space, case=case, reason=reason,
                                             created_by=actor, created_at=act.now)
    act.record(record=request, details={"requested_by": actor.name, "reason": reason})
    return request


def _answer_request(actor: Member, request: TransferRequest, action: str) -> Action:
    act = Action(actor, action, request.case)
    act.fresh(request)
    if request.created_by_id == actor.pk:
        raise NotAllowed(_("You cannot answer your own transfer request."), code="own_request")
    if request.status != TransferRequestStatus.PENDING:
        raise ValidationFailed(_("This transfer request has already been answered."),
                               code="already_answered")
    return act


@records_refusal("transfer_request.accept", record="transfer_request")
@transaction.atomic
def transfer_request_accept(*, actor: Member, transfer_request: TransferRequest, comment: str = "",
                            consent_override_reason: str = "") -> TransferRequest:
    """Hand the case over to the requester (the owner's or their supervisor's decision).

    Refused without the consent the policy names for `transfer_request.accept`.
    """
    act = _answer_request(actor, transfer_request, "transfer_request.accept")
    case = transfer_request.case
    require_open(case)
    requester = transfer_request.created_by
    if requester is None:
        raise ValidationFailed(_("The person who asked is no longer in this space."),
                               code="requester_gone")
    if case.transfer_set.filter(status=TransferStatus.PENDING).exists():
        raise ValidationFailed(_("A transfer of this case is already waiting for an answer."),
                               code="transfer_pending")
    consent = check_consent(act, case, consent_override_reason)
    transfer_request.status = TransferRequestStatus.ACCEPTED
    transfer_request.answered_by = actor
    transfer_request.responded_at = act.now
    transfer_request.response_comment = comment.strip()
    transfer_request.consent_override_reason = consent.get("consent_override_reason", "")
    transfer_request.save()
    if requester.pk != case.owner_id:
        _take_ownership(case, requester)
        case.updated_at = act.now
        case.save()
    act.record(record=transfer_request, details={
        "requested_by": requester.name, "comment": transfer_request.response_comment, **consent})
    return transfer_request


@transaction.atomic
def transfer_request_decline(*, actor: Member, transfer_request: TransferRequest,
                             comment: str) -> TransferRequest:
    """Keep the case, saying why: the requester reads the reason."""
    act = _answer_request(actor, transfer_request, "transfer_request.decline")
    transfer_request.status = TransferRequestStatus.DECLINED
    transfer_request.answered_by = actor
    transfer_request.responded_at = act.now
    transfer_request.response_comment = require_text(comment, "comment")
    transfer_request.save()
    act.record(record=transfer_request, details={
        "requested_by": transfer_request.created_by.name if transfer_request.created_by else "",
        "comment": transfer_request.response_comment})
    return transfer_request
