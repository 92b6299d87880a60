"""Follow-up: visits, phone calls and remote contacts, and changes to the risk level."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.spaces.models import Member

from ..models import Case, FollowUp, TaskKind
from ._core import Action, check_consent, require_open, require_option, require_text
from .refusals import records_refusal
from .tasks import complete_tasks, open_task, reschedule


@records_refusal("followup.record")
@transaction.atomic
def followup_record(*, actor: Member, case: Case, date: dt.date | str, followup_type: str,
                    findings: str, risk_level: str = "",
                    consent_override_reason: str = "") -> FollowUp:
    """Record a follow-up; a new risk level changes the case and its deadlines.

    Refused without the consent the policy names for `followup.record`, if it names any.
    """
    act = Action(actor, "followup.record", case,
                 related=case.referral_set.filter(to_member=actor).exists() or None)
    require_open(case)
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise ValidationFailed(_("Enter the date as YYYY-MM-DD."),
                                   details={"fields": {"date": [_("Enter a valid date.")]}}) from None
    if not isinstance(date, dt.date):
        raise ValidationFailed(_("Enter the date as YYYY-MM-DD."),
                               details={"fields": {"date": [_("Enter a valid date.")]}})
    if date > act.now.date():
        raise ValidationFailed(_("A follow-up cannot be dated in the future."),
                               details={"fields": {"date": [_("The date is in the future.")]}})
    require_option(act.config, act.require_lookup("followup_type"), followup_type, "followup_type")
    findings = require_text(findings, "findings")
    risk_field = act.module.core_fields["risk_level"]
    risk_lookup = act.module.fields[risk_field].lookup or ""
    before = case.risk_level
    if risk_level:
        require_option(act.config, risk_lookup, risk_level, "risk_level")
    consent = check_consent(act, case, consent_override_reason)
    followup = FollowUp.objects.create(
        space=act.space, case=case, date=date, followup_type=followup_type, findings=findings,
        risk_before=before, risk_after=risk_level or before, created_by=actor, created_at=act.now)
    if risk_level and risk_level != before:
        case.risk_level = risk_level
        case.data = {**case.data, risk_field: risk_level}
        reschedule(case, act.module.policy)
    case.updated_at = act.now
    case.save()
    complete_tasks(case, [TaskKind.FOLLOWUP], act.now)
    open_task(case, act.module.policy, TaskKind.FOLLOWUP, act.now)
    act.record(record=followup, details={"followup_type": followup_type, "date": date.isoformat(),
                                         "risk_before": before, "risk_after": followup.risk_after,
                                         **consent})
    return followup
