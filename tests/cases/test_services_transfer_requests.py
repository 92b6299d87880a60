"""Transfer requests (asked by another agency's worker, answered by the owner or their
supervisor), revoking a referral or a transfer sent by mistake, reassignment by a
supervisor, and consent rules on every action that can carry one."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sandbox.cases import services as s
from sandbox.cases.models import (
    Case,
    ReferralStatus,
    ServiceStatus,
    TransferRequest,
    TransferRequestStatus,
    TransferStatus,
)
from sandbox.cases.permissions import can_see
from sandbox.cases.selectors import referrals_received, visible_cases
from sandbox.common.actions import ACTIONS, CONSENT_ACTION_NAMES
from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.configuration.models import Bundle, Policy, Role

from .conftest import World
from .test_services_helpers import check_event, fresh, one_event, refused

pytestmark = pytest.mark.django_db

WHY = "The family moved to Port Hassan, where CFI works."


def _ask(w: World, case: Case, **kwargs: Any) -> TransferRequest:
    kwargs.setdefault("reason", WHY)
    return s.transfer_request_create(actor=w.outsider, case=case, **kwargs)


def require_consent(action: str, kinds: list[str]) -> None:
    """Add a consent rule to the default bundle's policy of the CP module."""
    policy = Policy.objects.get(module__bundle__code="default", module__code="cp")
    policy.consent = {**policy.consent, "required": {**policy.consent["required"], action: kinds}}
    policy.save()
    Bundle.objects.filter(code="default").update(loaded_at=timezone.now())


# transfer.request ----------------------------------------------------------------------------


def test_a_worker_of_another_agency_asks_for_a_case(world: World) -> None:
    w = world
    case = w.consented()
    assert not can_see(w.outsider, case, w.space.config)
    with one_event(w.space) as watch:
        request = _ask(w, case, reason=f"  {WHY} ")
    request = fresh(request)
    assert (request.created_by, request.reason, request.status) == (
        w.outsider, WHY, TransferRequestStatus.PENDING)
    check_event(watch.event, "transfer.request", w.outsider, case=case, changes={})
    assert watch.event.details == {"requested_by": w.outsider.name, "reason": WHY}
    # Asking shows nothing of the child: the case stays out of the requester's sight.
    assert case not in visible_cases(w.outsider)


def test_asking_twice_or_for_ones_own_case_is_refused(world: World) -> None:
    w = world
    case = w.consented()
    _ask(w, case)
    with refused(w.space, ValidationFailed, code="transfer_request_pending"):
        _ask(w, case)
    with refused(w.space, ValidationFailed, code="already_owner"):
        s.transfer_request_create(actor=w.worker, case=case, reason=WHY)
    with refused(w.space, ValidationFailed, field="reason"):
        s.transfer_request_create(actor=w.colleague, case=case, reason="  ")


def test_a_service_provider_may_not_ask(world: World) -> None:
    w = world
    case = w.consented()
    with refused(w.space, NotAllowed, code="forbidden_by_role"):
        s.transfer_request_create(actor=w.provider, case=case, reason=WHY)


# transfer_request.accept / decline -----------------------------------------------------------


def test_the_owner_accepts_and_the_case_goes_to_the_requester(world: World) -> None:
    w = world
    case = w.consented()
    request = _ask(w, case)
    with one_event(w.space) as watch:
        s.transfer_request_accept(actor=w.worker, transfer_request=request, comment="Agreed.")
    request = fresh(request)
    assert (request.status, request.answered_by, request.response_comment) == (
        TransferRequestStatus.ACCEPTED, w.worker, "Agreed.")
    case = fresh(case)
    assert (case.owner, case.agency, case.user_groups) == (w.outsider, "cfi", [])
    check_event(watch.event, "transfer_request.accept", w.worker, case=case)
    assert watch.event.changes["owner_id"] == [w.worker.pk, w.outsider.pk]
    assert watch.event.details == {"requested_by": w.outsider.name, "comment": "Agreed."}
    assert case in visible_cases(w.outsider) and case not in visible_cases(w.worker)


def test_the_supervisor_of_the_owner_answers_too(world: World) -> None:
    w = world
    request = _ask(w, w.consented())
    with one_event(w.space) as watch:
        s.transfer_request_decline(actor=w.supervisor, transfer_request=request,
                                   comment="The child stays in the shelter here.")
    assert fresh(request).status == TransferRequestStatus.DECLINED
    assert fresh(request.case).owner == w.worker
    check_event(watch.event, "transfer_request.decline", w.supervisor, case=request.case, changes={})
    assert watch.event.details["comment"] == "The child stays in the shelter here."


