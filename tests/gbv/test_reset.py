"""Incidents are part of the space: a reset brings back the seeded ones and drops later
ones; a copy of the space gets its own incidents, linked to its own cases."""

from __future__ import annotations

import pytest

from sandbox.cases.models import Case
from sandbox.gbv import services as gs
from sandbox.gbv.models import Incident
from sandbox.simulation import snapshot
from sandbox.simulation.models import SpaceSeed
from tests.factories import SpaceFactory

from .conftest import GbvWorld

pytestmark = pytest.mark.django_db

BODY = {"incident_date": "2026-02-27", "acts": ["rape"], "perpetrator_relationship": "unknown"}


def seeded(gbv: GbvWorld) -> tuple[SpaceSeed, Incident]:
    case = gbv.case()
    incident = gs.incident_create(actor=gbv.worker, case=case, data=BODY)
    seed = SpaceSeed.objects.create(space=gbv.space, scenario_id="test", scenario_version=1,
                                    scenario_path="test.yaml", seed=1, snapshot=b"")
    seed.snapshot = snapshot.capture(gbv.space)
    seed.save()
    return seed, incident


def test_a_reset_restores_the_seeded_incidents(gbv: GbvWorld) -> None:
    seed, incident = seeded(gbv)
    gs.incident_create(actor=gbv.worker, case=incident.case, data={**BODY, "acts": ["forced_marriage"]})
    gs.incident_update(actor=gbv.worker, incident=incident, data={"acts": ["physical_assault"]})
    snapshot.restore(seed)
    assert list(Incident.objects.filter(space=gbv.space).values_list("display_id", "gbv_type")) == [
        ("INC-0001", "rape")]


def test_a_copied_space_has_its_own_incidents(gbv: GbvWorld) -> None:
    seed, incident = seeded(gbv)
    copy_space = SpaceFactory(module="gbv", clock=gbv.space.clock)
    snapshot.clone(seed, copy_space, {})
    copied = Incident.objects.get(space=copy_space)
    assert copied.pk != incident.pk and copied.display_id == "INC-0001"
    assert copied.case_id == Case.objects.get(space=copy_space).pk
