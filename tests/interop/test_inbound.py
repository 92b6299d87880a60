"""Messages from partners to the space: signed, checked, recorded and carried out once."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.cases import services as s
from sandbox.cases.models import Case, Event, Referral, RegistrationStatus
from sandbox.interop import signing
from sandbox.interop.models import InboxMessage, Partner
from tests.cases.conftest import World

from .conftest import SECRET
from .test_exchange import amina, reason


def post(client: Client, partner: Partner, message: dict[str, Any], *, secret: str = SECRET,
         now: float | None = None, key: str | None = None) -> Any:
    body = json.dumps(message).encode()
    headers = signing.sign(secret, body, partner=partner.code, key=key or message["id"], now=now)
    del headers["Content-Type"]
    return client.post(reverse("interop:inbound", args=[partner.space.slug]), data=body,
                       content_type="application/json", headers=headers)


def status(referral: Referral, value: str, key: str = "k1", **extra: Any) -> dict[str, Any]:
    return {"type": "status", "version": 1, "id": key, "from": "cfi-tool",
            "referral_id": str(referral.pk), "status": value, **extra}


@pytest.fixture
def referral(world: World, partner: Partner) -> Referral:
    return s.referral_create(actor=world.worker, case=amina(world), service_type="psychosocial_support",
                             reason=reason(world), to_agency="cfi", disclosed=["identity", "concerns"])


@pytest.mark.django_db
def test_a_forged_signature_is_refused_with_a_json_error_and_recorded(
        client: Client, partner: Partner, referral: Referral) -> None:
    response = post(client, partner, status(referral, "accepted"), secret="forged")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature_invalid"
    assert "secret" in response.json()["error"]["message"]
    referral.refresh_from_db()
    assert referral.status == "pending"
    refused = InboxMessage.objects.get()
    assert (refused.accepted, refused.error, refused.partner_code) == (False, "signature_invalid", "cfi-tool")


@pytest.mark.django_db
def test_a_stale_timestamp_is_refused(client: Client, partner: Partner, referral: Referral) -> None:
    response = post(client, partner, status(referral, "accepted"), now=time.time() - 3600)
    assert response.status_code == 401 and response.json()["error"]["code"] == "timestamp_stale"
    assert Referral.objects.get(pk=referral.pk).status == "pending"


@pytest.mark.django_db
def test_unsigned_and_unknown_partners_are_refused(client: Client, partner: Partner,
                                                   referral: Referral) -> None:
    url = reverse("interop:inbound", args=[partner.space.slug])
    response = client.post(url, data=b"{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unknown_partner"
    body = json.dumps(status(referral, "accepted")).encode()
    response = client.post(url, data=body, content_type="application/json",
                           headers={signing.HEADER_PARTNER: partner.code})
    assert response.status_code == 401 and response.json()["error"]["code"] == "signature_missing"
    assert InboxMessage.objects.filter(accepted=False).count() == 2


@pytest.mark.django_db
def test_status_updates_answer_the_referral_once_each(
        client: Client, world: World, partner: Partner, referral: Referral) -> None:
    before = Event.objects.filter(space=world.space).count()
    response = post(client, partner, status(referral, "accepted", "k1", reason="We take it."))
    assert response.status_code == 200
    again = post(client, partner, status(referral, "accepted", "k1", reason="We take it."))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    referral.refresh_from_db()
    assert (referral.status, referral.response_comment) == ("accepted", "We take it.")
    done = post(client, partner, status(referral, "done", "k2"))
    assert done.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "done"
    events = list(Event.objects.filter(space=world.space).order_by("sequence")[before:])
    assert [(e.action, e.actor_id) for e in events] == [
        ("referral.accept", partner.member_id), ("referral.done", partner.member_id)]


@pytest.mark.django_db
def test_a_decline_needs_a_reason(client: Client, partner: Partner, referral: Referral) -> None:
    response = post(client, partner, status(referral, "declined"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_message"
    response = post(client, partner, status(referral, "declined", "k9", reason="No place left."))
    assert response.status_code == 200
    assert Referral.objects.get(pk=referral.pk).status == "rejected"


@pytest.mark.django_db
def test_a_status_about_another_partners_referral_is_refused(
        client: Client, world: World, partner: Partner) -> None:
    other = s.referral_create(actor=world.worker, case=amina(world), service_type="family_tracing",
                              reason=reason(world), to_agency="lcs")
    response = post(client, partner, status(other, "accepted"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_referral"
    assert Referral.objects.get(pk=other.pk).status == "pending"


@pytest.mark.django_db
def test_an_inbound_referral_creates_one_identified_case(client: Client, world: World,
                                                         partner: Partner) -> None:
    message = {"type": "referral", "version": 1, "id": "in-1", "from": "cfi-tool",
               "referral": {"id": "CFI-77", "service_type": "psychosocial_support",
                            "reason": "specialised_care", "disclosed": ["identity", "concerns"],
                            "notes": "Met at the school."},
               "child": {"name_first": "Joseph", "name_last": "Kamara", "sex": "male", "age": 9,
                         "protection_concerns": ["separated"]}}
    response = post(client, partner, message)
    assert response.status_code == 201
    again = post(client, partner, message)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    case = Case.objects.get(space=world.space, name_first="Joseph")
    assert response.json()["case_id"] == case.display_id
    assert (case.registration_status, case.owner_id, case.age) == (RegistrationStatus.IDENTIFIED,
                                                                   world.worker.pk, 9)
    event = Event.objects.get(space=world.space, case=case)
    assert (event.action, event.actor_name) == ("case.identify", "CFI case tool")


@pytest.mark.django_db
def test_an_inbound_referral_with_bad_values_is_refused_whole(client: Client, world: World,
                                                              partner: Partner) -> None:
    message = {"type": "referral", "version": 1, "id": "in-2", "from": "cfi-tool",
               "referral": {"id": "CFI-78", "service_type": "x", "reason": "y", "disclosed": []},
               "child": {"name_first": "Joseph", "sex": "not-a-sex"}}
    response = post(client, partner, message)
    assert response.status_code == 422
    assert not Case.objects.filter(space=world.space, name_first="Joseph").exists()
    assert InboxMessage.objects.get().accepted is False


@pytest.mark.django_db
def test_a_message_to_another_space_is_refused(client: Client, partner: Partner, referral: Referral) -> None:
    from tests.factories import SpaceFactory

    other = SpaceFactory()
    body = json.dumps(status(referral, "accepted")).encode()
    headers = signing.sign(SECRET, body, partner=partner.code, key="x")
    del headers["Content-Type"]
    response = client.post(reverse("interop:inbound", args=[other.slug]), data=body,
                           content_type="application/json", headers=headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unknown_partner"
    assert Referral.objects.get(pk=referral.pk).status == "pending"
    # A space that does not exist answers the same: strangers cannot tell which spaces exist.
    for url in (reverse("interop:inbound", args=["no-such-space"]),
                reverse("interop:partner_sim", args=["no-such-space", partner.code])):
        response = client.post(url, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 401 and response.json()["error"]["code"] == "unknown_partner"
