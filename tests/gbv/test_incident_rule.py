"""The 72-hour scenario checks the incident record: recorded from Yasmine's case, as the
type the GBVIMS classification gives (rape), within the clinical window (72 hours after
the assault, 61 hours after she was identified). Played on a seeded space: the reference
solution meets the rule; another type, or the same record after the window, does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from sandbox.cases.models import Case
from sandbox.gbv import services as gs
from sandbox.scoring.attempts import score_space
from sandbox.simulation.engine import advance
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import play_solution
from sandbox.simulation.world import scenario_of, seed_from_file
from sandbox.spaces.models import Member, Space

pytestmark = pytest.mark.django_db

SCENARIO = Path(settings.BASE_DIR) / "scenarios" / "gbv-sexual-assault-72h.yaml"
RULE = "incident-rape-in-window"
INCIDENT = {"incident_date": "2026-07-13", "perpetrator_relationship": "community_member"}


@pytest.fixture
def space(default_config: object) -> Space:
    return seed_from_file(SCENARIO, slug="yasmine-72h")


def verdict(space: Space) -> bool:
    report = score_space(Space.objects.get(pk=space.pk))
    return next(r.passed for r in report.rules if r.id == RULE)


def up_to_the_incident(space: Space) -> tuple[Member, Case]:
    """Play the reference solution up to its incident record; the worker and the case."""
    seed = SpaceSeed.objects.get(space=space)
    steps = scenario_of(seed).solution
    play_solution(space, upto=next(i for i, s in enumerate(steps) if s.do == "incident.create"))
    return (Member.objects.get(space=space, ref="caseworker"),
            Case.objects.get(pk=seed.cases["yasmine"]))


def test_the_reference_solution_records_rape_in_the_window(space: Space) -> None:
    play_solution(space)
    assert verdict(space)
    assert score_space(Space.objects.get(pk=space.pk)).percent == 100


def test_the_rule_needs_the_incident(space: Space) -> None:
    up_to_the_incident(space)
    assert not verdict(space)


def test_another_type_does_not_meet_the_rule(space: Space) -> None:
    worker, case = up_to_the_incident(space)
    incident = gs.incident_create(actor=worker, case=case,
                                  data={**INCIDENT, "acts": ["sexual_assault", "physical_assault"]})
    assert incident.gbv_type == "sexual_assault"
    assert not verdict(space)


def test_rape_with_a_beating_is_still_rape(space: Space) -> None:
    worker, case = up_to_the_incident(space)
    gs.incident_create(actor=worker, case=case,
                       data={**INCIDENT, "acts": ["physical_assault", "rape"]})
    assert verdict(space)


def test_after_the_clinical_window_it_is_too_late(space: Space) -> None:
    worker, case = up_to_the_incident(space)
    advance(space, by=dt.timedelta(hours=62))
    gs.incident_create(actor=worker, case=case, data={**INCIDENT, "acts": ["rape"]})
    assert not verdict(space)
