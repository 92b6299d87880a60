"""The GBV pages: the incident from the case, the incident, the list and the de-identified
data, with the fixed cast (and another space's users get 404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.gbv import services as gs
from sandbox.gbv.models import Incident
from sandbox.spaces.models import Member

from .conftest import PROVIDERS, SURVIVOR, GbvWorld

pytestmark = pytest.mark.django_db

FORM = {"incident_date": "2026-02-28", "location": "LR010101", "acts": ["physical_assault"],
        "perpetrator_relationship": "intimate_partner", "context": ["intimate_partner_violence"],
        "referred_to": ["health"]}


def web(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_incident_from_the_case_page(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], statistics=True)
    gbv.refer(case, "health")
    detail = web(gbv.worker).get(reverse("cases:detail", kwargs={
        "space": gbv.space.slug, "display_id": case.display_id})).content.decode()
    new = reverse("gbv:incident_new", kwargs={"space": gbv.space.slug, "display_id": case.display_id})
    assert new in detail
    form = web(gbv.worker).get(new)
    assert form.status_code == 200
    text = form.content.decode()
    # Incident from case: the referral to the health provider is already ticked.
    assert 'name="referred_to" value="health" id="id_referred_to_0" checked' in text
    assert 'name="referred_to" value="legal" id="id_referred_to_2">' in text
    response = web(gbv.worker).post(new, FORM)
    assert response.status_code == 302
    incident = Incident.objects.get(case=case)
    assert incident.gbv_type == "physical_assault"
    shown = web(gbv.worker).get(response["Location"]).content.decode()
    assert "Physical assault" in shown


def test_a_bad_incident_form_says_what_is_wrong(gbv: GbvWorld) -> None:
    case = gbv.case()
    new = reverse("gbv:incident_new", kwargs={"space": gbv.space.slug, "display_id": case.display_id})
    response = web(gbv.worker).post(new, {**FORM, "acts": [], "incident_date": "2030-01-01"})
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_the_data_page_and_the_download(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], statistics=True)
    gs.incident_create(actor=gbv.supervisor, case=case, data={**FORM, "referred_to": []})
    data = web(gbv.supervisor).get(reverse("gbv:data", kwargs={"space": gbv.space.slug}))
    assert data.status_code == 200 and "data-suppressed" in data.content.decode()
    csv = web(gbv.supervisor).get(reverse("gbv:recorder_csv", kwargs={"space": gbv.space.slug}))
    assert csv.status_code == 200 and "INC-0001" in csv.content.decode()
    assert not [v for v in SURVIVOR.values() if v in csv.content.decode()]


def test_who_reaches_each_gbv_page(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=list(PROVIDERS), identified=list(PROVIDERS))
    for provider in PROVIDERS:
        gbv.refer(case, provider)
    gs.incident_create(actor=gbv.worker, case=case, data=FORM)
    slug = gbv.space.slug
    pages = {
        "incidents": reverse("gbv:incidents", kwargs={"space": slug}),
        "incident": reverse("gbv:incident", kwargs={"space": slug, "incident": "INC-0001"}),
        "new": reverse("gbv:incident_new", kwargs={"space": slug, "display_id": case.display_id}),
        "data": reverse("gbv:data", kwargs={"space": slug}),
        "csv": reverse("gbv:recorder_csv", kwargs={"space": slug}),
    }
    expected = {
        gbv.worker: {"incidents": 200, "incident": 200, "new": 200, "data": 403, "csv": 403},
        gbv.supervisor: {"incidents": 200, "incident": 200, "new": 200, "data": 200, "csv": 200},
        gbv.cp_worker: {"incidents": 403, "incident": 404, "new": 404, "data": 403, "csv": 403},
        gbv.other_space: {"incidents": 404, "incident": 404, "new": 404, "data": 404, "csv": 404},
        **{member: {"incidents": 403, "incident": 404, "new": 403, "data": 403, "csv": 403}
           for member in gbv.providers.values()},
    }
    for member, statuses in expected.items():
        for name, status in statuses.items():
            assert web(member).get(pages[name]).status_code == status, (member.role, name)
    assert Client().get(pages["incidents"]).status_code == 302   # to the sign-in page
