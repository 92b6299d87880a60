"""The comprehensive assessment and the case plan."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.spaces.models import Member

from ..formdata import merge_section
from ..models import ApprovalKind, ApprovalStatus, Case, RegistrationStatus, Stage, TaskKind
from ..permissions import require_section_write
from ._core import Action, check_consent, require_open
from .refusals import records_refusal
from .tasks import complete_tasks, open_task


def _require_registered(case: Case) -> None:
    if case.registration_status != RegistrationStatus.REGISTERED:
        raise ValidationFailed(_("Register the case first."), code="not_registered")


def save_step(act: Action, case: Case, step: str, data: dict[str, Any]) -> None:
    """Validate and store the values of every form section of an SOP step."""
    sections = [s for s in act.module.sections if s.step == step]
    known = {f.code: s.code for s in sections for f in s.fields}
    unknown = [k for k in data if k not in known]
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)},
                               details={"fields": {k: [_("Unknown field.")] for k in unknown}})
    new_data = dict(case.data)
    ctx = act.write_context(case)
    errors: dict[str, list[str]] = {}
    for section in sections:
        require_section_write(act.actor, section.code, act.config)
        submitted = {k: v for k, v in data.items() if known[k] == section.code}
        merge_section(section, submitted, new_data, act.config, partial=True, ctx=ctx,
                      errors=errors)
    if errors:
        raise ValidationFailed(_("Some fields are missing or not valid."), details={"fields": errors})
    case.data = new_data


@records_refusal("assessment.request")
@transaction.atomic
def assessment_request(*, actor: Member, case: Case, consent_override_reason: str = "") -> Case:
    """Start the comprehensive assessment (with the consent the policy names for it, if any)."""
    act = Action(actor, "assessment.request", case)
    require_open(case)
    _require_registered(case)
    if case.assessment_started:
        raise ValidationFailed(_("The assessment has already been started."), code="already_started")
    consent = check_consent(act, case, consent_override_reason)
    case.assessment_started = True
    if case.stage in (Stage.NEW, Stage.REOPENED):
        case.stage = Stage.ASSESSMENT
    case.updated_at = act.now
    case.save()
    act.record(details=consent)
    return case


@transaction.atomic
def assessment_complete(*, actor: Member, case: Case, data: dict[str, Any]) -> Case:
    """Complete the assessment: the assessment forms, with their required fields."""
    act = Action(actor, "assessment.complete", case)
    require_open(case)
    _require_registered(case)
    save_step(act, case, "assessment", data)
    case.assessment_started = True
    case.assessment_completed_at = act.now
    if not act.module.policy.approval_required(ApprovalKind.ASSESSMENT):
        case.stage = Stage.CASE_PLAN
    elif case.stage in (Stage.NEW, Stage.REOPENED):
        case.stage = Stage.ASSESSMENT
    case.updated_at = act.now
    case.save()
    complete_tasks(case, [TaskKind.ASSESSMENT], act.now)
    if not case.tasks.filter(kind=TaskKind.CASE_PLAN, completed_at__isnull=True).exists():
        open_task(case, act.module.policy, TaskKind.CASE_PLAN, act.now)
    act.record()
    return case


def approved(case: Case, kind: str) -> bool:
    """Is the latest decision on this kind of approval (not superseded) an approval?"""
    decided = (case.approval_set.filter(kind=kind, superseded=False)
               .exclude(status=ApprovalStatus.PENDING))
    latest = decided.order_by("-decided_at", "-pk").first()
    return latest is not None and latest.status == ApprovalStatus.APPROVED


@records_refusal("case_plan.save")
@transaction.atomic
def case_plan_save(*, actor: Member, case: Case, data: dict[str, Any]) -> Case:
    """Save the case plan: per need, the goal, the action, who is responsible and by when."""
    act = Action(actor, "case_plan.save", case)
    require_open(case)
    _require_registered(case)
    if case.assessment_completed_at is None:
        raise ValidationFailed(_("Complete the assessment before the case plan."),
                               code="assessment_not_completed")
    policy = act.module.policy
    if policy.approval_required(ApprovalKind.ASSESSMENT) and not approved(case, ApprovalKind.ASSESSMENT):
        raise ValidationFailed(_("The assessment must be approved by a supervisor before the case plan."),
                               code="assessment_not_approved")
    save_step(act, case, "case_plan", data)
    case.case_plan_saved_at = act.now
    if policy.approval_required(policy.plan_approval):
        if case.stage in (Stage.NEW, Stage.ASSESSMENT, Stage.REOPENED):
            case.stage = Stage.CASE_PLAN
    else:
        case.stage = Stage.SERVICE_PROVISION
        start_services(act, case)
    case.updated_at = act.now
    case.save()
    act.record()
    return case


def start_services(act: Action, case: Case) -> None:
    """The plan is in force: the case-plan task is done and follow-up falls due."""
    complete_tasks(case, [TaskKind.CASE_PLAN], act.now)
    if not case.tasks.filter(kind=TaskKind.FOLLOWUP, completed_at__isnull=True).exists():
        open_task(case, act.module.policy, TaskKind.FOLLOWUP, act.now)
