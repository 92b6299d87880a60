"""The assessment, the case plan and the supervisor's approvals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Approval, ApprovalStatus, Case, Stage, Status, TaskKind
from sandbox.common.errors import ValidationFailed

from .conftest import World, assessment_data, case_plan_data, registration_data
from .test_services_helpers import assessed, check_event, fresh, member, one_event, refused

pytestmark = pytest.mark.django_db


# assessment.request --------------------------------------------------------------------------


def test_request_assessment(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        s.assessment_request(actor=w.worker, case=case)
    case = fresh(case)
    assert case.assessment_started and case.stage == Stage.ASSESSMENT
    check_event(watch.event, "assessment.request", w.worker, case=case,
                changes={"stage": ["new", "assessment"]})


def test_request_assessment_twice_is_refused(world: World) -> None:
    case = world.case()
    s.assessment_request(actor=world.worker, case=case)
    with refused(world.space, ValidationFailed, code="already_started"):
        s.assessment_request(actor=world.worker, case=case)


def test_request_assessment_of_an_unregistered_child_is_refused(world: World) -> None:
    case = s.case_identify(actor=world.worker, data={"name_first": "Amina"})
    with refused(world.space, ValidationFailed, code="not_registered"):
        s.assessment_request(actor=world.worker, case=case)


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_request_assessment_forbidden_by_role(world: World, role: str) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_role"):
        s.assessment_request(actor=member(world, role), case=case)


def test_request_assessment_forbidden_by_scope(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.assessment_request(actor=world.outsider, case=case)


# assessment.complete -------------------------------------------------------------------------


def test_complete_assessment(world: World) -> None:
    w = world
    case = w.case()
    s.assessment_request(actor=w.worker, case=case)
    w.space.advance_clock(dt.timedelta(hours=5))
    with one_event(w.space) as watch:
        s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    case = fresh(case)
    assert case.assessment_completed_at == w.space.clock
    assert case.data["assessed_needs"] == ["family_tracing", "psychosocial"]
    assert case.stage == Stage.ASSESSMENT  # waits for the supervisor's approval
    assert case.tasks.get(kind=TaskKind.ASSESSMENT).completed_at == w.space.clock
    plan_task = case.tasks.get(kind=TaskKind.CASE_PLAN)
    assert plan_task.completed_at is None
    assert plan_task.due_at == w.space.clock + dt.timedelta(days=3)  # high risk
    check_event(watch.event, "assessment.complete", w.worker, case=case, changes={
        "data.assessed_needs": [None, ["family_tracing", "psychosocial"]],
        "data.assessment_summary": [None, assessment_data()["assessment_summary"]],
    })


def test_complete_assessment_without_request_starts_it(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    case = fresh(case)
    assert case.assessment_started and case.stage == Stage.ASSESSMENT
    assert watch.event.changes["stage"] == ["new", "assessment"]


@pytest.mark.parametrize(("data", "field"), [
    ({"assessed_needs": ["safety"]}, "assessment_summary"),          # required field missing
    ({"assessment_summary": 42}, "assessment_summary"),              # wrong type
    ({"assessment_summary": "ok", "safety_rating": "dire"}, "safety_rating"),  # unknown option
    ({"assessment_summary": "ok", "assessed_needs": ["pony"]}, "assessed_needs"),
    ({"assessment_summary": "ok", "assessment_date": "31/12/2026"}, "assessment_date"),
    ({"assessment_summary": "ok", "name_first": "Amina"}, "name_first"),  # not in this step
    ({"assessment_summary": "ok", "mood": "sunny"}, "mood"),
])
def test_complete_assessment_bad_data(world: World, data: dict[str, Any], field: str) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, field=field):
        s.assessment_complete(actor=world.worker, case=case, data=data)


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_complete_assessment_forbidden_by_role(world: World, role: str) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_role"):
        s.assessment_complete(actor=member(world, role), case=case, data=assessment_data())


def test_complete_assessment_forbidden_by_scope(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.assessment_complete(actor=world.outsider, case=case, data=assessment_data())


# case_plan.save ------------------------------------------------------------------------------


def test_save_case_plan_after_the_approved_assessment(world: World) -> None:
    w = world
    case = assessed(w)
    assert case.stage == Stage.CASE_PLAN
    with one_event(w.space) as watch:
        s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())
    case = fresh(case)
    assert case.case_plan_saved_at == w.space.clock
    assert case.data["case_plan_items"] == case_plan_data()["case_plan_items"]
    assert case.stage == Stage.CASE_PLAN  # waits for the supervisor's approval
    check_event(watch.event, "case_plan.save", w.worker, case=case, changes={
        "data.case_plan_items": [None, case_plan_data()["case_plan_items"]]})


def test_case_plan_refused_before_the_assessment_is_completed(world: World) -> None:
    case = world.consented()
    s.assessment_request(actor=world.worker, case=case)
    with refused(world.space, ValidationFailed, code="assessment_not_completed"):
        s.case_plan_save(actor=world.worker, case=case, data=case_plan_data())


def test_case_plan_refused_before_the_assessment_is_approved(world: World) -> None:
    w = world
    case = w.case()
    s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    with refused(w.space, ValidationFailed, code="assessment_not_approved"):
        s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())
    approval = s.approval_request(actor=w.worker, case=case, kind="assessment")
    with refused(w.space, ValidationFailed, code="assessment_not_approved"):
        s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())
    s.approval_decide(actor=w.supervisor, approval=approval, approve=False,
                      comment="The child's views are missing.")
    with refused(w.space, ValidationFailed, code="assessment_not_approved"):
        s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())


@pytest.mark.parametrize(("data", "field"), [
    ({}, "case_plan_items"),
    ({"case_plan_items": []}, "case_plan_items"),
    ({"case_plan_items": "trace the family"}, "case_plan_items"),
    ({"case_plan_items": [{"plan_need": "family_tracing"}]}, "case_plan_items"),
    ({"case_plan_items": case_plan_data()["case_plan_items"], "plan_participation": ["dog"]},
     "plan_participation"),
])
def test_case_plan_bad_data(world: World, data: dict[str, Any], field: str) -> None:
    case = assessed(world)
    with refused(world.space, ValidationFailed, field=field):
        s.case_plan_save(actor=world.worker, case=case, data=data)


def test_case_plan_bad_row_names_the_row_and_column(world: World) -> None:
    case = assessed(world)
    good = case_plan_data()["case_plan_items"][0]
    bad = {**good, "plan_target_date": "soon"}
    with refused(world.space, ValidationFailed, field="case_plan_items") as info:
        s.case_plan_save(actor=world.worker, case=case, data={"case_plan_items": [good, bad]})
    message = info.value.details["fields"]["case_plan_items"][0]
    assert "Row 2" in message and "plan_target_date" in message


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_case_plan_forbidden_by_role(world: World, role: str) -> None:
    case = assessed(world)
    with refused(world.space, code="forbidden_by_role"):
        s.case_plan_save(actor=member(world, role), case=case, data=case_plan_data())


def test_case_plan_forbidden_by_scope(world: World) -> None:
    case = assessed(world)
    with refused(world.space, code="forbidden_by_scope"):
        s.case_plan_save(actor=world.outsider, case=case, data=case_plan_data())


# approval.request ----------------------------------------------------------------------------


def test_request_approval(world: World) -> None:
    w = world
    case = w.case()
    s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    with one_event(w.space) as watch:
        approval = s.approval_request(actor=w.worker, case=case, kind="assessment",
                                      comment="  Please review.  ")
    approval = fresh(approval)
    assert (approval.kind, approval.status) == ("assessment", ApprovalStatus.PENDING)
    assert approval.request_comment == "Please review."
    assert approval.created_by == w.worker and approval.created_at == w.space.clock
    check_event(watch.event, "approval.request", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("approval", approval.pk)
    assert watch.event.details == {"kind": "assessment", "comment": "Please review."}


def test_request_closure_approval_any_time(world: World) -> None:
    case = world.case()
    approval = s.approval_request(actor=world.worker, case=case, kind="closure")
    assert approval.status == ApprovalStatus.PENDING


@pytest.mark.parametrize(("kind", "code"), [
    ("assessment", "assessment_not_completed"),
    ("case_plan", "case_plan_not_saved"),
])
def test_request_approval_of_work_not_done(world: World, kind: str, code: str) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, code=code):
        s.approval_request(actor=world.worker, case=case, kind=kind)


def test_request_approval_twice_is_refused(world: World) -> None:
    case = world.case()
    s.approval_request(actor=world.worker, case=case, kind="closure")
    with refused(world.space, ValidationFailed, code="approval_pending"):
        s.approval_request(actor=world.worker, case=case, kind="closure")


@pytest.mark.parametrize("kind", ["holiday", "", None])
def test_request_approval_of_unknown_kind(world: World, kind: Any) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, field="kind"):
        s.approval_request(actor=world.worker, case=case, kind=kind)


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_request_approval_forbidden_by_role(world: World, role: str) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_role"):
        s.approval_request(actor=member(world, role), case=case, kind="closure")


def test_request_approval_forbidden_by_scope(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.approval_request(actor=world.outsider, case=case, kind="closure")


# approval.decide -----------------------------------------------------------------------------


def _assessment_approval(w: World, case: Case | None = None) -> Approval:
    case = case or w.case()
    s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    return s.approval_request(actor=w.worker, case=case, kind="assessment")


def test_approve_assessment(world: World) -> None:
    w = world
    approval = _assessment_approval(w)
    w.space.advance_clock(dt.timedelta(hours=3))
    with one_event(w.space) as watch:
        s.approval_decide(actor=w.supervisor, approval=approval, approve=True, comment=" Good. ")
    approval = fresh(approval)
    assert approval.status == ApprovalStatus.APPROVED
    assert approval.decided_by == w.supervisor and approval.decided_at == w.space.clock
    assert approval.decision_comment == "Good."
    case = approval.case
    assert case.stage == Stage.CASE_PLAN and case.updated_at == w.space.clock
    check_event(watch.event, "approval.decide", w.supervisor, case=case,
                changes={"stage": ["assessment", "case_plan"]})
    assert (watch.event.record_type, watch.event.record_id) == ("approval", approval.pk)
    assert watch.event.details == {"kind": "assessment", "approved": True, "comment": "Good."}


def test_approve_case_plan_starts_services(world: World) -> None:
    w = world
    case = assessed(w)
    s.case_plan_save(actor=w.worker, case=case, data=case_plan_data())
    approval = s.approval_request(actor=w.worker, case=case, kind="case_plan")
    with one_event(w.space) as watch:
        s.approval_decide(actor=w.supervisor, approval=approval, approve=True)
    case = fresh(case)
    assert case.stage == Stage.SERVICE_PROVISION
    assert case.tasks.get(kind=TaskKind.CASE_PLAN).completed_at == w.space.clock
    assert case.tasks.get(kind=TaskKind.FOLLOWUP).completed_at is None
    assert watch.event.changes == {"stage": ["case_plan", "service_provision"]}


def test_reject_with_a_comment(world: World) -> None:
    w = world
    approval = _assessment_approval(w)
    with one_event(w.space) as watch:
        s.approval_decide(actor=w.supervisor, approval=approval, approve=False,
                          comment="Ask the child's views.")
    approval = fresh(approval)
    assert approval.status == ApprovalStatus.REJECTED
    assert approval.decision_comment == "Ask the child's views."
    assert approval.case.stage == Stage.ASSESSMENT
    check_event(watch.event, "approval.decide", w.supervisor, changes={})
    assert watch.event.details["approved"] is False


@pytest.mark.parametrize("comment", ["", "   "])
def test_reject_without_a_comment_fails(world: World, comment: str) -> None:
    approval = _assessment_approval(world)
    with refused(world.space, ValidationFailed, field="comment"):
        s.approval_decide(actor=world.supervisor, approval=approval, approve=False, comment=comment)


@pytest.mark.parametrize("approve", ["yes", None])
def test_decide_needs_a_yes_or_no(world: World, approve: Any) -> None:
    approval = _assessment_approval(world)
    with refused(world.space, ValidationFailed, field="approve"):
        s.approval_decide(actor=world.supervisor, approval=approval, approve=approve,
                          comment="Hmm.")


def test_decide_twice_is_refused(world: World) -> None:
    approval = _assessment_approval(world)
    s.approval_decide(actor=world.supervisor, approval=approval, approve=True)
    with refused(world.space, ValidationFailed, code="already_decided"):
        s.approval_decide(actor=world.supervisor, approval=fresh(approval), approve=False,
                          comment="Changed my mind.")


def test_decide_with_a_stale_copy_is_refused(world: World) -> None:
    """Two supervisors open the same pending approval; the second decision must
    not overwrite the first (the service must read the approval as it is now)."""
    w = world
    approval = _assessment_approval(w)
    stale = fresh(approval)
    manager = member(w, "manager", agency="dsw")
    s.approval_decide(actor=w.supervisor, approval=approval, approve=True)
    with refused(w.space, ValidationFailed, code="already_decided"):
        s.approval_decide(actor=manager, approval=stale, approve=False, comment="No.")


@pytest.mark.parametrize("who", ["worker", "colleague", "provider", "outsider"])
def test_decide_forbidden_by_role(world: World, who: str) -> None:
    approval = _assessment_approval(world)
    with refused(world.space, code="forbidden_by_role"):
        s.approval_decide(actor=getattr(world, who), approval=approval, approve=True)


@pytest.mark.parametrize(("role", "agency", "groups"), [
    ("supervisor", "dsw", ["dsw_south"]),   # another group of the same agency
    ("manager", "cfi", []),                 # another agency
])
def test_decide_forbidden_by_scope(world: World, role: str, agency: str,
                                   groups: list[str]) -> None:
    approval = _assessment_approval(world)
    who = member(world, role, agency=agency, groups=groups)
    with refused(world.space, code="forbidden_by_scope"):
        s.approval_decide(actor=who, approval=approval, approve=True)


def test_manager_of_the_agency_may_decide(world: World) -> None:
    approval = _assessment_approval(world)
    manager = member(world, "manager", agency="dsw")
    with one_event(world.space) as watch:
        s.approval_decide(actor=manager, approval=approval, approve=True)
    check_event(watch.event, "approval.decide", manager)


def test_supervisor_cannot_decide_on_own_case(world: World) -> None:
    w = world
    case = s.case_register(actor=w.supervisor, data=registration_data())
    s.assessment_complete(actor=w.supervisor, case=case, data=assessment_data())
    approval = s.approval_request(actor=w.supervisor, case=case, kind="assessment")
    with refused(w.space, code="own_case"):
        s.approval_decide(actor=w.supervisor, approval=approval, approve=True)


def test_administrator_may_decide_on_own_case(world: World) -> None:
    w = world
    case = s.case_register(actor=w.admin, data=registration_data())
    s.assessment_complete(actor=w.admin, case=case, data=assessment_data())
    approval = s.approval_request(actor=w.admin, case=case, kind="assessment")
    with one_event(w.space) as watch:
        s.approval_decide(actor=w.admin, approval=approval, approve=True)
    assert fresh(approval).status == ApprovalStatus.APPROVED
    check_event(watch.event, "approval.decide", w.admin, case=case)


def test_approving_closure_of_a_closed_case_changes_nothing_else(world: World) -> None:
    w = world
    case = w.case()
    approval = s.approval_request(actor=w.worker, case=case, kind="closure")
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, stage=Stage.CLOSED)
    with one_event(w.space) as watch:
        s.approval_decide(actor=w.supervisor, approval=approval, approve=True)
    assert fresh(case).stage == Stage.CLOSED
    assert watch.event.changes == {}
