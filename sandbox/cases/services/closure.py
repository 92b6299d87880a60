"""Closing a case, after the supervisor's approval when the policy asks for it; reopening."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.spaces.models import Member

from ..models import ApprovalKind, Case, Stage, Status, Task
from ._core import Action, require_open, require_text
from .assessment import approved, save_step
from .refusals import records_refusal


@records_refusal("case.close")
@transaction.atomic
def case_close(*, actor: Member, case: Case, data: dict[str, Any]) -> Case:
    """Close the case with the closure form (reason and closure assessment)."""
    act = Action(actor, "case.close", case)
    require_open(case)
    kind = act.module.policy.closure_approval
    if act.module.policy.approval_required(kind):
        if not approved(case, kind):
            raise ValidationFailed(
                _("Closure must be approved by a supervisor first. Request closure approval."),
                code="closure_not_approved")
    save_step(act, case, "closure", data)
    case.status = Status.CLOSED
    case.stage = Stage.CLOSED
    case.closed_at = act.now
    case.updated_at = act.now
    case.save()
    Task.objects.filter(case=case, completed_at__isnull=True).update(completed_at=act.now)
    act.record()
    return case


@transaction.atomic
def case_reopen(*, actor: Member, case: Case, reason: str) -> Case:
    """Reopen a closed case; a closure needs a new approval afterwards."""
    act = Action(actor, "case.reopen", case)
    if case.is_open:
        raise ValidationFailed(_("The case is already open."), code="already_open")
    reason = require_text(reason, "reason")
    case.status = Status.OPEN
    case.stage = Stage.REOPENED
    case.closed_at = None
    case.reopened_at = act.now
    case.assessment_started = False  # a reopened case may need a new assessment
    case.updated_at = act.now
    case.save()
    # A closure approved before the reopening does not carry over.
    case.approval_set.filter(kind__in=(ApprovalKind.CLOSURE, ApprovalKind.GBV_CLOSURE)).update(
        superseded=True)
    act.record(details={"reason": reason})
    return case



