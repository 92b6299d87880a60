"""Who looked at a child's file: every page and API answer showing a case's data writes one
row (and costs one INSERT, nothing more); supervisors see the views of their group's cases,
case workers do not; the log is part of the space and a reset empties it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from sandbox.cases.models import CaseView

from .conftest import World


def case_url(world: World, case: Any, name: str = "detail", **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"space": world.space.slug,
                                            "display_id": case.display_id, **kwargs})


@pytest.mark.django_db
def test_pages_and_the_api_record_each_look(client: Client, world: World) -> None:
    case = world.consented()
    client.force_login(world.worker.user)
    assert client.get(case_url(world, case)).status_code == 200
    assert client.get(case_url(world, case, "history")).status_code == 200
    section = world.space.config.modules[world.space.module].sections[0].code
    assert client.get(case_url(world, case, "section", section=section)).status_code == 200
    token = Token.objects.create(user=world.supervisor.user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(f"/api/v1/spaces/{world.space.slug}/cases/{case.display_id}/")
    assert response.status_code == 200
    views = list(CaseView.objects.filter(case=case).order_by("pk").values_list("viewer", "part", "via"))
    assert views == [(world.worker.pk, "", "page"), (world.worker.pk, "history", "page"),
                     (world.worker.pk, section, "page"), (world.supervisor.pk, "", "api")]
    assert all(v.at == world.space.clock for v in CaseView.objects.filter(case=case))


@pytest.mark.django_db
def test_a_look_costs_one_insert(client: Client, world: World) -> None:
    case = world.consented()
    client.force_login(world.worker.user)
    client.get(case_url(world, case))  # warm caches
    with CaptureQueriesContext(connection) as queries:
        client.get(case_url(world, case))
    table = CaseView._meta.db_table
    touching = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")


@pytest.mark.django_db
def test_someone_elses_case_is_not_logged_nor_shown(client: Client, world: World) -> None:
    case = world.consented()
    client.force_login(world.outsider.user)
    assert client.get(case_url(world, case)).status_code == 404
    assert not CaseView.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_supervisors_read_the_log_of_their_groups_cases(client: Client, world: World,
                                                        other_trainee: Any) -> None:
    case = world.consented()
    client.force_login(world.worker.user)
    assert client.get(case_url(world, case)).status_code == 200
    url = reverse("cases:access_log", kwargs={"space": world.space.slug})
    client.force_login(world.supervisor.user)
    body = client.get(url).content.decode()
    assert f'data-view-case="{case.display_id}"' in body and world.worker.name in body
    client.force_login(world.worker.user)                  # a case worker: not for them
    assert client.get(url).status_code == 403
    client.force_login(other_trainee)                      # not a member of the space
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # A look at a case outside the supervisor's group is not in their log.
    outsiders = world.outsider
    theirs = __import__("sandbox.cases.services", fromlist=["case_register"]).case_register(
        actor=outsiders, data=__import__("tests.cases.conftest", fromlist=["x"]).registration_data())
    CaseView.record(outsiders, theirs)
    client.force_login(world.supervisor.user)
    body = client.get(url).content.decode()
    assert body.count("data-view-case=") == 1 and theirs.display_id not in body


@pytest.mark.django_db
def test_a_reset_empties_the_log(client: Client, world: World) -> None:
    from sandbox.simulation.snapshot import capture, purge

    case = world.consented()
    capture(world.space)
    CaseView.record(world.worker, case)
    purge(world.space)
    assert not CaseView.objects.filter(space=world.space).exists()


@pytest.mark.django_db(transaction=True)
def test_a_case_a_reset_removed_after_it_was_read_is_no_error(client: Client, world: World,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The trainer resets the space between the page reading the case and recording the look:
    the database refuses the look (the case is gone), nothing is written, and the trainee
    is sent back to the case list with the reason; the API answers 409 space_reset."""
    from sandbox.cases.views import case_detail
    from sandbox.simulation import snapshot

    case = world.consented()
    read = case_detail.case_get

    def read_then_reset(**kwargs: Any) -> Any:
        found = read(**kwargs)
        snapshot.purge(world.space)  # what a reset removes first, committed at once here
        return found

    monkeypatch.setattr(case_detail, "case_get", read_then_reset)
    client.force_login(world.worker.user)
    response = client.get(case_url(world, case))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list", kwargs={"space": world.space.slug})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and said[0].startswith("The space was reset while you were working")
    assert not CaseView.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_409_for_a_case_a_reset_removed(world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from sandbox.cases.api import views
    from sandbox.simulation import snapshot

    case = world.consented()
    may_view = views.CaseDetailView.may_view

    def then_reset(self: Any, found: Any) -> None:
        may_view(self, found)
        snapshot.purge(world.space)

    monkeypatch.setattr(views.CaseDetailView, "may_view", then_reset)
    token = Token.objects.create(user=world.worker.user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(f"/api/v1/spaces/{world.space.slug}/cases/{case.display_id}/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "space_reset"
    assert not CaseView.objects.exists()
