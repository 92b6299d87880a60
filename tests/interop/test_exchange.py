"""The exchange over real HTTP on loopback: what leaves, signed; what is refused; what is
retried until the partner has it, once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from sandbox.cases import services as s
from sandbox.cases.models import Case, Event, Referral
from sandbox.interop import signing
from sandbox.interop.models import OutboxMessage, OutboxStatus, Partner
from sandbox.interop.outbox import MAX_TRIES, send_due
from tests.cases.conftest import World

from .conftest import SECRET, Receiver

PHONE = "+000 77 123 4567"
ADDRESS = "12 Harbour Lane, Belmar"


def reason(w: World) -> str:
    lookup = w.space.module_config.system_lookups["referral_reason"]
    return next(iter(w.space.config.lookups[lookup].options))


def amina(world: World, *, consent: bool = True) -> Case:
    data: dict[str, Any] = {"phone": PHONE, "address_current": ADDRESS, "date_of_birth": "2015-02-14",
                            "caregivers": [{"caregiver_name": "Fatou Diallo",
                                            "caregiver_relationship": "aunt"}]}
    return world.consented(**data) if consent else world.case(**data)


def refer(world: World, case: Case, disclosed: list[str], **extra: Any) -> Referral:
    return s.referral_create(actor=extra.pop("actor", world.worker), case=case,
                             service_type="psychosocial_support", reason=reason(world),
                             to_agency="cfi", disclosed=disclosed, **extra)


@pytest.mark.django_db
def test_a_referral_leaves_with_only_the_consented_fields_and_a_valid_signature(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    receiver.start()
    case = amina(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(world, case, ["identity", "concerns"])
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers, body = request["headers"], request["body"]
    # The receiver checks the signature with the shared secret: it holds.
    signing.verify(SECRET, body, headers[signing.HEADER_TIMESTAMP], headers[signing.HEADER_SIGNATURE])
    message = json.loads(body)
    assert message["type"] == "referral" and message["referral"]["id"] == str(referral.pk)
    assert message["referral"]["disclosed"] == ["identity", "concerns"]
    child = message["child"]
    assert child["name_first"] == "Amina" and child["date_of_birth"] == "2015-02-14"
    assert child["protection_concerns"] == ["separated"]
    # Contact and family were not disclosed: none of it is anywhere in the message.
    for absent in (PHONE, ADDRESS, "Fatou", "LR010101"):
        assert absent not in body.decode()
    assert not {"phone", "address_current", "location", "caregivers"} & set(child)
    stored = OutboxMessage.objects.get(referral=referral)
    assert (stored.status, stored.tries, stored.idempotency_key) == (
        OutboxStatus.SENT, 1, headers[signing.HEADER_KEY])


@pytest.mark.django_db
def test_without_the_recorded_consent_nothing_identifying_leaves(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    receiver.start()
    case = amina(world, consent=False)
    with django_capture_on_commit_callbacks(execute=True):
        refer(world, case, ["identity", "contact", "family", "concerns"], actor=world.supervisor,
              consent_override_reason="The child is in danger tonight.")
    body = receiver.requests[0]["body"].decode()
    message = json.loads(body)
    assert message["referral"]["consent_to_share"] is False
    assert set(message["child"]) == {"sex", "age", "risk_level", "protection_concerns"}
    for absent in ("Amina", "Diallo", "2015-02-14", PHONE, ADDRESS, "Fatou"):
        assert absent not in body


@pytest.mark.django_db
def test_contact_disclosed_with_consent_leaves_too(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    receiver.start()
    with django_capture_on_commit_callbacks(execute=True):
        refer(world, amina(world), ["identity", "contact"])
    child = json.loads(receiver.requests[0]["body"])["child"]
    assert child["phone"] == PHONE and child["address_current"] == ADDRESS
    assert "protection_concerns" not in child and "caregivers" not in child


@pytest.mark.django_db
def test_a_receiver_that_is_down_gets_retries_and_each_message_once(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    case = amina(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = refer(world, case, ["identity", "concerns"])
        second = refer(world, case, ["concerns"])
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [m.referral_id for m in messages] == [first.pk, second.pk]
    for message in messages:
        assert message.status == OutboxStatus.PENDING and message.tries == 1
        assert message.last_error.startswith("unreachable")
        assert message.next_try_at > timezone.now()
    # Not yet due: nothing is tried again.
    assert send_due() == []
    # Still down when due: one more try each, with a longer delay.
    later = timezone.now() + dt.timedelta(minutes=1)
    send_due(now=later)
    again = list(OutboxMessage.objects.order_by("pk"))
    assert [m.tries for m in again] == [2, 2]
    assert again[0].next_try_at - later == dt.timedelta(minutes=2)
    # The partner comes up; the first answer to the first message is lost (a 503 after it was kept).
    receiver.start()
    receiver.fail_with = [503]
    send_due(now=later + dt.timedelta(minutes=3))
    assert OutboxMessage.objects.get(referral=first).status == OutboxStatus.PENDING
    assert OutboxMessage.objects.get(referral=second).status == OutboxStatus.SENT
    send_due(now=later + dt.timedelta(hours=1))
    assert OutboxMessage.objects.get(referral=first).status == OutboxStatus.SENT
    # Three requests for the first message (down, lost answer, delivered) all carry its key:
    # the partner keeps two messages, each once.
    keys = [r["headers"][signing.HEADER_KEY] for r in receiver.requests]
    assert len(keys) == 3 and len(set(keys)) == 2
    assert sorted(receiver.kept) == sorted(m.idempotency_key for m in messages)
    # Nothing is due any more.
    assert send_due(now=later + dt.timedelta(days=1)) == []


@pytest.mark.django_db
def test_a_message_is_given_up_after_the_last_try_and_kept(
        world: World, partner: Partner, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        refer(world, amina(world), ["concerns"])
    when = timezone.now()
    for _try in range(MAX_TRIES):
        when += dt.timedelta(days=1)
        send_due(now=when)
    message = OutboxMessage.objects.get()
    assert (message.status, message.tries, message.next_try_at) == (OutboxStatus.FAILED, MAX_TRIES, None)
    assert message.body["type"] == "referral"


@pytest.mark.django_db
def test_a_partner_refusing_the_signature_is_not_retried(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    receiver.start()
    Partner.objects.filter(pk=partner.pk).update(secret="not-the-shared-one")
    with django_capture_on_commit_callbacks(execute=True):
        refer(world, amina(world), ["concerns"])
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED and message.last_error.startswith("HTTP 401")
    assert receiver.kept == {}


@pytest.mark.django_db
def test_a_referral_to_another_agency_stays_home(world: World, partner: Partner) -> None:
    s.referral_create(actor=world.worker, case=amina(world), service_type="family_tracing",
                      reason=reason(world), to_agency="lcs")
    assert not OutboxMessage.objects.exists()
    assert Event.objects.filter(action="referral.create").count() == 1


@pytest.mark.django_db
def test_the_send_outbox_command_sends_what_is_due(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        refer(world, amina(world), ["concerns"])
    OutboxMessage.objects.update(next_try_at=timezone.now())
    receiver.start()
    out = StringIO()
    call_command("send_outbox", "--space", world.space.slug, stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 of 1 message(s) delivered"
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT and len(receiver.kept) == 1


@pytest.mark.django_db
def test_two_senders_do_not_try_the_same_message_at_once(
        world: World, partner: Partner, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    from sandbox.interop import outbox

    with django_capture_on_commit_callbacks(execute=True):
        refer(world, amina(world), ["concerns"])
    due = timezone.now() + dt.timedelta(hours=1)
    stale = OutboxMessage.objects.get()  # what a second sender read before the first took it
    assert outbox._claim(OutboxMessage.objects.get(), due)
    assert not outbox._claim(stale, due)
    receiver.start()
    # The first sender's lease hides the message from others until it ends.
    assert send_due(now=due) == []
    sent = send_due(now=due + outbox.LEASE)
    assert [m.status for m in sent] == [OutboxStatus.SENT] and len(receiver.requests) == 1
