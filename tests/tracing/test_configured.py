"""The configured sections of a tracing request (the default bundle's `tracing_inquirer`):
validated like a case's form data, recorded in the events, on the pages and in the API,
kept by resets and copies; and still out of reach of those who may not see the request."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.cases.models import Event
from sandbox.common.errors import NotAllowed, NotFound, ValidationFailed
from sandbox.simulation import snapshot
from sandbox.simulation.models import SpaceSeed
from sandbox.tracing import services as s
from sandbox.tracing.models import TracingRequest
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, request_data

KNOWN = {
    "inquirer_location": "LR010101",
    "inquirer_address": "Behind the mosque, blue door",
    "inquirer_languages": ["lorendi", "french"],
    "distinguishing_marks": "A scar on the left hand.",
    "last_known_whereabouts": "Belmar bus station, in the crowd.",
    "inquirer_has_photo": True,
    "photo_kept_where": "At home",
}


def with_data(**data: Any) -> dict[str, Any]:
    return request_data(data=data)


def client_for(member) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(member.user)
    return client


def url(world: World, name: str, **kwargs: str) -> str:
    return reverse(f"tracing:{name}", kwargs={"space": world.space.slug, **kwargs})


# -- services -------------------------------------------------------------------------


def test_create_keeps_the_configured_values_and_records_them(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=with_data(**KNOWN))
    assert request.data == KNOWN
    [event] = Event.objects.filter(space=world.space, action="tracing_request.create")
    assert event.changes["inquirer_languages"] == [None, ["lorendi", "french"]]
    assert event.changes["inquirer_has_photo"] == [None, True]
    assert event.changes["inquirer_name"] == [None, "Halima Diallo"]
    # Without configured values: an empty `data`, nothing required by this bundle.
    assert s.tracing_request_create(actor=world.worker, data=request_data()).data == {}


def test_unknown_fields_and_wrong_values_are_refused_by_field(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        s.tracing_request_create(actor=world.worker, data=with_data(
            inquirer_location="NOWHERE", inquirer_languages=["klingon"], inquirer_has_photo="yes",
            favourite_colour="blue"))
    fields = caught.value.details["fields"]
    assert set(fields) == {"inquirer_location", "inquirer_languages", "inquirer_has_photo",
                           "favourite_colour"}
    assert fields["favourite_colour"] == ["Unknown field."]
    # Fixed fields and configured ones are reported together.
    with pytest.raises(ValidationFailed) as caught:
        s.tracing_request_create(actor=world.worker, data=request_data(
            inquirer_name="", data={"inquirer_languages": "lorendi"}))
    assert set(caught.value.details["fields"]) == {"inquirer_name", "inquirer_languages"}
    with pytest.raises(ValidationFailed):
        s.tracing_request_create(actor=world.worker, data=request_data(data=["not", "a", "map"]))
    assert not TracingRequest.objects.filter(space=world.space).exists()


def test_skip_logic_clears_a_hidden_answer(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=with_data(
        inquirer_has_photo=False, photo_kept_where="In a drawer"))
    assert request.data == {"inquirer_has_photo": False}


def test_update_merges_records_the_changes_and_checks_scope(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=with_data(**KNOWN))
    s.tracing_request_update(actor=world.worker, request=request, data={
        "data": {"inquirer_address": "Camp B, block 4"}})
    request.refresh_from_db()
    assert request.data == {**KNOWN, "inquirer_address": "Camp B, block 4"}
    [event] = Event.objects.filter(space=world.space, action="tracing_request.update")
    assert event.changes == {"inquirer_address": ["Behind the mosque, blue door", "Camp B, block 4"]}
    with pytest.raises(ValidationFailed) as caught:
        s.tracing_request_update(actor=world.worker, request=request,
                                 data={"data": {"inquirer_location": "NOWHERE"}})
    assert set(caught.value.details["fields"]) == {"inquirer_location"}
    # The fixed cast: a colleague and an outsider are out of scope, the provider has no
    # tracing permission, the supervisor of the group may.
    for member in (world.colleague, world.outsider, world.provider):
        with pytest.raises(NotAllowed):
            s.tracing_request_update(actor=member, request=request,
                                     data={"data": {"inquirer_address": "Elsewhere"}})
    s.tracing_request_update(actor=world.supervisor, request=request,
                             data={"data": {"inquirer_has_photo": False}})
    request.refresh_from_db()
    assert "photo_kept_where" not in request.data and request.data["inquirer_has_photo"] is False
    stranger = MemberFactory(space=SpaceFactory(), role="supervisor", user_groups=["dsw_north"])
    with pytest.raises(NotFound):
        s.tracing_request_update(actor=stranger, request=request,
                                 data={"data": {"inquirer_address": "Elsewhere"}})


# -- pages ------------------------------------------------------------------------------


def test_register_edit_and_detail_pages_show_the_configured_section(world: World) -> None:
    client = client_for(world.worker)
    form = client.get(url(world, "register")).content.decode()
    assert "details and what they know" in form
    assert 'name="distinguishing_marks"' in form and 'name="inquirer_languages"' in form
    post = {**request_data(), "inquirer_location": "LR010101", "inquirer_languages": ["lorendi"],
            "distinguishing_marks": "A scar on the left hand.", "inquirer_has_photo": "on",
            "photo_kept_where": "At home"}
    answer = client.post(url(world, "register"), {**post, "inquirer_location": "NOWHERE"})
    assert answer.status_code == 400
    assert client.post(url(world, "register"), post).status_code == 302
    request = TracingRequest.objects.get(space=world.space)
    assert request.data == {"inquirer_location": "LR010101", "inquirer_languages": ["lorendi"],
                            "distinguishing_marks": "A scar on the left hand.",
                            "inquirer_has_photo": True, "photo_kept_where": "At home"}
    detail = url(world, "detail", display_id=request.display_id)
    page = client.get(detail).content.decode()
    assert "Languages the inquirer speaks" in page and "Lorendi" in page
    assert "Belmar Centre" in page and "A scar on the left hand." in page
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(detail).content.decode()
    assert "Langues parlées par le demandeur" in page and "Lorendi" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    edit = url(world, "edit", display_id=request.display_id)
    form = client.get(edit).content.decode()
    assert "A scar on the left hand." in form and "Halima Diallo" in form
    answer = client.post(edit, {**post, "distinguishing_marks": "Two scars.",
                                "inquirer_has_photo": ""})
    assert answer.status_code == 302
    request.refresh_from_db()
    assert request.data["distinguishing_marks"] == "Two scars."
    assert "inquirer_has_photo" in request.data and "photo_kept_where" not in request.data
    # Who may edit: not the provider (403), not a colleague out of scope (404).
    assert client_for(world.provider).get(edit).status_code == 403
    assert client_for(world.colleague).get(edit).status_code == 404


def test_another_space_cannot_open_the_edit_page(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=with_data(**KNOWN))
    stranger = MemberFactory(space=SpaceFactory(), role="supervisor", user_groups=["dsw_north"])
    answer = client_for(stranger).get(url(world, "edit", display_id=request.display_id))
    assert answer.status_code == 404 and "Behind the mosque" not in answer.content.decode()


def test_the_detail_page_costs_the_same_queries_with_or_without_configured_values(
        world: World) -> None:
    client = client_for(world.worker)
    empty = s.tracing_request_create(actor=world.worker, data=request_data())
    full = s.tracing_request_create(actor=world.worker, data=with_data(**KNOWN))
    client.get(url(world, "detail", display_id=empty.display_id))  # warm: the configuration
    counts = []
    for request in (empty, full):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world, "detail", display_id=request.display_id)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- API --------------------------------------------------------------------------------


def test_the_api_reads_and_writes_data(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.worker.user)
    base = f"/api/v1/spaces/{world.space.slug}/tracing-requests/"
    answer = client.post(base, with_data(inquirer_languages=["klingon"]), format="json")
    assert answer.status_code == 400
    assert "inquirer_languages" in answer.json()["error"]["details"]["fields"]
    answer = client.post(base, with_data(**KNOWN), format="json")
    assert answer.status_code == 201 and answer.json()["data"] == KNOWN
    tracing = base + answer.json()["display_id"] + "/"
    answer = client.patch(tracing, {"data": {"inquirer_address": "Camp B"}}, format="json")
    assert answer.status_code == 200 and answer.json()["data"]["inquirer_address"] == "Camp B"
    assert answer.json()["data"]["distinguishing_marks"] == KNOWN["distinguishing_marks"]
    assert client.get(base).json()[0]["data"]["inquirer_address"] == "Camp B"
    # Another case worker: 404, nothing of the data.
    other = APIClient()
    other.force_authenticate(world.colleague.user)
    answer = other.patch(tracing, {"data": {"inquirer_address": "Elsewhere"}}, format="json")
    assert answer.status_code == 404 and "Camp B" not in answer.content.decode()


# -- resets and copies ------------------------------------------------------------------


def test_resets_and_copies_keep_the_data(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=with_data(**KNOWN))
    state = snapshot.capture(world.space)
    [row] = pickle.loads(state)["rows"][TracingRequest._meta.label]
    assert row["data"] == KNOWN
    seed = SpaceSeed.objects.create(space=world.space, scenario_id="test", scenario_version=1,
                                    scenario_path="test.yaml", seed=1, snapshot=state)
    s.tracing_request_update(actor=world.worker, request=request,
                             data={"data": {"inquirer_address": "Changed"}})
    snapshot.restore(seed)
    assert TracingRequest.objects.get(space=world.space).data == KNOWN
    copy = SpaceFactory(clock=world.space.clock)
    snapshot.clone(seed, copy, {})
    copied = TracingRequest.objects.get(space=copy)
    assert copied.pk != request.pk and copied.data == KNOWN


@pytest.fixture
def no_sections(world: World):  # type: ignore[no-untyped-def]
    """The space's configuration without tracing request sections (as the Kenyan bundle)."""
    config = world.space.config
    module = config.modules[world.space.module]
    config.modules[world.space.module] = dataclasses.replace(module, tracing_sections=())
    yield
    config.modules[world.space.module] = module


