"""An attempt as the scorer sees it, read from a space: its events and final state."""

from __future__ import annotations

from typing import Any

from sandbox.cases.models import Case, Event
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.simtime import parse_start
from sandbox.simulation.world import scenario_of
from sandbox.spaces.models import Member, Space

from .engine import Attempt, EventView, Report, score

COLUMNS = ("status", "stage", "risk_level", "registration_status", "flagged", "location", "agency")


def attempt_of(space: Space, seed: SpaceSeed) -> Attempt:
    scenario = scenario_of(seed)
    ref_of_case = {pk: ref for ref, pk in seed.cases.items()}
    ref_of_member = dict(Member.objects.filter(space=space).values_list("pk", "ref"))
    display = dict(Case.objects.filter(space=space).values_list("pk", "display_id"))
    events = [
        EventView(
            sequence=e["sequence"], action=e["action"], sim_time=e["sim_time"],
            case=ref_of_case.get(e["case_id"]) or display.get(e["case_id"]),
            actor=ref_of_member.get(e["actor_id"]) or None,
            changes=e["changes"], details=e["details"],
            exercise=e["sequence"] > seed.seeded_events,
        )
        for e in Event.objects.filter(space=space).order_by("sequence").values(
            "sequence", "action", "sim_time", "case_id", "actor_id", "changes", "details")
    ]
    final: dict[str, dict[str, Any]] = {}
    for case in Case.objects.filter(space=space, pk__in=list(seed.cases.values())):
        state: dict[str, Any] = {c: getattr(case, c) for c in COLUMNS}
        state["owner"] = ref_of_member.get(case.owner_id)
        state.update({f"data.{k}": v for k, v in case.data.items()})
        final[ref_of_case[case.pk]] = state
    return Attempt(events=events, final=final, start=parse_start(scenario.start))


def score_space(space: Space) -> Report:
    seed = SpaceSeed.objects.get(space=space)
    return score(scenario_of(seed), attempt_of(space, seed))
