"""Incident records: the incident from the case, its classification, its checks, its
event, and who may record and read incidents (the fixed cast)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.cases.models import Event
from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.gbv import services as gs
from sandbox.gbv.selectors import incident_get, incident_list

from .conftest import PROVIDERS, SURVIVOR, GbvWorld

pytestmark = pytest.mark.django_db


def incident_data(**overrides: Any) -> dict[str, Any]:
    data = {"incident_date": "2026-02-28", "acts": ["physical_assault", "rape"],
            "perpetrator_relationship": "intimate_partner", "context": ["intimate_partner_violence"],
            "services_provided": ["psychosocial"]}
    data.update(overrides)
    return data


def test_an_incident_from_the_case(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"])
    gbv.refer(case, "health")
    incident = gs.incident_create(actor=gbv.worker, case=case, data=incident_data())
    assert incident.display_id == "INC-0001"
    assert incident.gbv_type == "rape" and incident.acts == ["rape", "physical_assault"]
    assert incident.location == case.location            # from the case
    assert incident.referred_to == ["health"]             # the case's referrals
    assert (incident.survivor_age, incident.survivor_sex) == (31, "female")
    event = Event.objects.get(space=gbv.space, action="incident.create")
    assert event.case == case and event.details["gbv_type"] == "rape"
    text = str(event.details)
    assert not [value for value in SURVIVOR.values() if value in text]


def test_bad_incident_data_names_every_field(gbv: GbvWorld) -> None:
    case = gbv.case()
    with pytest.raises(ValidationFailed) as failed:
        gs.incident_create(actor=gbv.worker, case=case, data={
            "incident_date": "2027-01-01", "acts": [], "perpetrator_relationship": "Omar",
            "location": "nowhere", "perpetrator_name": "Omar"})
    fields = failed.value.details["fields"]
    assert set(fields) == {"incident_date", "acts", "perpetrator_relationship", "location",
                           "perpetrator_name"}
    assert not case.gbv_incidents.exists()


def test_an_update_reclassifies_and_records_what_changed(gbv: GbvWorld) -> None:
    incident = gs.incident_create(actor=gbv.worker, case=gbv.case(), data=incident_data())
    gs.incident_update(actor=gbv.supervisor, incident=incident,
                       data={"acts": ["denial_of_resources", "psychological_abuse"]})
    incident.refresh_from_db()
    assert incident.gbv_type == "denial_of_resources"
    event = Event.objects.get(space=gbv.space, action="incident.update")
    assert event.changes["gbv_type"] == ["rape", "denial_of_resources"]


def test_who_may_record_and_read_incidents(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=list(PROVIDERS), identified=list(PROVIDERS))
    for provider in PROVIDERS:
        gbv.refer(case, provider)
    incident = gs.incident_create(actor=gbv.worker, case=case, data=incident_data())
    for member in (*gbv.providers.values(), gbv.cp_worker):
        with pytest.raises(NotAllowed):
            gs.incident_create(actor=member, case=case, data=incident_data())
        assert not incident_list(viewer=member).exists()
    with pytest.raises(NotAllowed):
        gs.incident_update(actor=gbv.providers["health"], incident=incident, data={})
    assert incident_get(viewer=gbv.supervisor, display_id="INC-0001") == incident
    assert not incident_list(viewer=gbv.other_space).exists()
