"""The guard in the write path: refused until confirmed, then listed for trainers."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sandbox.accounts.models import User
from sandbox.cases import services as s
from sandbox.cases.models import Case, Event
from sandbox.common.errors import ValidationFailed
from sandbox.realdata.guard import confirmed
from sandbox.realdata.models import FlaggedEntry
from tests.cases.conftest import World, registration_data

pytestmark = pytest.mark.django_db


def test_a_real_number_in_a_note_is_refused_and_nothing_is_saved(world: World) -> None:
    case = world.case()
    events = Event.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        s.note_add(actor=world.worker, case=case, subject="Call", text="Mother: +254 712 345 678")
    assert refused.value.code == "possible_real_data"
    assert refused.value.details["confirm_with"] == "confirm_invented"
    assert Event.objects.count() == events
    assert not case.note_set.exists()


def test_an_e_mail_in_a_registration_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed):
        world.case(name_last="Diallo wanjiru.kamau@gmail.com")
    assert not Case.objects.filter(space=world.space).exists()


def test_confirmed_entries_are_saved_and_listed(world: World) -> None:
    case = world.case()
    token = confirmed.set(True)
    try:
        s.note_add(actor=world.worker, case=case, subject="Call", text="Mother: +33 6 12 34 56 78")
    finally:
        confirmed.reset(token)
    entry = FlaggedEntry.objects.get()
    assert entry.space == world.space and entry.action == "note.add"
    assert "12 34" not in str(entry.findings)


def test_invented_data_passes_without_a_question(world: World) -> None:
    case = world.case(**registration_data())
    s.note_add(actor=world.worker, case=case, subject="Call", text="Aunt on +000 21 555 0142")
    assert not FlaggedEntry.objects.exists()


def test_the_api_asks_then_accepts_the_confirmation(world: World) -> None:
    api = APIClient()
    api.force_login(world.worker.user)
    url = f"/api/v1/spaces/{world.space.slug}/cases/"
    data = registration_data(name_last="Phone +44 20 7946 0958")
    refused = api.post(url, {"data": data}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "possible_real_data"
    accepted = api.post(url, {"data": data}, format="json", HTTP_X_CONFIRM_INVENTED="yes")
    assert accepted.status_code == 201, accepted.content
    assert FlaggedEntry.objects.count() == 1


def test_trainers_and_administrators_see_the_list(world: World, administrator: User,
                                                  trainee: User) -> None:
    FlaggedEntry.objects.create(space=world.space, actor_name="Amani", action="note.add",
                                findings={"record.text": [{"kind": "phone", "masked": "+2•• •78"}]})
    admin = Client()
    admin.force_login(administrator)
    page = admin.get("/flagged-entries/")
    assert page.status_code == 200 and "+2•• •78" in page.content.decode()
    someone = Client()
    someone.force_login(trainee)
    assert someone.get("/flagged-entries/").status_code == 403


def test_on_a_page_the_same_entry_sent_again_confirms_it(client: Client, world: World) -> None:
    from tests.cases.test_pages import action_url, as_member

    case = world.consented()
    as_member(client, world.worker)
    note = {"subject": "Call", "text": "Mother on +254 712 345 678"}
    asked = client.post(action_url(world, case, "note"), note)
    assert asked.status_code == 400
    assert "invented" in asked.content.decode()
    assert not case.note_set.exists()
    # Something else real is asked about again; the same entry again is a confirmation.
    assert client.post(action_url(world, case, "note"),
                       {"subject": "Call", "text": "Father on +33 6 12 34 56 78"}).status_code == 400
    assert client.post(action_url(world, case, "note"), note).status_code == 302
    assert case.note_set.count() == 1
    assert FlaggedEntry.objects.count() == 1


def test_on_a_page_the_tick_box_confirms_it(client: Client, world: World) -> None:
    from tests.cases.test_pages import action_url, as_member

    case = world.consented()
    as_member(client, world.worker)
    note = {"subject": "Call", "text": "Mother on +254 712 345 678"}
    asked = client.post(action_url(world, case, "note"), note).content.decode()
    assert 'name="confirm_invented"' in asked and "are invented" in asked
    # Another entry ticked as invented is saved at once.
    other = {"subject": "Call", "text": "Father on +33 6 12 34 56 78", "confirm_invented": "yes"}
    assert client.post(action_url(world, case, "note"), other).status_code == 302
    assert case.note_set.count() == 1 and FlaggedEntry.objects.count() == 1
    plain = client.post(action_url(world, case, "note"), {"subject": "Visit", "text": "At home."})
    assert plain.status_code == 302 and 'name="confirm_invented"' not in plain.content.decode()
