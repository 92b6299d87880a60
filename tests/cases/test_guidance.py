"""Guidance on the case page: the step bar shows the true state of each step, the next-step
hint agrees with it through a case, and the hint is read from the case and the policy."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sandbox.cases import services as s
from sandbox.cases.models import Approval, Case

from .conftest import World, assessment_data, case_plan_data
from .test_pages import as_member, body, url


def guidance(client: Client, world: World, case: Case) -> tuple[dict[str, str], str, str]:
    page = body(client.get(url(world, "detail", display_id=case.display_id)))
    states = dict(re.findall(r'class="sop-step [^"]*" data-step="(\w+)" data-state="(\w+)"', page))
    hint = re.search(r'id="next-step" data-step="(\w+)" data-action="([\w-]*)"', page)
    assert hint is not None, "no next-step hint on the case page"
    return states, hint.group(1), hint.group(2)


def current(states: dict[str, str]) -> str:
    return next(step for step, state in states.items() if state == "current")


@pytest.mark.django_db
def test_an_identified_child_is_not_registered_on_the_step_bar(client: Client, world: World) -> None:
    case = s.case_identify(actor=world.worker, data={"name_first": "Amina"})
    states, step, action = guidance(as_member(client, world.worker), world, case)
    assert states["registration"] == "current" and step == "registration" and action == "register"
    assert set(list(states.values())[1:]) == {"todo"}


@pytest.mark.django_db
def test_hint_and_step_bar_follow_the_case(client: Client, world: World) -> None:
    worker = as_member(client, world.worker)
    case = world.case()
    states, step, action = guidance(worker, world, case)
    # Registered, but no consent recorded: consent is not done.
    assert states["registration"] == "done" and states["consent"] == "current"
    assert (step, action) == ("consent", "consent")

    for kind in ("services", "share_information"):
        s.consent_record(actor=world.worker, case=case, consent_type=kind, given=True,
                         given_by="both")
    states, step, action = guidance(worker, world, case)
    assert states["consent"] == "done" and current(states) == step == "assessment"
    assert action == "assessment-request"

    s.assessment_request(actor=world.worker, case=case)
    assert guidance(worker, world, case)[1:] == ("assessment", "assessment-complete")
    s.assessment_complete(actor=world.worker, case=case, data=assessment_data())
    assert guidance(worker, world, case)[1:] == ("assessment", "approval-request")

    approval = s.approval_request(actor=world.worker, case=case, kind="assessment")
    states, step, action = guidance(worker, world, case)
    assert states["assessment"] == "current" and (step, action) == ("assessment", "")

    s.approval_decide(actor=world.supervisor, approval=Approval.objects.get(pk=approval.pk),
                      approve=True, comment="Fine.")
    states, step, action = guidance(worker, world, case)
    assert states["assessment"] == "done" and (step, action) == ("case_plan", "case-plan")

    s.case_plan_save(actor=world.worker, case=Case.objects.get(pk=case.pk), data=case_plan_data())
    states, step, action = guidance(worker, world, case)
    assert states["case_plan"] == "current" and action == "approval-request"
