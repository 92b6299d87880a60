"""The exercise's header control on every page of a space: the clock's "wait for the next
event" (back to the page it was pressed on), messages with an unread count that clears
when they are read, and case numbers in messages linked to the case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.simulation.engine import next_due
from sandbox.simulation.models import Message, SpaceSeed
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Space

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


@pytest.fixture
def exercise_space(default_config: object, trainee: User) -> Space:
    return seed_from_file(UASC, slug="seat", trainees={"caseworker": trainee})


def a_case(space: Space) -> Case:
    return Case.objects.get(pk=next(iter(SpaceSeed.objects.get(space=space).cases.values())))


@pytest.mark.django_db
def test_unread_messages_are_counted_then_cleared_when_read(
        client: Client, trainee: User, exercise_space: Space) -> None:
    client.force_login(trainee)
    case = a_case(exercise_space)
    Message.objects.filter(space=exercise_space).delete()
    Message.objects.create(space=exercise_space, sim_time=exercise_space.clock,
                           body={"en": "The police called about the girl."},
                           case_display_id=case.display_id)
    dashboard = reverse("cases:dashboard", kwargs={"space": exercise_space.slug})
    page = client.get(dashboard).content.decode()
    assert 'id="header-messages"' in page and 'data-unread="1"' in page
    assert re.search(r'>1<span class="visually-hidden"> unread message<', page)

    inbox = client.get(reverse("simulation:exercise", kwargs={"space": exercise_space.slug}))
    text = inbox.content.decode()
    case_url = reverse("cases:detail", kwargs={"space": exercise_space.slug,
                                               "display_id": case.display_id})
    assert f'href="{case_url}" data-message-case="{case.display_id}"' in text
    assert 'id="message-count"' not in text

    assert 'id="message-count"' not in client.get(dashboard).content.decode()
    Message.objects.create(space=exercise_space, sim_time=exercise_space.clock, body={"en": "Again"})
    assert 'data-unread="1"' in client.get(dashboard).content.decode()


@pytest.mark.django_db
def test_waiting_from_the_case_page_comes_back_to_it(
        client: Client, trainee: User, exercise_space: Space) -> None:
    client.force_login(trainee)
    case = a_case(exercise_space)
    case_url = reverse("cases:detail", kwargs={"space": exercise_space.slug,
                                               "display_id": case.display_id})
    assert 'id="header-wait"' in client.get(case_url).content.decode()
    due = next_due(exercise_space)
    assert due is not None
    response = client.post(reverse("simulation:clock", kwargs={"space": exercise_space.slug}),
                           {"by": "next", "next": case_url}, follow=True)
    assert response.redirect_chain[-1][0] == case_url
    exercise_space.refresh_from_db()
    assert exercise_space.clock == due
    assert re.search(r"Time moved on(: \d+ new events?\. See your messages\.|\.)",
                     response.content.decode())
    assert "event(s)" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x",
                                    "/spaces/another-space/"])
def test_waiting_never_sends_elsewhere(client: Client, trainee: User, exercise_space: Space,
                                       target: str) -> None:
    client.force_login(trainee)
    response = client.post(reverse("simulation:clock", kwargs={"space": exercise_space.slug}),
                           {"by": "1h", "next": target})
    assert response["Location"] == reverse("simulation:exercise",
                                           kwargs={"space": exercise_space.slug})


@pytest.mark.django_db
def test_another_trainee_cannot_move_the_clock(client: Client, other_trainee: User,
                                               exercise_space: Space) -> None:
    clock = exercise_space.clock
    client.force_login(other_trainee)
    response = client.post(reverse("simulation:clock", kwargs={"space": exercise_space.slug}),
                           {"by": "next"})
    assert response.status_code == 404
    exercise_space.refresh_from_db()
    assert exercise_space.clock == clock