def test_who_may_not_answer(world: World) -> None:
    w = world
    request = _ask(w, w.consented())
    # The requester does not answer their own request (and cannot see the case to).
    with refused(w.space, NotAllowed, code="forbidden_by_scope"):
        s.transfer_request_accept(actor=w.outsider, transfer_request=request)
    # A case worker of the same group does not own the case.
    with refused(w.space, NotAllowed, code="forbidden_by_scope"):
        s.transfer_request_accept(actor=w.colleague, transfer_request=request)
    with refused(w.space, NotAllowed, code="forbidden_by_role"):
        s.transfer_request_decline(actor=w.provider, transfer_request=request, comment="No.")
    with refused(w.space, ValidationFailed, field="comment"):
        s.transfer_request_decline(actor=w.worker, transfer_request=request, comment="")
    s.transfer_request_decline(actor=w.worker, transfer_request=request, comment="No.")
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.transfer_request_accept(actor=w.worker, transfer_request=request)


def test_an_administrator_who_asked_cannot_answer_their_own_request(world: World) -> None:
    w = world
    request = s.transfer_request_create(actor=w.admin, case=w.consented(), reason=WHY)
    with refused(w.space, NotAllowed, code="own_request"):
        s.transfer_request_accept(actor=w.admin, transfer_request=request)


def test_accepting_without_consent_is_refused_when_the_policy_says_so(world: World) -> None:
    w = world
    require_consent("transfer_request.accept", ["share_information"])
    request = _ask(w, w.case())
    with refused(w.space, code="consent_required") as info:
        s.transfer_request_accept(actor=w.worker, transfer_request=request)
    assert info.value.details["consent_missing"] == ["share_information"]
    assert fresh(request).status == TransferRequestStatus.PENDING
    with one_event(w.space) as watch:
        s.transfer_request_accept(actor=w.supervisor, transfer_request=request,
                                  consent_override_reason="Caregiver unreachable.")
    assert fresh(request).consent_override_reason == "Caregiver unreachable."
    assert watch.event.details["consent_missing"] == ["share_information"]


# referral.revoke / transfer.revoke -----------------------------------------------------------


def _refer(w: World, case: Case) -> Any:
    return s.referral_create(actor=w.worker, case=case, service_type="safe_shelter",
                             reason="immediate_safety", to_member=w.provider.pk)


def test_the_sender_revokes_a_pending_referral(world: World) -> None:
    w = world
    case = w.consented()
    referral = _refer(w, case)
    assert can_see(w.provider, case, w.space.config)
    with one_event(w.space) as watch:
        s.referral_revoke(actor=w.worker, referral=referral, reason="Sent to the wrong agency.")
    referral = fresh(referral)
    assert (referral.status, referral.response_comment) == (
        ReferralStatus.REVOKED, "Sent to the wrong agency.")
    assert referral.service.status == ServiceStatus.PLANNED
    check_event(watch.event, "referral.revoke", w.worker, case=case, changes={})
    assert watch.event.details["reason"] == "Sent to the wrong agency."
    # The recipient can no longer accept it, nor see the child's file.
    assert referral not in referrals_received(viewer=w.provider)
    assert not can_see(w.provider, case, w.space.config)
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.referral_accept(actor=w.provider, referral=referral)


def test_who_may_revoke_a_referral(world: World) -> None:
    w = world
    referral = _refer(w, w.consented())
    with refused(w.space, NotAllowed, code="forbidden_by_role"):
        s.referral_revoke(actor=w.provider, referral=referral, reason="Not mine.")
    with refused(w.space, NotAllowed, code="forbidden_by_scope"):
        s.referral_revoke(actor=w.outsider, referral=referral, reason="Not mine.")
    with refused(w.space, ValidationFailed, field="reason"):
        s.referral_revoke(actor=w.worker, referral=referral, reason="")
    s.referral_revoke(actor=w.supervisor, referral=referral, reason="Wrong agency.")
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.referral_revoke(actor=w.worker, referral=referral, reason="Again.")


def test_an_answered_referral_is_not_revoked(world: World) -> None:
    w = world
    referral = _refer(w, w.consented())
    s.referral_accept(actor=w.provider, referral=referral)
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.referral_revoke(actor=w.worker, referral=referral, reason="Too late.")


