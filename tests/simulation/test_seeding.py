"""Seeding a space from a scenario: members, focal cases with their history,
background cases to the declared distribution, injects, and the seed record."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sandbox.accounts.models import User
from sandbox.cases.models import Case, Event, Task, TaskKind
from sandbox.common.errors import ValidationFailed
from sandbox.simulation import snapshot
from sandbox.simulation.models import Inject, SpaceSeed
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member, Space

from .conftest import START, WriteScenario, case_of, member, seed, state

pytestmark = pytest.mark.django_db

NO_BACKGROUND = ""

MANY = """\
  background:
    count: 200
    owner: caseworker
    risk: {high: 0.2, medium: 0.5, low: 0.3}
    stage: {registered: 1.0}
    overdue: 0.15"""

EVERY_STAGE = """\
  background:
    count: 100
    owner: caseworker
    risk: {high: 0.2, medium: 0.5, low: 0.3}
    stage: {identified: 0.2, registered: 0.2, assessed: 0.2, planned: 0.2, closed: 0.2}"""

NOT_OVERDUE = """\
  background:
    count: 20
    owner: caseworker
    risk: {high: 1.0}
    stage: {registered: 1.0}
    overdue: 0"""


def background(space: Space) -> list[Case]:
    focal = set(SpaceSeed.objects.get(space=space).cases.values())
    return [c for c in Case.objects.filter(space=space).order_by("pk") if c.pk not in focal]


# -- focal cases ----------------------------------------------------------------------------


def test_focal_cases_are_created_with_their_history(default_config: Any,
                                                    write_scenario: WriteScenario) -> None:
    space = seed(write_scenario(background=NO_BACKGROUND), "focal")
    amina, yusuf = case_of(space, "amina"), case_of(space, "yusuf")

    assert amina.registration_status == "identified"
    assert (amina.name_first, amina.sex, amina.age, amina.location, amina.risk_level) == (
        "Amina", "female", 11, "LR010101", "high")
    assert amina.data["protection_concerns"] == ["separated", "unaccompanied"]
    assert amina.name_last  # generated
    assert amina.owner == member(space, "caseworker")
    [identified] = Event.objects.filter(case=amina)
    assert identified.action == "case.identify"
    assert identified.sim_time == START - dt.timedelta(hours=14)
    assert identified.details["summary"] == "Alone at the market."

    assert yusuf.registration_status == "registered"
    assert (yusuf.name_first, yusuf.sex, yusuf.age, yusuf.risk_level) == ("Yusuf", "male", 9,
                                                                         "medium")
    assert yusuf.registered_at == START - dt.timedelta(days=3)
    assert yusuf.data["consent_share_other_orgs"] is True
    history = list(Event.objects.filter(case=yusuf).order_by("sequence"))
    assert [(e.action, e.sim_time) for e in history] == [
        ("case.register", START - dt.timedelta(days=3)),
        ("consent.record", START - dt.timedelta(days=2))]
    assert history[1].details["consent_type"] == "share_information"
    assert all(e.sim_time < START for e in Event.objects.filter(space=space))
    assert all(e.actor_name == member(space, "caseworker").name for e in history)
    # The registered case has its assessment task, counted from its registration.
    task = Task.objects.get(case=yusuf, kind=TaskKind.ASSESSMENT)
    assert task.started_at == yusuf.registered_at


def test_a_focal_case_without_history_is_created_just_before_the_start(
        default_config: Any, write_scenario: WriteScenario) -> None:
    path = write_scenario(background=NO_BACKGROUND)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(
        "timeline:\n",
        "    - {ref: fatou, owner: caseworker, child: {sex: female, age: 6}}\n"
        "    - {ref: omar, owner: caseworker, registration: identified, risk: low}\n"
        "timeline:\n", 1), encoding="utf-8")
    space = seed(path, "no-history")
    fatou, omar = case_of(space, "fatou"), case_of(space, "omar")
    assert fatou.registration_status == "registered"
    assert omar.registration_status == "identified"
    assert omar.risk_level == "low"
    assert START - dt.timedelta(hours=2) <= fatou.created_at < START
    assert fatou.created_at < omar.created_at < START
    assert [e.action for e in Event.objects.filter(case=fatou)] == ["case.register"]
    assert [e.action for e in Event.objects.filter(case=omar)] == ["case.identify"]


def test_a_history_step_as_another_role(default_config: Any,
                                        write_scenario: WriteScenario) -> None:
    path = write_scenario(background=NO_BACKGROUND)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(
        '{at: "-2d", do: consent.record,', '{at: "-2d", as: supervisor, do: consent.record,'),
        encoding="utf-8")
    space = seed(path, "as-supervisor")
    consent = Event.objects.get(space=space, action="consent.record")
    assert consent.actor == member(space, "supervisor")
    assert (consent.actor_name, consent.role) == ("Grace Mensah", "supervisor")


# -- background cases -----------------------------------------------------------------------


def test_background_count_and_risk_distribution(default_config: Any,
                                                write_scenario: WriteScenario) -> None:
    space = seed(write_scenario(background=MANY), "many")
    cases = background(space)
    assert len(cases) == 200
    shares = Counter(c.risk_level for c in cases)
    for level, declared in {"high": 0.2, "medium": 0.5, "low": 0.3}.items():
        assert abs(shares[level] / 200 - declared) <= 0.10, (level, shares)
    assert all(c.owner == member(space, "caseworker") for c in cases)
    assert all(c.created_at < START for c in cases)
    assert len({(c.name_first, c.name_last) for c in cases}) > 150  # synthetic, varied names

    # overdue: 0.15 -- cases whose assessment task is past due at the start.
    space.refresh_from_db()
    overdue = Task.objects.filter(space=space, kind=TaskKind.ASSESSMENT, completed_at__isnull=True,
                                  due_at__lt=space.clock).exclude(case=case_of(space, "yusuf"))
    assert abs(overdue.count() / 200 - 0.15) <= 0.10, overdue.count()
    assert overdue.count() > 0


def test_no_overdue_share_no_overdue_case(default_config: Any,
                                          write_scenario: WriteScenario) -> None:
    space = seed(write_scenario(background=NOT_OVERDUE), "on-time")
    space.refresh_from_db()
    cases = background(space)
    assert len(cases) == 20
    assert {c.risk_level for c in cases} == {"high"}
    tasks = Task.objects.filter(space=space, case__in=cases, kind=TaskKind.ASSESSMENT)
    assert tasks.count() == 20
    assert not tasks.filter(due_at__lt=space.clock).exists()


def test_background_cases_at_every_stage(default_config: Any,
                                         write_scenario: WriteScenario) -> None:
    space = seed(write_scenario(background=EVERY_STAGE), "stages")
    cases = background(space)
    assert len(cases) == 100
    kinds = Counter(
        "identified" if c.registration_status == "identified"
        else "closed" if c.status == "closed"
        else {"new": "registered", "assessment": "assessed",
              "service_provision": "planned"}[c.stage]
        for c in cases)
    assert set(kinds) == {"identified", "registered", "assessed", "planned", "closed"}
    for kind in kinds:
        assert abs(kinds[kind] / 100 - 0.2) <= 0.12, kinds
    # Planned and closed cases went through their approvals, by the supervisor.
    decided = Event.objects.filter(space=space, action="approval.decide")
    assert decided.exists()
    assert {e.actor_name for e in decided} == {"Grace Mensah"}
    assert all(e.sim_time < START for e in Event.objects.filter(space=space))


# -- members ---------------------------------------------------------------------------------


def test_members_for_each_role(default_config: Any, write_scenario: WriteScenario) -> None:
    space = seed(write_scenario(background=NO_BACKGROUND), "members")
    members = {m.ref: m for m in Member.objects.filter(space=space)}
    assert set(members) == {"caseworker", "supervisor", "tracing"}
    worker, supervisor, tracing = members["caseworker"], members["supervisor"], members["tracing"]
    assert (worker.role, worker.agency, worker.user_groups, worker.is_simulated, worker.user) == (
        "caseworker", "dsw", ["dsw_north"], False, None)
    assert worker.name and worker.name != "caseworker"  # a generated name
    assert (supervisor.role, supervisor.name, supervisor.is_simulated) == (
        "supervisor", "Grace Mensah", True)
    assert (tracing.role, tracing.agency, tracing.name, tracing.is_simulated) == (
        "service_provider", "lcs", "Omar Benali", True)
    seed_row = SpaceSeed.objects.get(space=space)
    assert seed_row.roles == {ref: m.pk for ref, m in members.items()}


def test_trainees_are_bound_to_their_roles(default_config: Any, write_scenario: WriteScenario,
                                           trainee: User) -> None:
    space = seed(write_scenario(background=NO_BACKGROUND), "bound",
                 trainees={"caseworker": trainee})
    worker = member(space, "caseworker")
    assert worker.user == trainee
    assert worker.name == trainee.display_name
    assert not worker.is_simulated
    assert case_of(space, "amina").owner == worker
    assert member(space, "supervisor").user is None


# -- the space, its injects and its seed record --------------------------------------------


def test_the_space_after_seeding(default_config: Any, write_scenario: WriteScenario) -> None:
    path = write_scenario(background=NO_BACKGROUND)
    space = seed(path, "after")
    space.refresh_from_db()
    assert space.clock == START
    assert space.title == "Found alone at the market"
    assert (space.case_counter, space.event_counter) == (2, 3)
    injects = {i.ref: i for i in Inject.objects.filter(space=space)}
    assert set(injects) == {"aunt-calls", "school-calls", "tracing-confirms", "risk-drops"}
    assert injects["aunt-calls"].due_at == START.replace(hour=15)
    assert injects["school-calls"].due_at == START + dt.timedelta(hours=2)
    assert injects["risk-drops"].due_at == START + dt.timedelta(days=1, hours=1)
    assert injects["tracing-confirms"].due_at is None
    assert injects["tracing-confirms"].trigger == {"action": "referral.create", "case": "amina",
                                                   "delay": "3h"}
    assert all(i.fired_at is None for i in injects.values())
    seed_row = SpaceSeed.objects.get(space=space)
    assert (seed_row.scenario_id, seed_row.scenario_version, seed_row.seed) == ("mini", 1, 1234)
    assert seed_row.scenario_path == str(path)
    assert seed_row.seeded_events == 3
    assert set(seed_row.cases) == {"amina", "yusuf"}
    # The snapshot holds the rows as they are.
    captured = snapshot.capture(space)
    assert bytes(seed_row.snapshot) == captured


def test_seeding_a_slug_that_exists_replaces_it(default_config: Any,
                                                write_scenario: WriteScenario) -> None:
    first = seed(write_scenario("first", background=NO_BACKGROUND), "same")
    other = seed(write_scenario("other", background=NO_BACKGROUND), "other")
    other_before = state(other)
    old_cases = list(Case.objects.filter(space=first).values_list("pk", flat=True))
    second = seed(write_scenario("second", background=EVERY_STAGE), "same")
    assert Space.objects.filter(slug="same").count() == 1
    assert second.pk != first.pk
    assert not Space.objects.filter(pk=first.pk).exists()
    assert not Case.objects.filter(pk__in=old_cases).exists()
    assert not Event.objects.filter(space_id=first.pk).exists()
    assert not Member.objects.filter(space_id=first.pk).exists()
    assert SpaceSeed.objects.get(space=second).scenario_id == "second"
    assert Case.objects.filter(space=second).count() == 102
    assert SpaceSeed.objects.filter(space__slug="same").count() == 1
    assert state(other) == other_before


def test_seed_from_file_refuses_a_scenario_with_problems(default_config: Any,
                                                         write_scenario: WriteScenario) -> None:
    path = write_scenario(background=NO_BACKGROUND)
    path.write_text(path.read_text().replace("difficulty: beginner", "difficulty: easy")
                    .replace("location: LR010101", "location: LR999999"))
    with pytest.raises(ValidationFailed) as info:
        seed_from_file(path, slug="refused")
    problems = info.value.details["problems"]
    assert [p["message"].split(":")[0] for p in problems] == ["difficulty"]  # schema first
    assert str(path) in info.value.message
    assert not Space.objects.filter(slug="refused").exists()


def test_seed_from_file_seeds_a_valid_file(default_config: Any, scenario_path: Path) -> None:
    space = seed_from_file(scenario_path, slug="from-file", seed=7)
    assert SpaceSeed.objects.get(space=space).seed == 7
    assert Case.objects.filter(space=space).count() == 6
