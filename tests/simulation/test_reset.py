"""Resetting a space: exactly its seeded state again, and nothing else touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sandbox.accounts.models import User
from sandbox.cases import services as s
from sandbox.cases.models import Approval, Case, Event, Referral
from sandbox.common.errors import NotFound
from sandbox.simulation.engine import advance
from sandbox.simulation.models import Inject, Message, SpaceSeed
from sandbox.simulation.services import reset_instance, reset_space
from sandbox.spaces.models import Member, Space
from tests.cases.conftest import assessment_data, registration_data
from tests.factories import MemberFactory, SpaceFactory

from .conftest import WriteScenario, case_of, member, seed, state

pytestmark = pytest.mark.django_db

NEW_CASE = """\
  - id: new-arrival
    at: "+1h"
    message: {en: "A girl arrives at the office.", fr: "Une fille arrive au bureau."}
    new_case: {ref: fatou, owner: caseworker, child: {sex: female, age: 6}, risk: low}"""


@pytest.fixture
def path(write_scenario: WriteScenario) -> Path:
    return write_scenario("reset", background="")


@pytest.fixture
def spaces(default_config: Any, path: Path) -> tuple[Space, Space]:
    return seed(path, "space-a"), seed(path, "space-b")


def act(space: Space) -> None:
    """A trainee's work: every kind of record changes, and the clock moves."""
    worker = member(space, "caseworker")
    new = s.case_register(actor=worker, data=registration_data(name_first="Moussa"))
    s.consent_record(actor=worker, case=new, consent_type="services", given=True, given_by="child")
    yusuf = case_of(space, "yusuf")
    s.referral_create(actor=worker, case=yusuf, service_type="family_tracing",
                      reason="case_plan_service", to_member=member(space, "tracing").pk)
    s.assessment_complete(actor=worker, case=yusuf, data=assessment_data())
    s.approval_request(actor=worker, case=yusuf, kind="assessment")
    s.note_add(actor=worker, case=new, subject="Visit", text="Met Moussa at school.")
    s.case_flag(actor=worker, case=new, reason="Check the address")
    advance(space, by=dt.timedelta(hours=8))  # injects, the supervisor, the tracing team
    Member.objects.filter(pk=worker.pk).update(name="Renamed by hand")


def test_acting_changes_every_kind_of_row(spaces: tuple[Space, Space]) -> None:
    """(So that the reset tests below restore something.)"""
    a, _b = spaces
    seeded = state(a)
    act(a)
    after = state(a)
    for table, rows in seeded["rows"].items():
        if table in ("cases.Transfer", "cases.FollowUp", "cases.Document", "cases.CaseView"):
            continue  # not part of this exercise (views are written by pages, not actions)
        assert rows != after["rows"][table], table
    assert after["space"] != seeded["space"]
    assert Approval.objects.get(space=a).status == "approved"
    assert Referral.objects.get(space=a).status in ("accepted", "done")
    assert Message.objects.filter(space=a).count() >= 3


def test_reset_gives_back_the_seeded_state_and_leaves_other_spaces(
        spaces: tuple[Space, Space]) -> None:
    a, b = spaces
    seeded_a = state(a)
    act(a)
    act(b)
    before_b = state(b)
    reset_space(a)
    assert state(a) == seeded_a
    assert state(b) == before_b
    assert Space.objects.get(pk=a.pk).clock == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_reset_puts_the_clock_and_counters_back(spaces: tuple[Space, Space]) -> None:
    a, _b = spaces
    act(a)
    a.refresh_from_db()
    assert (a.case_counter, a.event_counter) > (2, 3)
    reset_space(a)
    a.refresh_from_db()
    assert a.clock == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    # Two focal cases; three events (Yusuf registered, his consent, Amina identified).
    assert (a.case_counter, a.event_counter) == (2, 3)


def test_reset_twice(spaces: tuple[Space, Space]) -> None:
    a, b = spaces
    seeded_a, seeded_b = state(a), state(b)
    reset_space(a)  # right after seeding: nothing changes
    assert state(a) == seeded_a
    act(a)
    reset_space(a)
    act(a)
    reset_space(a)
    reset_space(a)
    assert state(a) == seeded_a
    assert state(b) == seeded_b


