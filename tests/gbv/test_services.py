"""GBV case services: registration, consent per purpose and per provider, referrals only
to the providers the survivor agreed to, identifying information shared only with
consent, and the action plan and GBV closure approvals."""

from __future__ import annotations

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import ApprovalKind, Stage, Status
from sandbox.common.errors import NotAllowed, ValidationFailed

from .conftest import GbvWorld

pytestmark = pytest.mark.django_db


def test_a_gbv_case_is_registered_in_the_gbv_module(gbv: GbvWorld) -> None:
    case = gbv.case()
    assert case.module == "gbv"
    assert case.name_first == "Nadira" and case.age == 31
    assert case.owner == gbv.worker


def test_consent_is_recorded_per_purpose_and_per_provider(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health", "psychosocial"], identified=None,
                       statistics=True)
    policy = gbv.space.config.modules["gbv"].policy
    assert policy.provider_consented("services", "health", case.data)
    assert not policy.provider_consented("services", "legal", case.data)
    assert not policy.provider_consented("share_information", "health", case.data)
    assert policy.consent_is_given("statistics", case.data)
    assert case.data["gbv_consent_refused"] == "No sharing of her name with anyone."


def test_no_referral_to_a_provider_the_survivor_did_not_agree_to(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"])
    with pytest.raises(NotAllowed) as refused:
        gbv.refer(case, "legal")
    assert refused.value.code == "consent_required"
    referral = gbv.refer(case, "health")
    assert referral.to_member == gbv.providers["health"]


def test_no_referral_before_consent_to_services(gbv: GbvWorld) -> None:
    with pytest.raises(NotAllowed):
        gbv.refer(gbv.case(), "health")


def test_identity_is_left_out_of_a_referral_without_consent_to_share_it(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health", "psychosocial"], identified=["psychosocial"])
    to_health = gbv.refer(case, "health")
    assert not {"identity", "contact", "family"} & set(to_health.disclosed)
    to_psychosocial = gbv.refer(case, "psychosocial")
    assert "identity" in to_psychosocial.disclosed


def test_asking_to_share_identity_without_consent_is_refused(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], identified=None)
    with pytest.raises(NotAllowed) as refused:
        gbv.refer(case, "health", disclosed=["identity", "health"])
    assert "did not agree to share identified information" in str(refused.value.message)
    assert not case.referral_set.exists()


def test_action_plan_and_gbv_closure_need_their_own_approvals(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"])
    s.assessment_request(actor=gbv.worker, case=case)
    s.assessment_complete(actor=gbv.worker, case=case, data={
        "safety_risks": "Her husband returns at night.", "safety_actions": "Go to her sister's."})
    s.case_plan_save(actor=gbv.worker, case=case, data={"action_plan_items": [
        {"action_need": "health", "action_provider": "health", "action_target_date": "2026-03-05"}]})
    case.refresh_from_db()
    assert case.stage == Stage.CASE_PLAN
    with pytest.raises(ValidationFailed):
        s.approval_request(actor=gbv.worker, case=case, kind=ApprovalKind.CASE_PLAN)
    approval = s.approval_request(actor=gbv.worker, case=case, kind=ApprovalKind.ACTION_PLAN)
    s.approval_decide(actor=gbv.supervisor, approval=approval, approve=True)
    case.refresh_from_db()
    assert case.stage == Stage.SERVICE_PROVISION
    closure = {"closure_reason": "needs_met", "closure_safety_confirmed": True}
    with pytest.raises(ValidationFailed) as blocked:
        s.case_close(actor=gbv.worker, case=case, data=closure)
    assert blocked.value.code == "closure_not_approved"
    approval = s.approval_request(actor=gbv.worker, case=case, kind=ApprovalKind.GBV_CLOSURE)
    s.approval_decide(actor=gbv.supervisor, approval=approval, approve=True)
    case = s.case_close(actor=gbv.worker, case=case, data=closure)
    assert case.status == Status.CLOSED


def test_a_provider_cannot_register_or_edit_a_gbv_case(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], identified=["health"])
    gbv.refer(case, "health")
    with pytest.raises(NotAllowed):
        s.case_update(actor=gbv.providers["health"], case=case, section="gbv_survivor",
                      data={"phone": "+000 1"})
