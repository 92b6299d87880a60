"""A child's case through every SOP step, from registration to closure."""

from __future__ import annotations

import datetime as dt

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Event, ReferralStatus, Stage, Status, TaskKind

from .conftest import World, assessment_data, case_plan_data, closure_data


@pytest.mark.django_db
def test_full_case_lifecycle(world: World) -> None:
    w = world
    assert s.case_search(actor=w.worker, query="Amina") == []
    case = w.consented()
    assert case.display_id == "CP-0001" and case.stage == Stage.NEW
    assert case.tasks.get(kind=TaskKind.ASSESSMENT).due_at == w.space.clock + dt.timedelta(hours=24)

    s.assessment_request(actor=w.worker, case=case)
    s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=w.worker, case=case, kind="assessment")
    s.approval_decide(actor=w.supervisor, approval=approval, approve=True, comment="Good.")
    case.refresh_from_db()
    assert case.stage == Stage.CASE_PLAN

    s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())
    plan = s.approval_request(actor=w.worker, case=case, kind="case_plan")
    s.approval_decide(actor=w.supervisor, approval=plan, approve=True)
    case.refresh_from_db()
    assert case.stage == Stage.SERVICE_PROVISION

    referral = s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                                 reason=_reason(w), to_member=w.provider.pk, urgency="immediate")
    s.referral_accept(actor=w.provider, referral=referral)
    s.referral_done(actor=w.provider, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    s.service_implement(actor=w.worker, service=referral.service)
    s.followup_record(actor=w.worker, case=case, date="2026-03-02", followup_type="phone_call",
                      findings="Reunified; doing well.", risk_level="low")
    case.refresh_from_db()
    assert case.stage == Stage.SERVICES_IMPLEMENTED and case.risk_level == "low"

    closure = s.approval_request(actor=w.worker, case=case, kind="closure")
    s.approval_decide(actor=w.supervisor, approval=closure, approve=True)
    s.case_close(actor=w.worker, case=case, data=closure_data())
    case.refresh_from_db()
    assert case.status == Status.CLOSED and not case.tasks.filter(completed_at__isnull=True).exists()

    actions = list(Event.objects.filter(space=w.space).values_list("action", flat=True))
    assert actions == [
        "case.search", "case.register", "consent.record", "consent.record", "assessment.request",
        "assessment.complete", "approval.request", "approval.decide", "case_plan.save",
        "approval.request", "approval.decide", "referral.create", "referral.accept",
        "referral.done", "service.implement", "followup.record", "approval.request",
        "approval.decide", "case.close",
    ]
    sequences = list(Event.objects.filter(space=w.space).values_list("sequence", flat=True))
    assert sequences == list(range(1, len(actions) + 1))


def _reason(w: World) -> str:
    lookup = w.space.module_config.system_lookups["referral_reason"]
    return next(iter(w.space.config.lookups[lookup].options))
