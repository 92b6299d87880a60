"""The event log is append-only through every interface; only a space's purge removes it."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User
from sandbox.cases import services as s
from sandbox.cases.admin import EventAdmin
from sandbox.cases.models import Case, Event
from sandbox.cases.models.event import AppendOnly
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world: World) -> Event:
    world.case()
    return Event.objects.get(space=world.space, action="case.register")


def _unchanged(event: Event) -> None:
    row = Event.objects.get(pk=event.pk)
    assert (row.action, row.actor_name, row.sequence, row.changes) == (
        "case.register", event.actor_name, 1, event.changes)


# The model and its queryset ------------------------------------------------------------------


def test_save_of_an_existing_event_is_refused(event: Event) -> None:
    event.action = "case.close"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.save(update_fields=["action"])
    with pytest.raises(AppendOnly):
        event.save(force_update=True)
    _unchanged(event)


def test_a_new_object_with_an_existing_id_does_not_overwrite_the_event(event: Event) -> None:
    """Saving a new instance that carries an existing primary key would make Django
    UPDATE that row: the log must refuse it (AppendOnly, or the database's own
    refusal), never let the row be overwritten."""
    forged = Event(pk=event.pk, space_id=event.space_id, sequence=event.sequence,
                   action="case.close", actor_name="Nobody", sim_time=event.sim_time,
                   real_time=event.real_time)
    try:
        with transaction.atomic():
            forged.save()
    except (AppendOnly, DatabaseError):
        pass
    _unchanged(event)


def test_delete_of_an_event_is_refused(event: Event) -> None:
    with pytest.raises(AppendOnly):
        event.delete()
    _unchanged(event)


def test_queryset_update_and_delete_are_refused(event: Event) -> None:
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).update(action="case.close")
    with pytest.raises(AppendOnly):
        Event.objects.update(action="case.close")
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnly):
        Event.objects.all().delete()
    _unchanged(event)


def test_bulk_update_is_refused(event: Event) -> None:
    event.action = "case.close"
    with pytest.raises(AppendOnly), transaction.atomic():
        Event.objects.bulk_update([event], ["action"])
    _unchanged(event)


def test_update_or_create_of_an_existing_event_is_refused(event: Event) -> None:
    with pytest.raises(AppendOnly):
        Event.objects.update_or_create(pk=event.pk, defaults={"action": "case.close"})
    _unchanged(event)


def test_deleting_the_case_keeps_its_events(world: World, event: Event) -> None:
    Case.objects.filter(pk=event.case_id).delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_events_are_numbered_in_order_per_space(world: World) -> None:
    w = world
    case = w.case()
    s.note_add(actor=w.worker, case=case, subject="Visit", text="Met Amina.")
    other = MemberFactory(space=SpaceFactory(), role="caseworker")
    s.case_register(actor=other, data=registration_data())
    assert list(Event.objects.filter(space=w.space).values_list("sequence", flat=True)) == [1, 2]
    assert list(Event.objects.filter(space=other.space).values_list("sequence", flat=True)) == [1]


# The purge of a space ------------------------------------------------------------------------


def test_purge_removes_only_one_spaces_events(world: World) -> None:
    w = world
    w.case()
    w.case()
    other = MemberFactory(space=SpaceFactory(), role="caseworker")
    s.case_register(actor=other, data=registration_data())
    kept = list(Event.objects.filter(space=other.space).values_list("pk", flat=True))
    assert Event.objects.purge_space(w.space) == 2
    assert not Event.objects.filter(space=w.space).exists()
    assert list(Event.objects.filter(space=other.space).values_list("pk", flat=True)) == kept


def test_purge_of_an_empty_space(world: World) -> None:
    assert Event.objects.purge_space(world.space) == 0


# The admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


def test_event_admin_forbids_add_change_delete(rf: pytest.FixtureRequest, administrator: User,
                                               event: Event) -> None:
    request = rf.get("/admin/cases/event/")  # type: ignore[attr-defined]
    request.user = administrator
    model_admin = site._registry[Event]
    assert isinstance(model_admin, EventAdmin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_event_admin_list(admin_client: Client, event: Event) -> None:
    response = admin_client.get(reverse("admin:cases_event_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "case.register" in body and event.actor_name in body
    assert "?action=case.register" in body  # filter by action
    assert reverse("admin:cases_event_add") not in body
    response = admin_client.get(reverse("admin:cases_event_changelist"), {"action": "case.close"})
    assert response.status_code == 200 and "0 events" in response.content.decode()


def test_event_admin_add_and_delete_urls_are_forbidden(admin_client: Client, event: Event) -> None:
    assert admin_client.get(reverse("admin:cases_event_add")).status_code == 403
    assert admin_client.post(reverse("admin:cases_event_add"), {}).status_code == 403
    delete_url = reverse("admin:cases_event_delete", args=[event.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_event_admin_bulk_delete_is_refused(admin_client: Client, event: Event) -> None:
    admin_client.post(reverse("admin:cases_event_changelist"),
                      {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert Event.objects.filter(pk=event.pk).exists()


def test_event_admin_change_page_is_view_only(admin_client: Client, event: Event) -> None:
    url = reverse("admin:cases_event_change", args=[event.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="_save"' not in body and 'name="_continue"' not in body
    assert "case.register" in body
    assert admin_client.post(url, {"action": "case.close"}).status_code == 403
    _unchanged(event)


@pytest.mark.parametrize("model", ["case", "approval", "service", "referral", "transfer",
                                   "followup", "note", "flag", "task"])
def test_case_records_are_read_only_in_admin(admin_client: Client, world: World,
                                             model: str) -> None:
    world.case()
    assert admin_client.get(reverse(f"admin:cases_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:cases_{model}_add")).status_code == 403


def test_case_admin_list_and_view(admin_client: Client, world: World) -> None:
    case = world.case()
    body = admin_client.get(reverse("admin:cases_case_changelist")).content.decode()
    assert case.display_id in body and world.space.title in body
    response = admin_client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    assert admin_client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403


def test_space_admin_lists_spaces_with_members(admin_client: Client, world: World) -> None:
    body = admin_client.get(reverse("admin:spaces_space_changelist")).content.decode()
    assert world.space.slug in body and world.space.title in body
    response = admin_client.get(reverse("admin:spaces_space_change", args=[world.space.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.worker.name in body and world.supervisor.name in body  # members inline
    assert 'name="_save"' not in body
    assert admin_client.get(reverse("admin:spaces_space_add")).status_code == 403
    assert admin_client.get(reverse("admin:spaces_member_changelist")).status_code == 200


def test_admin_needs_a_staff_user(client: Client, trainee: User, event: Event) -> None:
    client.force_login(trainee)
    response = client.get(reverse("admin:cases_event_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]
