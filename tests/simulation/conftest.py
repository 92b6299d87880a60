"""Small scenarios for the simulation's tests, written from a template into tmp_path.

The library scenario (30 background cases) is slow to seed many times over; the
template below is the same kind of world, cut down: two focal cases (Amina,
identified; Yusuf, registered three days ago with consent recorded since), a few
background cases, injects of every kind, scripted actors and a short solution.
Each block can be replaced by a test (`write_scenario(..., background=...)`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any

import pytest

from sandbox.cases import models as cm
from sandbox.simulation.models import Inject, Message, SpaceSeed
from sandbox.simulation.scenario.load import read_scenario
from sandbox.simulation.scenario.schema import Scenario
from sandbox.simulation.world import seed_space
from sandbox.spaces.models import Member, Space

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

TEMPLATE = Template("""\
# A cut-down world for the simulation's tests.
id: $id
version: 1
module: cp
config: $config
names_locale: fr_FR
languages: [en, fr]
difficulty: beginner
duration_minutes: 30
start: "2026-03-02T08:00"
title: {en: "Found alone at the market", fr: "Trouvée seule au marché"}
brief: {en: "A girl is alone at the market.", fr: "Une fillette est seule au marché."}
roles:
  caseworker: {played_by: trainee, role: caseworker, agency: dsw, user_groups: [dsw_north]}
  supervisor:
    {played_by: simulated, role: supervisor, agency: dsw, user_groups: [dsw_north], name: "Grace Mensah"}
  tracing: {played_by: simulated, role: service_provider, agency: lcs, name: "Omar Benali"}
world:
  seed: $seed
  cases:
    - ref: amina
      owner: caseworker
      registration: identified
      child: {sex: female, age: 11, name_first: Amina, location: LR010101}
      risk: high
      data:
        protection_concerns: [separated, unaccompanied]
      history:
        - {at: "-14h", do: case.identify, with: {summary: "Alone at the market."}}
    - ref: yusuf
      owner: caseworker
      child: {sex: male, age: 9, name_first: Yusuf}
      risk: medium
      history:
        - {at: "-3d", do: case.register}
        - {at: "-2d", do: consent.record, with: {consent_type: share_information, given: true}}
$background
timeline:
$timeline
actors:
$actors
expected:
  - {id: register, rule: happened, action: case.register, case: amina, points: 10}
  - {id: consent, rule: before, first: consent.record, then: referral.create, case: amina, points: 10}
solution:
$solution
""")

BACKGROUND = """\
  background:
    count: 4
    owner: caseworker
    risk: {high: 0.25, medium: 0.5, low: 0.25}
    stage: {registered: 0.5, assessed: 0.25, planned: 0.25}
    overdue: 0.25"""

TIMELINE = """\
  - id: aunt-calls
    at: "day 1 15:00"
    sender: {en: "Duty phone", fr: "Téléphone de permanence"}
    message: {en: "The aunt calls.", fr: "La tante appelle."}
  - id: school-calls
    at: "+2h"
    message: {en: "The school calls about Yusuf.", fr: "L'école appelle au sujet de Yusuf."}
  - id: tracing-confirms
    after: {action: referral.create, case: amina, delay: 3h}
    message:
      en: "The tracing team will visit the aunt."
      fr: "L'équipe de recherche rendra visite à la tante."
  - id: risk-drops
    at: "day 2 09:00"
    update: {case: yusuf, data: {risk_level: low}}"""

ACTORS = """\
  supervisor:
    approvals:
      assessment: {decision: approve, delay: 1h, comment: {en: "Good assessment.", fr: "Bonne évaluation."}}
      case_plan: {decision: reject_first, delay: 2h, comment: {en: "Add the school.", fr: "Ajoutez l'école."}}
  tracing:
    referrals:
      decision: accept
      delay: 2h
      comment: {en: "Accepted: we will trace the family.", fr: "Acceptée."}"""

SOLUTION = """\
  - {as: caseworker, do: case.search, with: {query: Amina}}
  - as: caseworker
    do: case.register
    case: amina
    with:
      data:
        name_last: Inconnue
        risk_level: high
        date_identified: "2026-03-01"
        identified_by: community_volunteer
  - as: caseworker
    do: consent.record
    case: amina
    with: {consent_type: share_information, given: true, given_by: child}
  - as: caseworker
    do: referral.create
    case: amina
    with: {service_type: family_tracing, reason: case_plan_service, to: tracing, urgency: immediate}
  - {advance: 3h}
  - as: caseworker
    do: followup.record
    case: amina
    with: {date: today, followup_type: phone_call, findings: "Calm, eating."}"""

DEFAULTS = {"config": "default", "seed": "1234", "background": BACKGROUND, "timeline": TIMELINE,
            "actors": ACTORS, "solution": SOLUTION}


def scenario_text(name: str = "mini", **blocks: Any) -> str:
    values = {**DEFAULTS, "id": name, **{k: str(v) for k, v in blocks.items()}}
    return TEMPLATE.substitute(values)


WriteScenario = Callable[..., Path]


@pytest.fixture
def write_scenario(tmp_path: Path) -> WriteScenario:
    """write_scenario(name="mini", **blocks) -> the path of a scenario file in tmp_path."""

    def write(name: str = "mini", **blocks: Any) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(scenario_text(name, **blocks), encoding="utf-8")
        return path

    return write


def parse(path: Path) -> Scenario:
    parsed = read_scenario(path)
    assert parsed.problems == [], parsed.problems
    assert parsed.scenario is not None
    return parsed.scenario


def seed(path: Path, slug: str, **kwargs: Any) -> Space:
    return seed_space(parse(path), path, slug=slug, **kwargs)


@pytest.fixture
def scenario_path(write_scenario: WriteScenario) -> Path:
    return write_scenario()


@pytest.fixture
def seeded(default_config: object, scenario_path: Path) -> Space:
    """A space seeded from the template scenario."""
    return seed(scenario_path, "practice")


# -- comparing the rows of a space ---------------------------------------------------------

#: Every table of a space's world, as snapshots capture them.
WORLD_TABLES = [Member, cm.Case, cm.Document, cm.Service, cm.Referral, cm.Transfer, cm.Approval,
                cm.FollowUp, cm.Note, cm.Flag, cm.Task, cm.Event, cm.CaseView, Inject, Message]
VOLATILE = {"real_time", "created_at", "real_at"}


def rows(space: Space) -> dict[str, list[dict[str, Any]]]:
    """Every row of the space's world, keyed by table, with primary keys (not wall times)."""
    result = {}
    for model in WORLD_TABLES:
        keep = [f.attname for f in model._meta.concrete_fields
                if not (f.attname in VOLATILE and model in (cm.Event, Message, cm.CaseView))]
        result[model._meta.label] = list(
            model.objects.filter(space=space).order_by("pk").values(*keep))
    return result


def state(space: Space) -> dict[str, Any]:
    """The rows of the space, its clock and counters, and its seed's case references."""
    space = Space.objects.get(pk=space.pk)
    seed_row = SpaceSeed.objects.filter(space=space).first()
    return {"space": {"clock": space.clock, "case_counter": space.case_counter,
                      "event_counter": space.event_counter},
            "rows": rows(space),
            "seed_cases": dict(seed_row.cases) if seed_row else None}


def member(space: Space, ref: str) -> Member:
    return Member.objects.get(space=space, ref=ref)


def case_of(space: Space, ref: str) -> cm.Case:
    seed_row = SpaceSeed.objects.get(space=space)
    return cm.Case.objects.get(space=space, pk=seed_row.cases[ref])
