"""Closing a case after the supervisor's approval, and reopening it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Case, Stage, Status, TaskKind
from sandbox.common.errors import ValidationFailed

from .conftest import World, closure_data
from .test_services_helpers import check_event, fresh, member, one_event, planned, refused

pytestmark = pytest.mark.django_db


def _approve_closure(w: World, case: Case) -> None:
    approval = s.approval_request(actor=w.worker, case=case, kind="closure")
    s.approval_decide(actor=w.supervisor, approval=approval, approve=True, comment="Agreed.")


def _closed(w: World) -> Case:
    case = w.case()
    _approve_closure(w, case)
    s.case_close(actor=w.worker, case=case, data=closure_data())
    return fresh(case)


# case.close ----------------------------------------------------------------------------------


def test_close_after_approval(world: World) -> None:
    w = world
    case = planned(w)
    assert case.tasks.filter(completed_at__isnull=True).exists()
    _approve_closure(w, case)
    w.space.advance_clock(dt.timedelta(days=1))
    with one_event(w.space) as watch:
        s.case_close(actor=w.worker, case=case, data=closure_data())
    case = fresh(case)
    assert (case.status, case.stage, case.closed_at) == (Status.CLOSED, Stage.CLOSED, w.space.clock)
    assert case.data["closure_reason"] == "reunified"
    assert not case.tasks.filter(completed_at__isnull=True).exists()
    assert case.tasks.get(kind=TaskKind.FOLLOWUP).completed_at == w.space.clock
    check_event(watch.event, "case.close", w.worker, case=case, changes={
        "status": ["open", "closed"], "stage": ["service_provision", "closed"],
        **{f"data.{k}": [None, v] for k, v in closure_data().items()},
    })


def test_close_without_approval_is_blocked(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed, code="closure_not_approved"):
        s.case_close(actor=w.worker, case=case, data=closure_data())
    s.approval_request(actor=w.worker, case=case, kind="closure")
    with refused(w.space, ValidationFailed, code="closure_not_approved"):  # still pending
        s.case_close(actor=w.worker, case=case, data=closure_data())


def test_close_after_a_rejected_closure_is_blocked(world: World) -> None:
    w = world
    case = w.case()
    _approve_closure(w, case)
    second = s.approval_request(actor=w.worker, case=case, kind="closure")
    w.space.advance_clock(dt.timedelta(hours=1))
    s.approval_decide(actor=w.supervisor, approval=second, approve=False,
                      comment="The aunt has not been visited yet.")
    with refused(w.space, ValidationFailed, code="closure_not_approved"):
        s.case_close(actor=w.worker, case=case, data=closure_data())


def test_other_approvals_do_not_allow_closure(world: World) -> None:
    w = world
    case = planned(w)  # assessment and case plan approved
    with refused(w.space, ValidationFailed, code="closure_not_approved"):
        s.case_close(actor=w.worker, case=case, data=closure_data())


def test_close_clears_the_other_reason_unless_the_reason_is_other(world: World) -> None:
    w = world
    case = w.case()
    _approve_closure(w, case)
    s.case_close(actor=w.worker, case=case,
                 data={**closure_data(), "closure_other_reason": "Moved abroad"})
    assert "closure_other_reason" not in fresh(case).data


@pytest.mark.parametrize(("change", "field"), [
    ({"closure_reason": None}, "closure_reason"),
    ({"closure_reason": "bored"}, "closure_reason"),
    ({"closure_date": "3 March"}, "closure_date"),
    ({"closure_final_situation": ""}, "closure_final_situation"),
    ({"closure_safety_confirmed": "yes"}, "closure_safety_confirmed"),
    ({"closure_goals_met": "maybe"}, "closure_goals_met"),
    ({"closure_mood": "happy"}, "closure_mood"),
])
def test_close_bad_data(world: World, change: dict[str, Any], field: str) -> None:
    w = world
    case = w.case()
    _approve_closure(w, case)
    data = {k: v for k, v in {**closure_data(), **change}.items() if v is not None}
    with refused(w.space, ValidationFailed, field=field):
        s.case_close(actor=w.worker, case=case, data=data)


def test_close_a_closed_case_is_refused(world: World) -> None:
    case = _closed(world)
    with refused(world.space, ValidationFailed, code="case_closed"):
        s.case_close(actor=world.worker, case=case, data=closure_data())


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_close_forbidden_by_role(world: World, role: str) -> None:
    case = world.case()
    _approve_closure(world, case)
    with refused(world.space, code="forbidden_by_role"):
        s.case_close(actor=member(world, role), case=case, data=closure_data())


def test_close_forbidden_by_scope(world: World) -> None:
    case = world.case()
    _approve_closure(world, case)
    with refused(world.space, code="forbidden_by_scope"):
        s.case_close(actor=world.outsider, case=case, data=closure_data())


# case.reopen ---------------------------------------------------------------------------------


def test_reopen(world: World) -> None:
    w = world
    case = _closed(w)
    w.space.advance_clock(dt.timedelta(days=20))
    with one_event(w.space) as watch:
        s.case_reopen(actor=w.worker, case=case, reason="  The aunt has left.  ")
    case = fresh(case)
    assert (case.status, case.stage) == (Status.OPEN, Stage.REOPENED)
    assert case.closed_at is None and case.reopened_at == w.space.clock
    check_event(watch.event, "case.reopen", w.worker, case=case, changes={
        "status": ["closed", "open"], "stage": ["closed", "reopened"]})
    assert watch.event.details == {"reason": "The aunt has left."}


def test_after_reopening_a_new_closure_approval_is_needed(world: World) -> None:
    w = world
    case = _closed(w)
    w.space.advance_clock(dt.timedelta(days=3))
    s.case_reopen(actor=w.worker, case=case, reason="New concerns reported by the school.")
    with refused(w.space, ValidationFailed, code="closure_not_approved"):
        s.case_close(actor=w.worker, case=case, data=closure_data())
    _approve_closure(w, case)
    with one_event(w.space) as watch:
        s.case_close(actor=w.worker, case=case, data=closure_data())
    check_event(watch.event, "case.close", w.worker, changes=None)
    assert fresh(case).status == Status.CLOSED


def test_after_reopening_at_the_same_simulated_time_a_new_approval_is_needed(world: World) -> None:
    """The simulated clock moves only when someone advances it, so closing,
    reopening and closing again can all happen at the same simulated minute.
    The approval given before the reopening must still not count."""
    w = world
    case = _closed(w)
    s.case_reopen(actor=w.worker, case=case, reason="Closed by mistake.")
    with refused(w.space, ValidationFailed, code="closure_not_approved"):
        s.case_close(actor=w.worker, case=case, data=closure_data())


def test_reopen_needs_a_reason(world: World) -> None:
    case = _closed(world)
    for reason in ("", "   ", None):
        with refused(world.space, ValidationFailed, field="reason"):
            s.case_reopen(actor=world.worker, case=case, reason=reason)  # type: ignore[arg-type]


def test_reopen_an_open_case_is_refused(world: World) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, code="already_open"):
        s.case_reopen(actor=world.worker, case=case, reason="Why not.")


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_reopen_forbidden_by_role(world: World, role: str) -> None:
    case = _closed(world)
    with refused(world.space, code="forbidden_by_role"):
        s.case_reopen(actor=member(world, role), case=case, reason="New concerns.")


def test_reopen_forbidden_by_scope(world: World) -> None:
    case = _closed(world)
    with refused(world.space, code="forbidden_by_scope"):
        s.case_reopen(actor=world.outsider, case=case, reason="New concerns.")


def test_closed_case_refuses_work_until_reopened(world: World) -> None:
    w = world
    case = _closed(w)
    with refused(w.space, ValidationFailed, code="case_closed"):
        s.service_add(actor=w.worker, case=case, service_type="education")
    with refused(w.space, ValidationFailed, code="case_closed"):
        s.followup_record(actor=w.worker, case=case, date="2026-03-02", followup_type="phone_call",
                          findings="Fine.")
    s.case_reopen(actor=w.worker, case=case, reason="New concerns.")
    s.service_add(actor=w.worker, case=case, service_type="education")
