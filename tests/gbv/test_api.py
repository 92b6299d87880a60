"""The GBV incident API: the incident from the case, reading, correcting, the de-identified
data, with the fixed cast; another space's users get 404 on every URL."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from sandbox.gbv import services as gs
from sandbox.gbv.api.urls import urlpatterns
from sandbox.spaces.models import Member

from .conftest import PROVIDERS, SURVIVOR, GbvWorld

pytestmark = pytest.mark.django_db

BODY = {"incident_date": "2026-02-28", "acts": ["sexual_assault", "physical_assault"],
        "perpetrator_relationship": "family_friend_neighbour", "services_provided": ["health"]}


def api(member: Member) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


def url(space: str, *parts: object) -> str:
    return f"/api/v1/spaces/{space}/" + "".join(f"{part}/" for part in parts)


def post(member: Member, path: str, body: dict[str, Any]) -> Any:
    return api(member).post(path, body, format="json")


def test_record_read_and_correct_an_incident(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], statistics=True)
    slug = gbv.space.slug
    created = post(gbv.worker, url(slug, "cases", case.display_id, "actions", "incident.create"), BODY)
    assert created.status_code == 201, created.content
    incident = created.json()
    assert incident["gbv_type"] == "sexual_assault" and incident["case"] == case.display_id
    assert incident["location"] == "LR010101"
    listed = api(gbv.supervisor).get(url(slug, "incidents")).json()
    assert [row["display_id"] for row in listed["results"]] == ["INC-0001"]
    fixed = post(gbv.supervisor, url(slug, "incidents", "INC-0001", "actions", "incident.update"),
                 {"acts": ["rape"]})
    assert fixed.status_code == 200 and fixed.json()["gbv_type"] == "rape"
    rows = api(gbv.supervisor).get(url(slug, "incidents", "recorder")).json()
    assert [row["incident_id"] for row in rows] == ["INC-0001"]
    assert not [v for v in SURVIVOR.values() if v in str(rows)]
    stats = api(gbv.supervisor).get(url(slug, "incidents", "statistics")).json()
    assert stats[0]["total"] is None    # one incident: below the minimum of 3


def test_bad_bodies_name_their_fields(gbv: GbvWorld) -> None:
    case = gbv.case()
    path = url(gbv.space.slug, "cases", case.display_id, "actions", "incident.create")
    response = post(gbv.worker, path, {"acts": ["theft"], "perpetrator_relationship": ""})
    assert response.status_code == 400
    fields = response.json()["error"]["details"]["fields"]
    assert {"acts", "perpetrator_relationship", "incident_date"} <= set(fields)


def test_permissions_of_every_incident_endpoint(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=list(PROVIDERS), identified=list(PROVIDERS))
    for provider in PROVIDERS:
        gbv.refer(case, provider)
    gs.incident_create(actor=gbv.worker, case=case, data=BODY)
    slug = gbv.space.slug
    create = url(slug, "cases", case.display_id, "actions", "incident.create")
    update = url(slug, "incidents", "INC-0001", "actions", "incident.update")
    for member in gbv.providers.values():
        assert post(member, create, BODY).status_code == 403
        assert post(member, update, {}).status_code == 404        # not visible to them
        assert api(member).get(url(slug, "incidents")).json()["count"] == 0
        assert api(member).get(url(slug, "incidents", "INC-0001")).status_code == 404
        assert api(member).get(url(slug, "incidents", "recorder")).status_code == 403
        assert api(member).get(url(slug, "incidents", "statistics")).status_code == 403
    cp = gbv.cp_worker
    assert post(cp, create, BODY).status_code == 404                # not in their scope
    assert api(cp).get(url(slug, "incidents", "recorder")).status_code == 403
    assert api(gbv.worker).get(url(slug, "incidents", "recorder")).status_code == 403
    assert api(gbv.supervisor).get(url(slug, "incidents", "recorder")).status_code == 200
    assert APIClient().get(url(slug, "incidents")).status_code in (401, 403)


def test_another_space_gets_404_on_every_url(gbv: GbvWorld) -> None:
    case = gbv.case()
    gs.incident_create(actor=gbv.worker, case=case, data=BODY)
    outsider = gbv.other_space
    values = {"slug": gbv.space.slug, "incident": "INC-0001", "display_id": case.display_id}
    tried = 0
    for pattern in urlpatterns:
        path = "/api/v1/" + str(pattern.pattern)
        for key, value in values.items():
            path = path.replace(f"<slug:{key}>", value).replace(f"<str:{key}>", value)
        client = api(outsider)
        response = client.post(path, BODY, format="json") if "actions" in path else client.get(path)
        assert response.status_code == 404, path
        tried += 1
        # And in their own space, our identifiers name nothing.
        own = path.replace(gbv.space.slug, outsider.space.slug)
        response = client.post(own, BODY, format="json") if "actions" in own else client.get(own)
        assert response.status_code in (200, 403, 404), own
        assert "INC-0001" not in response.content.decode(), own
        assert SURVIVOR["name_first"] not in response.content.decode(), own
    assert tried == len(urlpatterns)
