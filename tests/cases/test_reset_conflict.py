"""An action on a record that a reset removed answers one clear 409, never a 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import Case, Event
from sandbox.common.errors import Conflict
from sandbox.simulation import snapshot

from .conftest import World

pytestmark = pytest.mark.django_db


def test_an_action_on_a_case_the_reset_removed_is_a_conflict(world: World) -> None:
    case = world.case()
    stale = Case.objects.get(pk=case.pk)
    snapshot.purge(world.space)  # what a reset does to a case made after the seed
    events = Event.objects.count()
    with pytest.raises(Conflict) as refused:
        s.note_add(actor=world.worker, case=stale, subject="Visit", text="Seen at home.")
    assert refused.value.code == "space_reset" and refused.value.status == 409
    assert Event.objects.count() == events


def test_the_event_counter_and_the_events_agree_after_actions(world: World) -> None:
    case = world.case()
    s.note_add(actor=world.worker, case=case, subject="Visit", text="Seen at home.")
    world.space.refresh_from_db()
    sequences = list(Event.objects.filter(space=world.space).values_list("sequence", flat=True))
    assert len(sequences) == len(set(sequences))
    assert max(sequences) == world.space.event_counter


def test_a_name_within_the_limit_is_accepted_on_every_database(world: World) -> None:
    api = APIClient()
    api.force_login(world.worker.user)
    from .conftest import registration_data

    answer = api.post(f"/api/v1/spaces/{world.space.slug}/cases/",
                      {"data": registration_data(name_first="A" * 120)}, format="json")
    assert answer.status_code == 201, answer.content
