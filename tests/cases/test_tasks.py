"""Deadlines from the SOP policy, per risk level, on the space's simulated clock."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Task, TaskKind
from sandbox.cases.selectors import CaseFilters, case_list, tasks_for
from sandbox.cases.services.tasks import deadline, open_task, parse_duration
from sandbox.configuration.runtime import PolicyDef
from sandbox.spaces.services import DEFAULT_START

from .conftest import World, assessment_data, case_plan_data, closure_data
from .test_services_helpers import assessed, fresh, planned

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

#: The deadlines of the default bundle's policy (seed_data/default/policy.yaml).
DEFAULT_DEADLINES = {
    ("assessment", "high"): 24 * H, ("assessment", "medium"): 5 * D, ("assessment", "low"): 10 * D,
    ("case_plan", "high"): 3 * D, ("case_plan", "medium"): 10 * D, ("case_plan", "low"): 20 * D,
    ("followup", "high"): 7 * D, ("followup", "medium"): 14 * D, ("followup", "low"): 30 * D,
    ("service", "high"): 2 * D, ("service", "medium"): 7 * D, ("service", "low"): 14 * D,
}


def _policy(deadlines: dict[str, dict[str, str]], upcoming_days: int = 7) -> PolicyDef:
    return PolicyDef(deadlines=deadlines, upcoming_days=upcoming_days, approvals={},
                     consent_fields={}, consent_required={})


# Pure rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("24h", 24 * H), ("1h", H), ("5d", 5 * D),
                                                ("0d", dt.timedelta(0))])
def test_parse_duration(text: str, expected: dt.timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "5", "d5", "5w", "1.5d", "-1d", "5 d"])
def test_parse_duration_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_deadline_per_risk_level() -> None:
    policy = _policy({"assessment": {"high": "24h", "medium": "5d", "low": "10d"}})
    assert deadline(policy, "assessment", "high") == 24 * H
    assert deadline(policy, "assessment", "medium") == 5 * D
    assert deadline(policy, "assessment", "low") == 10 * D


@pytest.mark.parametrize("risk", ["", "unknown", "extreme", "HIGH"])
def test_unknown_risk_counts_as_the_most_urgent(risk: str) -> None:
    # Listed in no particular order: the shortest wins, not the first.
    policy = _policy({"assessment": {"low": "10d", "high": "24h", "medium": "5d"}})
    assert deadline(policy, "assessment", risk) == 24 * H


def test_kind_without_deadlines_has_no_due_date() -> None:
    # Format 2: deadlines are optional; no deadline, no task.
    assert deadline(_policy({}), "followup", "high") is None


def test_level_missing_from_a_partial_list_has_no_due_date() -> None:
    policy = dataclasses.replace(_policy({"assessment": {"high": "24h"}}),
                                 risk_levels=("high", "medium", "low"))
    assert deadline(policy, "assessment", "high") == 24 * H
    assert deadline(policy, "assessment", "low") is None
    assert deadline(policy, "assessment", "") == 24 * H  # not yet assessed: most urgent


@pytest.mark.parametrize(("due", "state"), [
    (DEFAULT_START - H, "overdue"),
    (DEFAULT_START, "upcoming"),               # due now is not yet overdue
    (DEFAULT_START + 7 * D, "upcoming"),       # the last day of the window
    (DEFAULT_START + 7 * D + H, "later"),
])
def test_task_state(due: dt.datetime, state: str) -> None:
    task = Task(kind=TaskKind.ASSESSMENT, started_at=DEFAULT_START - 10 * D, due_at=due)
    assert task.state(DEFAULT_START, 7) == state


def test_completed_task_is_done_even_when_late() -> None:
    task = Task(kind=TaskKind.ASSESSMENT, started_at=DEFAULT_START - 10 * D,
                due_at=DEFAULT_START - 5 * D, completed_at=DEFAULT_START)
    assert task.state(DEFAULT_START, 7) == "done"


def test_upcoming_window_comes_from_the_policy() -> None:
    task = Task(kind=TaskKind.ASSESSMENT, started_at=DEFAULT_START, due_at=DEFAULT_START + 3 * D)
    assert task.state(DEFAULT_START, 2) == "later"
    assert task.state(DEFAULT_START, 3) == "upcoming"


# The default policy ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "risk"), sorted(DEFAULT_DEADLINES))
def test_default_policy_deadlines(world: World, kind: str, risk: str) -> None:
    policy = world.space.module_config.policy
    assert deadline(policy, kind, risk) == DEFAULT_DEADLINES[(kind, risk)]
    assert policy.upcoming_days == 7


@pytest.mark.django_db
@pytest.mark.parametrize(("risk", "allowed"), [("high", 24 * H), ("medium", 5 * D), ("low", 10 * D)])
def test_registration_opens_the_assessment_task(world: World, risk: str,
                                                allowed: dt.timedelta) -> None:
    w = world
    w.space.advance_clock(5 * H)
    case = w.case(risk_level=risk)
    task = case.tasks.get()
    assert task.kind == TaskKind.ASSESSMENT
    assert task.started_at == w.space.clock
    assert task.due_at == w.space.clock + allowed
    assert task.completed_at is None


@pytest.mark.django_db
def test_task_of_a_case_without_risk_level_is_the_most_urgent(world: World) -> None:
    w = world
    case = s.case_identify(actor=w.worker, data={"name_first": "Amina"})
    assert case.risk_level == ""
    task = open_task(case, w.space.module_config.policy, TaskKind.ASSESSMENT, w.space.clock)
    assert task.due_at == w.space.clock + 24 * H


# On the simulated clock ----------------------------------------------------------------------


@pytest.mark.django_db
def test_states_as_the_clock_advances(world: World) -> None:
    w = world
    case = w.case(risk_level="low")  # assessment due in 10 days
    task = case.tasks.get()
    upcoming_days = w.space.module_config.policy.upcoming_days

    def state() -> str:
        return fresh(task).state(w.space.clock, upcoming_days)

    def overdue_ids() -> list[str]:
        return [c.display_id for c in case_list(viewer=w.worker, filters=CaseFilters(overdue=True))]

    assert state() == "later" and overdue_ids() == []
    w.space.advance_clock(3 * D)
    assert state() == "upcoming"
    w.space.advance_clock(7 * D)
    assert state() == "upcoming" and overdue_ids() == []  # due this very minute
    w.space.advance_clock(dt.timedelta(minutes=1))
    assert state() == "overdue" and overdue_ids() == [case.display_id]
    assert case_list(viewer=w.worker).get().is_overdue


@pytest.mark.django_db
def test_advance_clock_moves_forward_only(world: World) -> None:
    space = world.space
    start = space.clock
    with pytest.raises(ValueError):
        space.advance_clock(-H)
    with pytest.raises(ValueError):
        space.advance_clock(dt.timedelta(0))
    assert space.advance_clock(2 * H) == start + 2 * H
    assert type(space).objects.get(pk=space.pk).clock == start + 2 * H


@pytest.mark.django_db
def test_lower_risk_moves_an_overdue_task_back_into_time(world: World) -> None:
    w = world
    case = w.case(risk_level="high")
    task = case.tasks.get()
    w.space.advance_clock(30 * H)
    assert fresh(task).state(w.space.clock, 7) == "overdue"
    s.followup_record(actor=w.worker, case=case, date="2026-03-03", followup_type="home_visit",
                      findings="Safe with the aunt.", risk_level="low")
    task = fresh(task)
    assert task.due_at == task.started_at + 10 * D  # from the start, not from now
    assert task.state(w.space.clock, 7) == "later"


@pytest.mark.django_db
def test_my_tasks_most_urgent_first(world: World) -> None:
    w = world
    low = w.case(risk_level="low")
    high = w.case(risk_level="high")
    s.case_register(actor=w.colleague, data={
        "name_first": "Yusuf", "name_last": "Kamara", "sex": "male", "age": 9,
        "location_current": "LR010101", "date_identified": "2026-03-01",
        "identified_by": "hotline", "protection_concerns": ["neglect"], "risk_level": "high"})
    assert [t.case for t in tasks_for(viewer=w.worker)] == [high, low]
    assert [t.case for t in tasks_for(viewer=w.worker, case=low)] == [low]


# Tasks completed by the right actions --------------------------------------------------------


def _open(case_tasks: object) -> list[str]:
    return sorted(t.kind for t in case_tasks.filter(completed_at__isnull=True))  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_assessment_completes_its_task_and_opens_the_case_plan_task(world: World) -> None:
    w = world
    case = w.case(risk_level="medium")
    s.assessment_request(actor=w.worker, case=case)
    assert _open(case.tasks) == ["assessment"]
    w.space.advance_clock(2 * D)
    s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    assert case.tasks.get(kind=TaskKind.ASSESSMENT).completed_at == w.space.clock
    plan = case.tasks.get(kind=TaskKind.CASE_PLAN)
    assert plan.due_at == w.space.clock + 10 * D
    assert _open(case.tasks) == ["case_plan"]


@pytest.mark.django_db
def test_approved_case_plan_completes_its_task_and_opens_follow_up(world: World) -> None:
    w = world
    case = assessed(w)
    s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())
    assert _open(case.tasks) == ["case_plan"]  # saved, but not yet approved
    approval = s.approval_request(actor=w.worker, case=case, kind="case_plan")
    w.space.advance_clock(H)
    s.approval_decide(actor=w.supervisor, approval=approval, approve=True)
    assert case.tasks.get(kind=TaskKind.CASE_PLAN).completed_at == w.space.clock
    followup = case.tasks.get(kind=TaskKind.FOLLOWUP)
    assert followup.due_at == w.space.clock + 7 * D
    assert _open(case.tasks) == ["followup"]


@pytest.mark.django_db
def test_follow_up_completes_its_task_and_opens_the_next(world: World) -> None:
    w = world
    case = planned(w)
    first = case.tasks.get(kind=TaskKind.FOLLOWUP)
    w.space.advance_clock(D)
    s.followup_record(actor=w.worker, case=case, date="2026-03-03", followup_type="home_visit",
                      findings="Fine.")
    assert fresh(first).completed_at == w.space.clock
    nxt = case.tasks.get(kind=TaskKind.FOLLOWUP, completed_at__isnull=True)
    assert nxt.started_at == w.space.clock and nxt.due_at == w.space.clock + 7 * D


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["accept", "reject"])
def test_answer_to_a_referral_completes_its_own_task_only(world: World, answer: str) -> None:
    w = world
    case = w.consented(risk_level="medium")
    first = s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                              reason="case_plan_service", to_member=w.provider.pk)
    second = s.referral_create(actor=w.worker, case=case, service_type="health_care",
                               reason="case_plan_service", to_agency="amal")
    assert first.tasks.get().due_at == w.space.clock + 7 * D
    w.space.advance_clock(H)
    if answer == "accept":
        s.referral_accept(actor=w.provider, referral=first)
    else:
        s.referral_reject(actor=w.provider, referral=first, comment="No capacity.")
    assert first.tasks.get().completed_at == w.space.clock
    assert second.tasks.get().completed_at is None


@pytest.mark.django_db
def test_closure_completes_every_task(world: World) -> None:
    w = world
    case = w.consented()
    s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                      reason="case_plan_service", to_member=w.provider.pk)
    assert _open(case.tasks) == ["assessment", "service"]
    approval = s.approval_request(actor=w.worker, case=case, kind="closure")
    s.approval_decide(actor=w.supervisor, approval=approval, approve=True)
    w.space.advance_clock(D)
    s.case_close(actor=w.worker, case=case, data=closure_data())
    assert _open(case.tasks) == []
    assert set(case.tasks.values_list("completed_at", flat=True)) == {w.space.clock}
    assert tasks_for(viewer=w.worker).count() == 0
