"""Submitting an attempt: score it and keep the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.cases.models import Event
from sandbox.common.errors import Conflict, NotFound
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.world import scenario_of
from sandbox.spaces.models import Member

from .attempts import attempt_of
from .engine import score
from .models import Report


def timeline_of(member: Member, seed: SpaceSeed, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The attempt's events, each with the rules it proves or breaks."""
    verdicts: dict[int, list[dict[str, Any]]] = {}
    for rule in result["rules"]:
        for sequence in rule["evidence"]:
            verdicts.setdefault(sequence, []).append({"id": rule["id"], "passed": rule["passed"],
                                                      "rule": rule["rule"]})
    rows = Event.objects.filter(space_id=member.space_id, sequence__gt=seed.seeded_events) \
        .select_related("case").order_by("sequence")
    return [
        {"sequence": e.sequence, "sim_time": e.sim_time.isoformat(),
         "when": e.sim_time.strftime("%Y-%m-%d %H:%M"), "action": e.action,
         "actor": e.actor_name, "role": e.role, "case": e.case.display_id if e.case else "",
         "rules": verdicts.get(e.sequence, [])}
        for e in rows
    ]


@transaction.atomic
def submit(*, member: Member) -> Report:
    """Score the member's space now and keep the report (it survives resets)."""
    space = member.space
    seed = SpaceSeed.objects.filter(space=space).first()
    if seed is None:
        raise NotFound(_("This space is not an exercise: there is nothing to score."))
    if space.closed_at is not None:
        # what was there when it closed has been scored; nothing newer can be
        raise Conflict(_("This exercise is closed: nothing more can be submitted."),
                       code="space_closed")
    scenario = scenario_of(seed)
    report = score(scenario, attempt_of(space, seed))
    result = report.as_dict()
    return Report.objects.create(
        space=space, space_slug=space.slug, user=member.user, scenario_id=scenario.id,
        scenario_version=scenario.version, scenario_sha256=seed.scenario_sha256,
        score=report.score, max_score=report.max_score,
        percent=report.percent, passed=report.passed, result=result,
        timeline=timeline_of(member, seed, result), sim_time=space.clock)


#: Layers above (workshops) register here how a submission in one of their spaces is
#: made: a handler returns the report when the space is theirs, None otherwise.
SubmitHandler = Callable[[Member], "Report | None"]
_handlers: list[SubmitHandler] = []


def register_submit_handler(handler: SubmitHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def submit_for(member: Member) -> Report:
    """Submit the member's work: through the workshop when the space is an attempt's."""
    for handler in _handlers:
        report = handler(member)
        if report is not None:
            return report
    return submit(member=member)


ReleaseCheck = Callable[[int], bool]
_release_checks: list[ReleaseCheck] = []


def register_release_check(check: ReleaseCheck) -> None:
    """A layer above (workshops) says whether a space's model answer may be shown."""
    if check not in _release_checks:
        _release_checks.append(check)


def solution_released(space_id: int | None) -> bool:
    """Whether the trainer released the model answer to the people of this space."""
    return space_id is not None and any(check(space_id) for check in _release_checks)