def test_the_exercise_runs_again_after_a_reset(spaces: tuple[Space, Space]) -> None:
    a, _b = spaces
    first = advance(a, by=dt.timedelta(days=1, hours=2))
    reset_space(a)
    assert Message.objects.filter(space=a).count() == 0
    assert advance(a, by=dt.timedelta(days=1, hours=2)) == first
    worker = member(a, "caseworker")
    case = s.case_register(actor=worker, data=registration_data())
    assert case.display_id == "CP-0003"  # the counters went back too


def test_reset_of_a_space_that_was_not_seeded(default_config: Any) -> None:
    with pytest.raises(NotFound):
        reset_space(SpaceFactory())


def test_reset_instance_resets_every_seeded_space(spaces: tuple[Space, Space]) -> None:
    a, b = spaces
    seeded_a, seeded_b = state(a), state(b)
    unseeded = SpaceFactory()
    worker = MemberFactory(space=unseeded, role="caseworker", user_groups=["dsw_north"])
    s.case_register(actor=worker, data=registration_data())
    before_unseeded = state(unseeded)
    act(a)
    act(b)
    assert reset_instance() == 2
    assert state(a) == seeded_a
    assert state(b) == seeded_b
    assert state(unseeded) == before_unseeded


def test_rows_outside_the_space_are_untouched(spaces: tuple[Space, Space]) -> None:
    a, b = spaces
    user = User.objects.create_user("outsider", password="pw-outsider-123")
    act(b)
    outside = (list(Event.objects.exclude(space=a).order_by("pk").values()),
               list(Case.objects.exclude(space=a).order_by("pk").values()),
               list(Inject.objects.exclude(space=a).order_by("pk").values()),
               list(SpaceSeed.objects.exclude(space=a).order_by("pk").values()),
               list(User.objects.order_by("pk").values()),
               list(Space.objects.exclude(pk=a.pk).order_by("pk").values()))
    act(a)
    reset_space(a)
    assert (list(Event.objects.exclude(space=a).order_by("pk").values()),
            list(Case.objects.exclude(space=a).order_by("pk").values()),
            list(Inject.objects.exclude(space=a).order_by("pk").values()),
            list(SpaceSeed.objects.exclude(space=a).order_by("pk").values()),
            list(User.objects.order_by("pk").values()),
            list(Space.objects.exclude(pk=a.pk).order_by("pk").values())) == outside
    assert User.objects.filter(pk=user.pk).exists()


def test_a_trainee_bound_at_seeding_stays_bound(default_config: Any, path: Path,
                                                 trainee: User) -> None:
    a = seed(path, "space-a", trainees={"caseworker": trainee})
    act(a)
    reset_space(a)
    assert Member.objects.get(space=a, ref="caseworker").user == trainee


def test_reset_forgets_cases_that_arrived_during_the_exercise(
        default_config: Any, write_scenario: WriteScenario) -> None:
    """A case arriving through a `new_case` inject is added to the seed's case
    references; after a reset the case is gone, and so must be its reference."""
    path = write_scenario("arrivals", background="", timeline=NEW_CASE)
    space = seed(path, "arrivals")
    seeded = state(space)
    advance(space, by=dt.timedelta(hours=2))
    arrived = SpaceSeed.objects.get(space=space).cases["fatou"]
    assert Case.objects.get(pk=arrived).name_first
    reset_space(space)
    assert not Case.objects.filter(pk=arrived).exists()
    assert state(space) == seeded


def test_reset_keeps_the_seeded_events_real_times(spaces: tuple[Space, Space]) -> None:
    """The seeded history is restored exactly, including when (in real time) each
    event was written: an append-only audit log's times do not move on a reset."""
    a, _b = spaces
    seeded = list(Event.objects.filter(space=a).order_by("pk").values_list("pk", "real_time"))
    act(a)
    reset_space(a)
    assert list(Event.objects.filter(space=a).order_by("pk").values_list(
        "pk", "real_time")) == seeded