def test_a_bundle_without_tracing_sections_keeps_the_fixed_form(world: World, no_sections: None) -> None:
    client = client_for(world.worker)
    form = client.get(url(world, "register")).content.decode()
    assert 'name="inquirer_name"' in form and "config-section" not in form
    assert client.post(url(world, "register"), request_data()).status_code == 302
    request = TracingRequest.objects.get(space=world.space)
    assert request.data == {}
    page = client.get(url(world, "detail", display_id=request.display_id))
    assert page.status_code == 200 and "config-section-view" not in page.content.decode()
    with pytest.raises(ValidationFailed) as caught:
        s.tracing_request_update(actor=world.worker, request=request,
                                 data={"data": {"distinguishing_marks": "A scar."}})
    assert caught.value.details["fields"] == {"distinguishing_marks": ["Unknown field."]}


def test_the_scenario_seeds_the_section_where_the_bundle_has_it(default_config: Any) -> None:
    """family-tracing-aunt fills the default bundle's section (the location by its concept);
    on a bundle without those fields the values are left out, and said."""
    from pathlib import Path

    from sandbox.configuration.runtime import get_config
    from sandbox.simulation.scenario.load import read_scenario
    from sandbox.simulation.scenario.portable import resolve_scenario

    path = Path(__file__).resolve().parents[2] / "scenarios" / "family-tracing-aunt.yaml"
    parsed = read_scenario(path)
    assert parsed.scenario is not None
    config = get_config("default")

    def created(resolved: Any) -> dict[str, Any]:
        [step] = [s for s in resolved.scenario.solution if s.do == "tracing_request.create"]
        return step.with_["data"]["data"]

    resolved = resolve_scenario(parsed.scenario, config)
    assert resolved.problems == []
    data = created(resolved)
    assert data["inquirer_location"] == "LR010101" and data["inquirer_has_photo"] is True
    assert data["inquirer_languages"] == ["lorendi", "french"]
    module = config.modules["cp"]
    bare = dataclasses.replace(config, modules={**config.modules, "cp": dataclasses.replace(
        module, tracing_sections=())})
    elsewhere = resolve_scenario(parsed.scenario.model_copy(update={"config": "elsewhere"}), bare)
    assert created(elsewhere) == {}
    assert any("no tracing request field 'distinguishing_marks' in this bundle" in n.message
               for n in elsewhere.notes)