def test_the_sender_or_supervisor_revokes_a_pending_transfer(world: World) -> None:
    w = world
    case = w.consented()
    transfer = s.transfer_create(actor=w.worker, case=case, to_member=w.outsider.pk, reason=WHY)
    with refused(w.space, NotAllowed, code="not_sender"):
        s.transfer_revoke(actor=w.outsider, transfer=transfer, reason="Not for me.")
    with refused(w.space, NotAllowed, code="forbidden_by_scope"):
        s.transfer_revoke(actor=w.colleague, transfer=transfer, reason="Not mine.")
    with one_event(w.space) as watch:
        s.transfer_revoke(actor=w.supervisor, transfer=transfer, reason="Wrong worker chosen.")
    assert fresh(transfer).status == TransferStatus.REVOKED
    check_event(watch.event, "transfer.revoke", w.supervisor, case=case, changes={})
    assert not can_see(w.outsider, case, w.space.config)
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.transfer_accept(actor=w.outsider, transfer=transfer)
    # A new transfer may be offered once the mistaken one is revoked.
    s.transfer_create(actor=w.worker, case=case, to_member=w.colleague.pk, reason=WHY)


# case.assign ---------------------------------------------------------------------------------


def test_reassignment_is_a_supervisors_permission_in_both_bundles(world: World) -> None:
    from sandbox.configuration.bundle.load import load_bundle
    from tests.conftest import KENYA_BUNDLE

    roles = w_roles = world.space.config.roles
    assert roles["supervisor"].can("case.assign") and not roles["caseworker"].can("case.assign")
    kenya = load_bundle(KENYA_BUNDLE)
    k_roles = {r.code: r.permissions for r in Role.objects.filter(bundle=kenya)}
    assert "case.assign" in k_roles["sub_county_children_officer"]
    assert "case.assign" not in k_roles["children_officer"]
    for role in ("caseworker", "supervisor", "administrator"):
        for action in ("transfer.request", "transfer_request.accept", "referral.revoke"):
            assert w_roles[role].can(action)
            assert action in k_roles[{"caseworker": "children_officer",
                                      "supervisor": "sub_county_children_officer"}.get(role, role)]


def test_the_previous_owner_loses_the_case_on_reassignment(world: World) -> None:
    w = world
    case = w.consented()
    with one_event(w.space) as watch:
        s.case_assign(actor=w.supervisor, case=case, to_member=w.colleague.pk, reason="Leave.")
    assert fresh(case).owner == w.colleague
    check_event(watch.event, "case.assign", w.supervisor, case=case)
    assert case not in visible_cases(w.worker) and case in visible_cases(w.colleague)
    assert case in visible_cases(w.supervisor)  # the group is unchanged
    with refused(w.space, NotAllowed, code="forbidden_by_role"):
        s.case_assign(actor=w.colleague, case=case, to_member=w.worker.pk)


# consent for any action ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["followup.record", "service.add", "case.assign",
                                    "assessment.request"])
def test_a_consent_rule_on_any_action_that_can_carry_one_is_enforced(world: World,
                                                                      action: str) -> None:
    w = world
    require_consent(action, ["services"])
    case = w.case()
    run = {
        "followup.record": lambda actor, **kw: s.followup_record(
            actor=actor, case=case, date="2026-03-02", followup_type="home_visit",
            findings="Safe.", **kw),
        "service.add": lambda actor, **kw: s.service_add(
            actor=actor, case=case, service_type="education", **kw),
        "case.assign": lambda actor, **kw: s.case_assign(
            actor=actor, case=case, to_member=w.colleague.pk, **kw),
        "assessment.request": lambda actor, **kw: s.assessment_request(actor=actor, case=case, **kw),
    }[action]
    actor = w.supervisor if action == "case.assign" else w.worker
    with refused(w.space, code="consent_required") as info:
        run(actor)
    assert info.value.details["consent_missing"] == ["services"]
    if action != "case.assign":  # a case worker may not reassign at all
        with refused(w.space, code="consent_override_forbidden"):
            run(w.worker, consent_override_reason="Urgent.")
    with one_event(w.space) as watch:
        run(w.supervisor, consent_override_reason="The child is in danger tonight.")
    assert watch.event.action == action
    assert watch.event.details["consent_override_reason"] == "The child is in danger tonight."


def test_every_consent_action_has_a_refusal_event_name() -> None:
    names = {a.name for a in ACTIONS}
    assert {f"{a}.refused" for a in CONSENT_ACTION_NAMES} <= names
    assert "note.add" not in CONSENT_ACTION_NAMES and "case.close" not in CONSENT_ACTION_NAMES
