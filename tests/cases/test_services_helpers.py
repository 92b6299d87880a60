"""Assertions shared by the service tests (this module holds no tests of its own).

Every action service must either write its effect and exactly one event, or
refuse and write nothing at all — except the record of a refusal the policy decides
(`<action>.refused`, sandbox.cases.services.refusals), which changes nothing else.
`one_event` and `refused` check both halves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from sandbox.cases.models import (
    Approval,
    Case,
    Event,
    Flag,
    FollowUp,
    Note,
    Referral,
    Service,
    Task,
    Transfer,
)
from sandbox.cases.services.refusals import POLICY_REFUSALS
from sandbox.common.errors import NotAllowed, SandboxError
from sandbox.configuration.models import Bundle, Role
from sandbox.spaces.models import Member, Space

from .conftest import World, assessment_data, case_plan_data

#: Every table a service may write, all filtered by space.
SPACE_TABLES = (Case, Approval, Service, Referral, Transfer, FollowUp, Note, Flag, Task, Event)


def space_state(space: Space, *, refusals: bool = True) -> dict[str, Any]:
    """Every row a service could have written in the space, as plain values
    (`refusals=False`: leaving out the records of refused attempts)."""
    state: dict[str, Any] = {
        model.__name__: list(model.objects.filter(space=space).order_by("pk").values())
        for model in SPACE_TABLES
    }
    if not refusals:
        state["Event"] = [e for e in state["Event"] if not e["action"].endswith(".refused")]
    state["Space"] = list(Space.objects.filter(pk=space.pk)
                          .values("case_counter", "clock", *(("event_counter",) if refusals else ())))
    return state


class Watch:
    """The single event an action wrote (set when the `with` block ends)."""

    event: Event


@contextmanager
def one_event(space: Space) -> Iterator[Watch]:
    """The block must write exactly one event to the space's log."""
    start = Event.objects.filter(space=space).count()
    watch = Watch()
    yield watch
    new = list(Event.objects.filter(space=space).order_by("sequence")[start:])
    assert len(new) == 1, f"expected exactly one new event, got {[e.action for e in new]}"
    watch.event = new[0]


def check_event(event: Event, action: str, actor: Member, *,
                changes: dict[str, list[Any]] | None = None, case: Case | None = None) -> None:
    """The event names the action, the actor and their role, at the space's simulated time."""
    space = Space.objects.get(pk=event.space_id)
    assert event.action == action
    assert event.actor_id == actor.pk
    assert event.actor_name == actor.name
    assert event.role == actor.role
    assert event.sim_time == space.clock
    assert event.sequence == space.event_counter
    if case is not None:
        assert event.case_id == case.pk
    if changes is not None:
        assert event.changes == changes


@contextmanager
def refused(space: Space, error: type[SandboxError] = NotAllowed, code: str | None = None,
            field: str | None = None) -> Iterator[pytest.ExceptionInfo[SandboxError]]:
    """The block must raise `error` (with `code`, naming `field`) and write nothing, but
    for the one `<action>.refused` event of a refusal the policy decides."""
    before = space_state(space, refusals=False)
    events = Event.objects.filter(space=space).count()
    with pytest.raises(error) as info:
        yield info
    if code is not None:
        assert info.value.code == code, (info.value.code, info.value.message)
    if field is not None:
        fields = info.value.details.get("fields", {})
        assert field in fields, f"{field!r} not named in {info.value.details!r}"
    assert space_state(space, refusals=False) == before, "a refused action changed the records"
    new = list(Event.objects.filter(space=space).order_by("sequence")[events:])
    if info.value.code in POLICY_REFUSALS:
        assert [e.action.endswith(".refused") and e.changes == {} for e in new] == [True], new
        assert new[0].details["code"] == info.value.code
    else:
        assert new == [], "a refused action wrote an event"


def member(world: World, role: str, *, agency: str = "dsw", groups: list[str] | None = None,
           name: str = "") -> Member:
    """Another member of the world's space."""
    from tests.factories import MemberFactory

    extra: dict[str, Any] = {"name": name} if name else {}
    return MemberFactory(space=world.space, role=role, agency=agency, user_groups=groups or [],
                         **extra)


def take_permission(role: str, action: str) -> None:
    """Remove one permission from a role of the default bundle (for roles that all have it)."""
    from django.utils import timezone

    row = Role.objects.get(bundle__code="default", code=role)
    row.permissions = [p for p in row.permissions if p != action]
    row.save()
    # A new `loaded_at` makes every process rebuild the cached configuration.
    Bundle.objects.filter(code="default").update(loaded_at=timezone.now())


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def assessed(world: World, case: Case | None = None) -> Case:
    """A consented case whose assessment is completed and approved by the supervisor."""
    from sandbox.cases import services as s

    case = case or world.consented()
    s.assessment_request(actor=world.worker, case=case)
    s.assessment_complete(actor=world.worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=world.worker, case=case, kind="assessment")
    s.approval_decide(actor=world.supervisor, approval=approval, approve=True, comment="Fine.")
    return fresh(case)


def planned(world: World, case: Case | None = None) -> Case:
    """A case whose case plan is approved: services are being provided."""
    from sandbox.cases import services as s

    case = assessed(world, case)
    s.case_plan_save(actor=world.worker, case=case, data=case_plan_data())
    approval = s.approval_request(actor=world.worker, case=case, kind="case_plan")
    s.approval_decide(actor=world.supervisor, approval=approval, approve=True)
    return fresh(case)


def test_case_numbers_take_the_module_short_name() -> None:
    from sandbox.cases.models import Case
    from sandbox.cases.services.registration import case_prefix

    assert case_prefix("cp") == "CP" and case_prefix("gbv") == "GBV"
    assert case_prefix("primeromodule-cp") == "CP"  # Primero's module ids
    assert case_prefix("primeromodule-a_very_long_name") == "NAME"
    longest = f"{case_prefix('x' * 100)}-{99999:04d}"
    assert len(longest) <= Case._meta.get_field("display_id").max_length
