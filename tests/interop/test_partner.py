"""The simulated partner system of the scenario: it receives the referral over the exchange,
answers by its rules, and later marks the referral done. In process (as check_scenarios runs
it) and over real HTTP, against a live server at SITE_URL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sandbox.accounts.models import User
from sandbox.cases import services as s
from sandbox.cases.models import Case, Event, Referral
from sandbox.interop.models import InboxMessage, OutboxMessage, OutboxStatus, Partner
from sandbox.interop.transport import in_process
from sandbox.simulation.engine import advance
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import reset_space
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member, Space

SCENARIO = Path(settings.BASE_DIR) / "scenarios" / "partner-referral-sharing.yaml"
ADDRESS = "House 4, Riverside Road"


def joseph(space: Space) -> Case:
    return Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["joseph"])


def refer(space: Space, disclosed: list[str]) -> Referral:
    worker = Member.objects.get(space=space, ref="caseworker")
    return s.referral_create(actor=worker, case=joseph(space), service_type="psychosocial_support",
                             reason="specialised_care", to_agency="cfi", disclosed=disclosed)


@pytest.fixture
def seeded(default_config: Any, trainee: User) -> Space:
    return seed_from_file(SCENARIO, slug="partner-practice", trainees={"caseworker": trainee})


@pytest.mark.django_db
def test_the_partner_is_part_of_the_seeded_world_and_of_its_reset(seeded: Space) -> None:
    partner = Partner.objects.get(space=seeded)
    assert (partner.code, partner.agency, partner.simulated) == ("cfi", "cfi", True)
    site = settings.SITE_URL.rstrip("/")
    assert partner.endpoint == site + "/interop/partner-sim/partner-practice/cfi/messages/"
    assert partner.rules["needs"] == ["name_first", "age"]
    with in_process():
        refer(seeded, ["identity", "concerns"])
    assert OutboxMessage.objects.filter(space=seeded).count() == 1
    reset_space(seeded)
    assert not OutboxMessage.objects.filter(space=seeded).exists()
    assert Partner.objects.get(space=seeded).secret == partner.secret


@pytest.mark.django_db
def test_a_copy_of_the_space_has_its_own_partner_answering_there(seeded: Space, other_trainee: User) -> None:
    from sandbox.simulation.world import clone_space

    copy = clone_space(seeded, slug="partner-copy", trainees={"caseworker": other_trainee})
    partner = Partner.objects.get(space=copy)
    assert partner.member.space_id == copy.pk and partner.receiver.space_id == copy.pk
    assert partner.endpoint.endswith("/interop/partner-sim/partner-copy/cfi/messages/")
    with in_process():
        referral = refer(copy, ["identity", "concerns"])
        advance(copy, by=dt.timedelta(minutes=1))
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert not Referral.objects.filter(space=seeded).exists()


@pytest.mark.django_db
def test_in_process_the_partner_accepts_then_marks_done(seeded: Space) -> None:
    with in_process():
        referral = refer(seeded, ["identity", "concerns"])
        message = OutboxMessage.objects.get(referral=referral)
        assert message.status == OutboxStatus.PENDING  # it leaves when the clock moves
        advance(seeded, by=dt.timedelta(minutes=1))
        message.refresh_from_db()
        assert message.status == OutboxStatus.SENT and message.answer["status"] == 202
        referral.refresh_from_db()
        assert referral.status == "accepted" and "counsellor" in referral.response_comment
        received = InboxMessage.objects.get(space=seeded, at_partner=True)
        assert "Joseph" in received.body and ADDRESS not in received.body
        assert "address_current" not in json.loads(received.body)["child"]
        advance(seeded, by=dt.timedelta(days=1))
    referral.refresh_from_db()
    assert referral.status == "done"
    partner = Partner.objects.get(space=seeded)
    actions = list(Event.objects.filter(space=seeded, actor=partner.member).values_list("action", flat=True))
    assert actions == ["referral.accept", "referral.done"]


@pytest.mark.django_db
def test_in_process_the_partner_declines_without_the_fields_it_needs(seeded: Space) -> None:
    with in_process():
        referral = refer(seeded, ["concerns"])
        advance(seeded, by=dt.timedelta(minutes=1))
    referral.refresh_from_db()
    assert referral.status == "rejected"
    assert "name and age" in referral.response_comment
    assert Event.objects.filter(space=seeded, action="referral.reject").count() == 1


@pytest.mark.django_db(transaction=True)
def test_over_http_the_partner_receives_the_referral_and_answers(
        live_server: Any, settings: Any, trainee: User) -> None:
    from django.core.management import call_command

    call_command("load_config", str(Path(settings.BASE_DIR) / "seed_data" / "default"), verbosity=0)
    settings.SITE_URL = live_server.url
    space = seed_from_file(SCENARIO, slug="partner-live", trainees={"caseworker": trainee})
    referral = refer(space, ["identity", "concerns"])  # committed: sent over HTTP after the commit
    message = OutboxMessage.objects.get(referral=referral)
    assert message.status == OutboxStatus.SENT and message.tries == 1
    assert message.answer["body"]["answer"]["status"] == "accepted"
    referral.refresh_from_db()
    assert referral.status == "accepted"
    # The simulated partner's later "done" is posted to the space's inbound endpoint.
    advance(space, by=dt.timedelta(days=1))
    referral.refresh_from_db()
    assert referral.status == "done"
    inbound = InboxMessage.objects.get(space=space, at_partner=False, kind="status",
                                       body__contains='"done"')
    assert inbound.accepted


@pytest.mark.django_db
def test_in_process_behind_https(default_config: Any, trainee: User, settings: Any) -> None:
    settings.SITE_URL = "https://sandbox.test"
    settings.ALLOWED_HOSTS = ["sandbox.test"]
    settings.SECURE_SSL_REDIRECT = True
    space = seed_from_file(SCENARIO, slug="partner-https", trainees={"caseworker": trainee})
    with in_process():
        referral = refer(space, ["identity", "concerns"])
        advance(space, by=dt.timedelta(minutes=1))
    assert OutboxMessage.objects.get(referral=referral).answer["status"] == 202
    referral.refresh_from_db()
    assert referral.status == "accepted"
