"""Supervisor approvals: assessment, case plan, closure (and the GBV module's action plan
and closure). A role may be allowed to request or decide every kind, or some kinds only
(`approval.decide:case_plan`): each service checks the kind at hand."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.spaces.models import Member

from ..models import Approval, ApprovalKind, ApprovalStatus, Case, Stage
from ._core import Action, require_bool, require_open
from .assessment import start_services

#: The approvals of a plan: the case plan (CP) or the action plan (GBV).
PLAN_KINDS = (ApprovalKind.CASE_PLAN, ApprovalKind.ACTION_PLAN)


@transaction.atomic
def approval_request(*, actor: Member, case: Case, kind: str, comment: str = "") -> Approval:
    """Ask for a supervisor's approval of the assessment, the case plan or closure."""
    act = Action(actor, "approval.request", case)
    require_open(case)
    if kind not in ApprovalKind.values:
        raise ValidationFailed(_("Unknown approval type '%(kind)s'.") % {"kind": kind},
                               details={"fields": {"kind": [_("Unknown approval type.")]}})
    if kind not in act.module.policy.approvals:
        raise ValidationFailed(_("This configuration has no approval of that type."),
                               code="approval_not_configured")
    if act.role is not None and not act.role.can_request(kind):
        raise NotAllowed(_("Your role may not ask for approval of this type: %(kind)s.")
                         % {"kind": ApprovalKind(kind).label}, code="forbidden_approval_kind")
    if kind == ApprovalKind.ASSESSMENT and case.assessment_completed_at is None:
        raise ValidationFailed(_("Complete the assessment before asking for its approval."),
                               code="assessment_not_completed")
    if kind in PLAN_KINDS and case.case_plan_saved_at is None:
        raise ValidationFailed(_("Save the case plan before asking for its approval."),
                               code="case_plan_not_saved")
    if case.approval_set.filter(kind=kind, status=ApprovalStatus.PENDING).exists():
        raise ValidationFailed(_("An approval of this type is already waiting for a decision."),
                               code="approval_pending")
    approval = Approval.objects.create(space=act.space, case=case, kind=kind,
                                       request_comment=comment.strip(), created_by=actor,
                                       created_at=act.now)
    act.record(record=approval, details={"kind": kind, "comment": approval.request_comment})
    return approval


@transaction.atomic
def approval_decide(*, actor: Member, approval: Approval, approve: bool, comment: str = "") -> Approval:
    """Approve or reject a pending approval, with a comment (required to reject)."""
    act = Action(actor, "approval.decide", approval.case)
    act.fresh(approval)
    case = approval.case
    if approval.space_id != act.space.pk:
        raise NotAllowed(_("No such approval in this space."))
    if act.role is not None and not act.role.can_decide(approval.kind):
        raise NotAllowed(_("Your role may not decide approvals of this type: %(kind)s.")
                         % {"kind": approval.get_kind_display()}, code="forbidden_approval_kind")
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationFailed(_("This approval has already been decided."), code="already_decided")
    if case.owner_id == actor.pk and not (act.role and act.role.can("approval.decide_own")):
        raise NotAllowed(_("You cannot approve your own case. Ask another supervisor."),
                         code="own_case")
    require_bool(approve, "approve")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationFailed(_("Say why you reject it, so that the case worker can act on it."),
                               details={"fields": {"comment": [_("This field is required.")]}})
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = act.now
    approval.decision_comment = comment
    approval.save()
    if approve and case.is_open:
        if approval.kind == ApprovalKind.ASSESSMENT and case.stage == Stage.ASSESSMENT:
            case.stage = Stage.CASE_PLAN
        elif approval.kind in PLAN_KINDS and case.stage in (Stage.CASE_PLAN,
                                                                         Stage.ASSESSMENT):
            case.stage = Stage.SERVICE_PROVISION
            start_services(act, case)
        case.updated_at = act.now
        case.save()
    act.record(record=approval, details={"kind": approval.kind, "approved": approve,
                                         "comment": comment})
    return approval
