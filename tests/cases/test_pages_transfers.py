"""Pages of transfer requests (the referrals page) and of revoking (the case page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sandbox.cases import services as s
from sandbox.cases.models import (
    Case,
    Event,
    ReferralStatus,
    TransferRequest,
    TransferRequestStatus,
    TransferStatus,
)
from sandbox.spaces.models import Member

from .conftest import World
from .test_pages import as_member, body, url
from .test_services_transfer_requests import require_consent

pytestmark = pytest.mark.django_db


def _referral(w: World, case: Case) -> Any:
    return s.referral_create(actor=w.worker, case=case, service_type="safe_shelter",
                             reason="immediate_safety", to_member=w.provider.pk)


def _case_page(client: Client, w: World, member: Member, case: Case) -> str:
    response = as_member(client, member).get(url(w, "detail", display_id=case.display_id))
    assert response.status_code == 200
    return body(response)


def test_the_sender_revokes_a_referral_from_the_case_page(client: Client, world: World) -> None:
    w = world
    case = w.consented()
    referral = _referral(w, case)
    assert 'data-action="referral-revoke"' in _case_page(client, w, w.worker, case)
    assert 'data-action="referral-revoke"' in _case_page(client, w, w.supervisor, case)
    assert 'data-action="referral-revoke"' not in _case_page(client, w, w.provider, case)
    revoke = url(w, "referral_revoke", display_id=case.display_id, pk=referral.pk)
    as_member(client, w.worker)
    response = client.post(revoke, {"reason": ""})
    assert response.status_code == 400 and "reason is required" in body(response)
    response = client.post(revoke, {"reason": "Sent to the wrong agency."}, follow=True)
    assert "Referral revoked" in body(response)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    assert 'data-action="referral-revoke"' not in body(response)
    # The provider's inbox no longer offers it, and their case page is gone.
    page = body(as_member(client, w.provider).get(url(w, "referrals")))
    assert f'id="referral-{referral.pk}"' not in page
    assert client.get(url(w, "detail", display_id=case.display_id)).status_code == 404


def test_a_provider_cannot_revoke(client: Client, world: World) -> None:
    w = world
    case = w.consented()
    referral = _referral(w, case)
    response = as_member(client, w.provider).post(
        url(w, "referral_revoke", display_id=case.display_id, pk=referral.pk), {"reason": "No."})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_the_supervisor_revokes_a_transfer(client: Client, world: World) -> None:
    w = world
    case = w.consented()
    transfer = s.transfer_create(actor=w.worker, case=case, to_member=w.outsider.pk, reason="Moved.")
    assert 'data-action="transfer-revoke"' not in _case_page(client, w, w.outsider, case)
    response = as_member(client, w.supervisor).post(
        url(w, "transfer_revoke", display_id=case.display_id, pk=transfer.pk), {"reason": "Wrong."})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REVOKED
    assert as_member(client, w.outsider).get(url(w, "detail", display_id=case.display_id)) \
        .status_code == 404


def test_ask_for_a_case_and_the_owner_hands_it_over(client: Client, world: World) -> None:
    w = world
    case = w.consented()
    page = body(as_member(client, w.outsider).get(url(w, "referrals")))
    assert 'id="ask-form"' in page
    ask = url(w, "transfer_request_create")
    response = client.post(ask, {"case_id": "CP-9999", "reason": "Moved."})
    assert response.status_code == 400 and "No case has this ID in this space." in body(response)
    response = client.post(ask, {"case_id": case.display_id.lower(), "reason": "Moved to my area."},
                           follow=True)
    assert "Transfer requested" in body(response)
    request = TransferRequest.objects.get(case=case)
    assert 'id="sent-requests"' in body(response) and case.full_name not in body(response)
    # The owner's referrals page shows it; a colleague's does not, and cannot answer it.
    assert f'id="request-{request.pk}"' in body(as_member(client, w.worker).get(url(w, "referrals")))
    assert f'id="request-{request.pk}"' not in body(
        as_member(client, w.colleague).get(url(w, "referrals")))
    answer = url(w, "transfer_request_answer", pk=request.pk, answer="accept")
    assert client.post(answer, {}).status_code == 404
    assert as_member(client, w.outsider).post(answer, {}).status_code == 404
    decline = url(w, "transfer_request_answer", pk=request.pk, answer="decline")
    response = as_member(client, w.worker).post(decline, {"comment": ""})
    assert response.status_code == 400
    response = client.post(answer, {"comment": "Agreed."}, follow=True)
    assert "Transfer request accepted" in body(response)
    case.refresh_from_db()
    assert case.owner == w.outsider
    assert TransferRequest.objects.get(pk=request.pk).status == TransferRequestStatus.ACCEPTED
    assert as_member(client, w.outsider).get(url(w, "detail", display_id=case.display_id)) \
        .status_code == 200


def test_a_provider_may_not_ask(client: Client, world: World) -> None:
    w = world
    case = w.consented()
    as_member(client, w.provider)
    assert 'id="ask-form"' not in body(client.get(url(w, "referrals")))
    events = Event.objects.count()
    response = client.post(url(w, "transfer_request_create"), {"case_id": case.display_id,
                                                               "reason": "Mine."})
    assert response.status_code == 403 and Event.objects.count() == events


def test_the_override_field_appears_where_the_policy_asks_for_consent(client: Client,
                                                                      world: World) -> None:
    w = world
    case = w.case()
    assert 'id="followup_consent_override_reason"' not in _case_page(client, w, w.supervisor, case)
    require_consent("followup.record", ["services"])
    assert 'id="followup_consent_override_reason"' in _case_page(client, w, w.supervisor, case)
    assert 'id="followup_consent_override_reason"' not in _case_page(client, w, w.worker, case)
    response = as_member(client, w.worker).post(
        url(w, "action", display_id=case.display_id, action="followup"),
        {"date": "2026-03-02", "followup_type": "home_visit", "findings": "Safe."})
    assert response.status_code == 403 and "consent" in body(response)
    assert Event.objects.filter(action="followup.record.refused").count() == 1
    response = as_member(client, w.supervisor).post(
        url(w, "action", display_id=case.display_id, action="followup"),
        {"date": "2026-03-02", "followup_type": "home_visit", "findings": "Safe.",
         "consent_override_reason": "Caregiver away; the child is alone."})
    assert response.status_code == 302
    event = Event.objects.get(action="followup.record")
    assert event.details["consent_override_reason"] == "Caregiver away; the child is alone."
