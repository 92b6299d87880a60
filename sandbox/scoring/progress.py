"""Progress so far of the attempts in many spaces, kept between polls of the live board.

A space's progress (steps met, stage, last action, score so far) changes only when
something is written there: every action counts an event on the space's event counter,
and the status of a task can change when the clock moves. A `Progress` row remembers
both; while they hold, the row is read as it is.

The row is kept when the space moves: once the transaction of an action (or of a clock
moved) commits, the space is scored again (`keep_after_commit`), so the board only reads.
What that misses (a reset, a write that failed, a space seeded before) is caught by the
board itself: the spaces that moved are scored again, all together, in a fixed number of
queries (one per table), and their rows replaced in one statement: a poll costs the same
number of queries for 3 trainees or 200.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from sandbox.cases.models import Case, Event
from sandbox.simulation.models import Progress, SpaceSeed
from sandbox.simulation.world import scenario_of
from sandbox.spaces.models import Member, Space

from .attempts import CASE_FIELDS, EVENT_FIELDS, build_attempt, records_many
from .engine import score
from .steps import count_steps

logger = logging.getLogger(__name__)

FIELDS = ["event_counter", "clock", "met", "total", "score", "percent", "stage", "last_action",
          "last_action_at", "rules", "updated_at"]


def current(space: Space) -> Progress | None:
    """The progress row that holds for the space as it is now, if there is one (the
    space's reverse relation, read already when the caller selected it)."""
    try:
        found: Progress = space.progress  # type: ignore[attr-defined]
    except Progress.DoesNotExist:
        return None
    return found if found.holds_for(space) else None


def keep_after_commit(space_id: int) -> None:
    """Score the space again once the transaction that moved it commits (at once when
    there is none), so that the next poll of the board reads, and scores nothing.

    Called for each event written and each clock moved: the first call after a commit
    scores, the others of the same transaction find the row holding (one query). A
    failure is logged, never raised: the action succeeded; the board scores the space
    itself on its next poll."""
    transaction.on_commit(lambda: _keep(space_id), robust=True)


def _keep(space_id: int) -> None:
    space = Space.objects.select_related("progress").filter(pk=space_id).first()
    if space is not None and current(space) is None:
        refresh([space])


def after_action(event: Event) -> None:
    """The hook on every action (`sandbox.cases.hooks`): the space's progress is kept."""
    keep_after_commit(event.space_id)


def progress_of(spaces: list[Space]) -> dict[int, Progress]:
    """Each space's progress by space id, scoring again only the spaces that moved.

    The spaces should come with their progress selected (`select_related("progress")`
    on spaces, `"space__progress"` on attempts): the fresh ones then cost no query.
    Spaces that are not exercises (no seed) have no progress.
    """
    found: dict[int, Progress] = {}
    stale: list[Space] = []
    for space in spaces:
        row = current(space)
        if row is not None:
            found[space.pk] = row
        elif space.pk not in found:
            stale.append(space)
    if stale:
        found.update(refresh(stale))
    return found


def refresh(spaces: list[Space]) -> dict[int, Progress]:
    """Score these spaces now (as the scorer does on submission) and keep their progress."""
    space_ids = sorted({s.pk for s in spaces})
    by_id = {s.pk: s for s in spaces}
    seeds = {s.space_id: s for s in SpaceSeed.objects.filter(space_id__in=space_ids).defer("snapshot")}
    if not seeds:
        return {}
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Event.objects.filter(space_id__in=list(seeds)).order_by("space_id", "sequence") \
            .values(*EVENT_FIELDS):
        events[row["space_id"]].append(row)
    refs: dict[int, dict[int, str]] = defaultdict(dict)
    for row in Member.objects.filter(space_id__in=list(seeds)).values("pk", "space_id", "ref"):
        refs[row["space_id"]][row["pk"]] = row["ref"]
    focal = [pk for seed in seeds.values() for pk in seed.cases.values()]
    cases: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Case.objects.filter(pk__in=focal).values(*CASE_FIELDS):
        cases[row["space_id"]].append(row)
    scenarios: dict[tuple[str, str], Any] = {}
    records: dict[int, dict[str, list[dict[str, Any]]]] = {}
    pairs = [(by_id[space_id], seed) for space_id, seed in seeds.items()]
    for _space, seed in pairs:
        key = (seed.scenario_id, seed.scenario_sha256)
        if key not in scenarios:
            scenarios[key] = scenario_of(seed)
    if any(r.rule == "record" for scenario in scenarios.values() for r in scenario.expected):
        records = records_many(pairs)

    now = timezone.now()
    rows = []
    for space, seed in pairs:
        scenario = scenarios[(seed.scenario_id, seed.scenario_sha256)]
        mine = events[space.pk]
        # The counter this is true for: the one read before the events (an action written
        # in between is seen as a move on the next poll), or less when a reset came in
        # between (then the events read are the seeded ones).
        counter = min(space.event_counter, max((e["sequence"] for e in mine),
                                               default=space.event_counter))
        result = score(scenario, build_attempt(
            seed, scenario, mine, refs[space.pk], cases[space.pk],
            records.get(space.pk, {}) if records else {}))
        steps = count_steps(result.rules)
        stages = [c["stage"] for c in cases[space.pk]]
        acted = [e for e in mine if e["sequence"] > seed.seeded_events
                 and refs[space.pk].get(e["actor_id"])]
        rows.append(Progress(
            space=space, event_counter=counter, clock=space.clock, met=steps.met,
            total=steps.total, score=result.score, percent=result.percent,
            stage=stages[0] if stages else "",
            last_action=acted[-1]["action"] if acted else "",
            last_action_at=acted[-1]["real_time"] if acted else None,
            rules={r.id: r.passed for r in result.rules}, updated_at=now))
    # One statement, and two boards polling at once (two app servers) both succeed: rows in
    # the order of their spaces, so two writers never wait for each other in a circle. What
    # is kept is only a cache of the scorer's answer: when the write loses to a reset or
    # another writer all the same, the board shows what it computed and the next poll keeps it.
    rows.sort(key=lambda row: row.space_id)
    try:
        with transaction.atomic():
            Progress.objects.bulk_create(rows, update_conflicts=True, unique_fields=["space"],
                                         update_fields=FIELDS)
    except DatabaseError:
        logger.warning("board progress of spaces %s not kept this time", [r.space_id for r in rows])
    for row in rows:
        row.space.progress = row  # type: ignore[attr-defined]
    return {row.space_id: row for row in rows}
