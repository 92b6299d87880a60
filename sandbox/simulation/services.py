"""Resetting spaces and playing reference solutions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.cases.models import Case
from sandbox.common.errors import NotFound, SandboxError, ValidationFailed
from sandbox.spaces.models import Space

from . import snapshot
from .dispatch import context_of, perform
from .engine import advance
from .models import SpaceSeed
from .simtime import parse_duration
from .world import scenario_of


def reset_space(space: Space) -> None:
    """Back to the seeded state, exactly; no other space is touched."""
    seed = SpaceSeed.objects.filter(space=space).select_related("space").first()
    if seed is None:
        raise NotFound(_("This space was not seeded from a scenario; it cannot be reset."))
    snapshot.restore(seed)


def reset_instance() -> int:
    """Every seeded space back to its seeded state. Returns how many were reset."""
    count = 0
    for seed in SpaceSeed.objects.select_related("space").order_by("pk"):
        snapshot.restore(seed)
        count += 1
    return count


@transaction.atomic
def play_solution(space: Space, *, sloppy: bool = False, upto: int | None = None) -> int:
    """Play the scenario's reference solution (or its sloppy variant) in the space, or only
    its first `upto` steps. Returns the number of steps played."""
    seed = SpaceSeed.objects.filter(space=space).first()
    if seed is None:
        raise NotFound(_("This space was not seeded from a scenario."))
    scenario = scenario_of(seed)
    trainees = [ref for ref, r in scenario.roles.items() if r.played_by == "trainee"]
    steps = scenario.sloppy.solution if sloppy and scenario.sloppy else scenario.solution
    steps = steps[:upto] if upto is not None else steps
    for number, step in enumerate(steps, start=1):
        space.refresh_from_db()
        if step.advance:
            advance(space, by=parse_duration(step.advance))
            continue
        seed.refresh_from_db()
        ctx = context_of(space, seed)
        actor = ctx.member(step.as_ or trainees[0])
        case = ctx.cases.get(step.case) if step.case else None
        try:
            result = perform(actor, step.do or "", case, _resolve_params(step.with_, space),
                             ctx)
        except SandboxError as exc:
            raise ValidationFailed(
                _("Solution step %(n)d (%(action)s) failed: %(error)s")
                % {"n": number, "action": step.do, "error": exc.message},
                details={**exc.details, "solution_step": number - 1, "sloppy": sloppy}) from exc
        if isinstance(result, Case) and step.case and step.case not in seed.cases:
            seed.cases = {**seed.cases, step.case: result.pk}
            seed.save(update_fields=["cases"])
    return len(steps)


def _resolve_params(params: dict[str, Any], space: Space) -> dict[str, Any]:
    """Dates written as "today" in a solution are the space's simulated today."""
    resolved = dict(params)
    for key, value in params.items():
        if value == "today":
            resolved[key] = space.clock.date().isoformat()
        elif isinstance(value, dict):
            resolved[key] = {k: (space.clock.date().isoformat() if v == "today" else v)
                             for k, v in value.items()}
    return resolved





@transaction.atomic
def upgrade_scenario(space: Space, path: Path | None = None) -> SpaceSeed:
    """Keep with the space the scenario its file (or `path`) holds now: the explicit upgrade.

    Scores and reports made until now stay as they were (each report keeps the fingerprint
    of what it was scored against); the space's world is not re-seeded, so an upgrade that
    changes the world needs `seed_scenario` instead. The new content must be the same
    scenario (same id), valid, and valid for the space's bundle.
    """
    from .scenario.load import check_scenario, read_scenario
    from .world import pin

    seed = SpaceSeed.objects.select_for_update().filter(space=space).first()
    if seed is None:
        raise NotFound(_("This space was not seeded from a scenario."))
    path = path or Path(seed.scenario_path)
    parsed = read_scenario(path)
    problems = parsed.problems + check_scenario(parsed, space.config)
    if problems or parsed.scenario is None:
        raise ValidationFailed("; ".join(str(p) for p in problems) or f"{path}: unreadable",
                               details={"problems": [p.as_dict() for p in problems]})
    if parsed.scenario.id != seed.scenario_id:
        raise ValidationFailed(f"{path}: scenario '{parsed.scenario.id}' is not the space's "
                               f"scenario '{seed.scenario_id}'")
    seed.scenario_data, seed.scenario_sha256 = pin(parsed.scenario)
    seed.scenario_version = parsed.scenario.version
    seed.scenario_path = str(path)
    seed.save(update_fields=["own_scenario_data", "scenario_sha256", "scenario_version", "scenario_path"])
    return seed
