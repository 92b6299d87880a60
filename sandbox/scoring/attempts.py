"""An attempt as the scorer sees it, read from a space: its events and final state."""

from __future__ import annotations

from typing import Any

from sandbox.cases import models as cm
from sandbox.cases.models import Case, Event
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.simtime import parse_start
from sandbox.simulation.world import scenario_of
from sandbox.spaces.models import Member, Space

from .engine import Attempt, EventView, Report, score

COLUMNS = ("status", "stage", "risk_level", "registration_status", "flagged", "location", "agency")


EVENT_FIELDS = ("space_id", "sequence", "action", "sim_time", "real_time", "case_id", "actor_id",
                "changes", "details")
CASE_FIELDS = ("pk", "space_id", "display_id", "owner_id", "data", *COLUMNS)


def records_of(space: Space, seed: SpaceSeed) -> dict[str, list[dict[str, Any]]]:
    """The focal cases' referrals, services, approvals and tasks as they are now, by case
    reference: what `record` rules test (the status of a task is computed at the space's
    clock: open, overdue, done or done_late)."""
    return records_many([(space, seed)])[space.pk]


def records_many(spaces: list[tuple[Space, SpaceSeed]]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """`records_of` for several spaces at once, by space id: one query per table."""
    ref_of_case = {pk: ref for _space, seed in spaces for ref, pk in seed.cases.items()}
    space_of_case = {pk: space for space, seed in spaces for pk in seed.cases.values()}
    found: dict[int, dict[str, list[dict[str, Any]]]] = {
        space.pk: {ref: [] for ref in seed.cases} for space, seed in spaces}
    focal = list(ref_of_case)
    space_ids = [space.pk for space, _seed in spaces]

    def add(case_id: int, row: dict[str, Any]) -> None:
        found[space_of_case[case_id].pk][ref_of_case[case_id]].append(row)

    for row in cm.Referral.objects.filter(space_id__in=space_ids, case_id__in=focal).order_by(
            "pk").values("case_id", "status", "service_type", "to_agency", "urgency", "reason"):
        add(row.pop("case_id"), {"record": "referral", **row})
    for row in cm.Service.objects.filter(space_id__in=space_ids, case_id__in=focal).order_by(
            "pk").values("case_id", "status", "service_type", "provider_agency"):
        add(row.pop("case_id"), {"record": "service", **row})
    for row in cm.Approval.objects.filter(space_id__in=space_ids, case_id__in=focal).order_by(
            "pk").values("case_id", "status", "kind", "superseded"):
        status = "superseded" if row.pop("superseded") else row["status"]
        add(row.pop("case_id"), {"record": "approval", **row, "status": status})
    for row in cm.Task.objects.filter(space_id__in=space_ids, case_id__in=focal).order_by(
            "pk").values("case_id", "kind", "due_at", "completed_at"):
        done, due = row["completed_at"], row["due_at"]
        status = ("done" if done <= due else "done_late") if done else (
            "overdue" if space_of_case[row["case_id"]].clock > due else "open")
        add(row["case_id"], {"record": "task", "kind": row["kind"], "status": status})
    return found


def build_attempt(seed: SpaceSeed, scenario: Any, events: list[dict[str, Any]],
                  member_refs: dict[int, str], cases: list[dict[str, Any]],
                  records: dict[str, list[dict[str, Any]]] | None = None) -> Attempt:
    """An Attempt from rows already read (values() of events, members and the focal cases)."""
    ref_of_case = {pk: ref for ref, pk in seed.cases.items()}
    display = {c["pk"]: c["display_id"] for c in cases}
    views = [
        EventView(
            sequence=e["sequence"], action=e["action"], sim_time=e["sim_time"],
            case=ref_of_case.get(e["case_id"]) or display.get(e["case_id"]),
            actor=member_refs.get(e["actor_id"]) or None,
            changes=e["changes"], details=e["details"],
            exercise=e["sequence"] > seed.seeded_events,
        )
        for e in events
    ]
    final: dict[str, dict[str, Any]] = {}
    for case in cases:
        if case["pk"] not in ref_of_case:
            continue
        state: dict[str, Any] = {c: case[c] for c in COLUMNS}
        state["owner"] = member_refs.get(case["owner_id"])
        state.update({f"data.{k}": v for k, v in case["data"].items()})
        final[ref_of_case[case["pk"]]] = state
    if records is None:  # callers that read rows in bulk (the board) leave records to us
        records = records_of(seed.space, seed) if any(
            r.rule == "record" for r in scenario.expected) else {}
    return Attempt(events=views, final=final, start=parse_start(scenario.start), records=records)


def attempt_of(space: Space, seed: SpaceSeed) -> Attempt:
    scenario = scenario_of(seed)
    member_refs = dict(Member.objects.filter(space=space).values_list("pk", "ref"))
    events = list(Event.objects.filter(space=space).order_by("sequence").values(*EVENT_FIELDS))
    cases = list(Case.objects.filter(space=space).values(*CASE_FIELDS))
    return build_attempt(seed, scenario, events, member_refs, cases, records_of(space, seed))


def score_space(space: Space, *, only_if_acted: bool = True) -> Report:
    seed = SpaceSeed.objects.get(space=space)
    return score(scenario_of(seed), attempt_of(space, seed), only_if_acted=only_if_acted)
