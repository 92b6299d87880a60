"""Exporting de-identified incident data leaves a trace: each download of the Incident
Recorder, each view of the statistics (page or API) writes one `incident.export` event
with what left (rows, months, cells) and the months covered, and never who is in it.
Who may export is unchanged."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.cases.models import Event
from sandbox.gbv import services as gs
from sandbox.spaces.models import Member

from .conftest import SURVIVOR, GbvWorld

pytestmark = pytest.mark.django_db

FORM = {"incident_date": "2026-02-28", "location": "LR010101", "acts": ["rape"],
        "perpetrator_relationship": "community_member", "referred_to": []}


def web(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def api(member: Member) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


@pytest.fixture
def two_incidents(gbv: GbvWorld) -> GbvWorld:
    """Two incidents with consent to statistics, one without (it never leaves)."""
    for stats in (True, True, False):
        case = gbv.consent(gbv.case(), services=["health"], statistics=stats)
        gs.incident_create(actor=gbv.worker, case=case, data=FORM)
    return gbv


def exports(gbv: GbvWorld) -> list[Event]:
    return list(Event.objects.filter(space=gbv.space, action="incident.export").order_by("sequence"))


def names_nobody(event: Event) -> None:
    text = json.dumps([event.details, event.changes], ensure_ascii=False)
    assert not [value for value in SURVIVOR.values() if value in text]
    assert event.case_id is None and event.record_id is None


def test_the_recorder_download_is_one_event(two_incidents: GbvWorld) -> None:
    gbv = two_incidents
    month = gbv.space.clock.strftime("%Y-%m")
    response = web(gbv.supervisor).get(reverse("gbv:recorder_csv", kwargs={"space": gbv.space.slug}))
    assert response.status_code == 200
    [event] = exports(gbv)
    assert event.actor_id == gbv.supervisor.pk
    assert event.details == {"export": "recorder", "format": "csv", "rows": 2,
                             "period_from": month, "period_to": month}
    names_nobody(event)


def test_the_statistics_page_is_one_event(two_incidents: GbvWorld) -> None:
    gbv = two_incidents
    response = web(gbv.supervisor).get(reverse("gbv:data", kwargs={"space": gbv.space.slug}))
    assert response.status_code == 200
    [event] = exports(gbv)
    details = event.details
    assert details["export"] == "statistics" and details["format"] == "page"
    assert details["months"] == 1 and details["cells"] > 0
    # Two incidents, under the minimum of 3: every cell is suppressed.
    assert details["suppressed"] == details["cells"]
    names_nobody(event)


def test_the_api_exports_are_one_event_each(two_incidents: GbvWorld) -> None:
    gbv = two_incidents
    slug = gbv.space.slug
    rows = api(gbv.supervisor).get(f"/api/v1/spaces/{slug}/incidents/recorder/")
    assert rows.status_code == 200 and len(rows.json()) == 2
    stats = api(gbv.supervisor).get(f"/api/v1/spaces/{slug}/incidents/statistics/")
    assert stats.status_code == 200
    recorder, statistics = exports(gbv)
    assert (recorder.details["export"], recorder.details["format"], recorder.details["rows"]) == (
        "recorder", "json", 2)
    assert (statistics.details["export"], statistics.details["format"]) == ("statistics", "json")
    for event in (recorder, statistics):
        names_nobody(event)


def test_nothing_to_export_is_still_an_export(gbv: GbvWorld) -> None:
    response = web(gbv.supervisor).get(reverse("gbv:recorder_csv", kwargs={"space": gbv.space.slug}))
    assert response.status_code == 200
    [event] = exports(gbv)
    assert event.details == {"export": "recorder", "format": "csv", "rows": 0,
                             "period_from": "", "period_to": ""}


def test_a_refused_export_writes_nothing(two_incidents: GbvWorld) -> None:
    gbv = two_incidents
    slug = gbv.space.slug
    assert web(gbv.worker).get(reverse("gbv:recorder_csv", kwargs={"space": slug})).status_code == 403
    assert api(gbv.worker).get(f"/api/v1/spaces/{slug}/incidents/statistics/").status_code == 403
    assert exports(gbv) == []
