"""The trainer's live views of an exercise: the presenter board for screen sharing, and
a read-only look at one trainee's space (each look recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sandbox.cases.models import Case
from sandbox.common.i18n import pick
from sandbox.scoring.attempts import score_space
from sandbox.scoring.models import Report
from sandbox.scoring.presentation import for_people
from sandbox.scoring.services import timeline_of
from sandbox.simulation.models import SpaceSeed
from sandbox.spaces.models import Member

from .. import selectors, services
from ..models import Observation
from .exercises import _exercise


@login_required
def presenter(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """The board in large type, for sharing the screen: progress per step and per trainee;
    `?numbers=1` shows numbers instead of names. `?part=1` gives the refreshed part only."""
    workshop, exercise = _exercise(request, pk, ex)
    services.expire_attempts(exercise)
    rows = selectors.board(exercise)
    numbers = request.GET.get("numbers") == "1"
    steps = selectors.board_steps(exercise, rows)
    trainees = [{"label": str(i) if numbers else row.trainee, "met": row.met, "total": row.total,
                 "percent": round(100 * row.met / row.total) if row.total else 0,
                 "submitted": row.status == "submitted"}
                for i, row in enumerate(rows, start=1)]
    context = {"workshop": workshop, "exercise": exercise, "steps": steps, "trainees": trainees,
               "numbers": numbers, "now": timezone.now(),
               "submitted": sum(t["submitted"] for t in trainees)}
    template = "workshops/_presenter.html" if request.GET.get("part") else "workshops/presenter.html"
    return render(request, template, context)


def _local_links(value: Any, space_prefix: str) -> Any:
    """Links to the trainee's case pages (which the trainer cannot open) become links to
    the case on this page."""
    if isinstance(value, dict):
        return {k: (f"#case-{value.get('number', '')}" if k == "url" and isinstance(v, str)
                    and v.startswith(space_prefix) else _local_links(v, space_prefix))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_local_links(v, space_prefix) for v in value]
    return value


@login_required
def observe(request: HttpRequest, pk: int, ex: int, attempt: int) -> HttpResponse:
    """A trainee's space as it is now, read-only: cases, timeline and score so far.

    Nothing in the space is written: the score is computed, not kept (an unsaved report),
    and the only row written is the record of this look."""
    workshop, exercise = _exercise(request, pk, ex)
    found = selectors.attempt_in(exercise, attempt)
    Observation.objects.create(exercise=exercise, attempt=found, observer=request.user)
    space = found.space
    context: dict[str, Any] = {"workshop": workshop, "exercise": exercise, "attempt": found,
                               "space": space, "cases": [], "report": None,
                               "looks": found.observations.select_related("observer")[:20]}
    seed = SpaceSeed.objects.filter(space=space).defer("snapshot").first() if space else None
    member = Member.objects.filter(space=space, user=found.enrolment.user).first() if space else None
    if space is not None and seed is not None and member is not None:
        result = score_space(space).as_dict()
        report = Report(space=space, space_slug=space.slug, user=member.user,
                        scenario_id=result["scenario"], score=result["score"],
                        max_score=result["max_score"], percent=result["percent"],
                        passed=result["passed"], result=result,
                        timeline=timeline_of(member, seed, result), sim_time=space.clock)
        context["report"] = report
        context.update(_local_links(for_people(report), f"/spaces/{space.slug}/"))
        context["cases"] = [
            {"case": case, "data": sorted((k, v) for k, v in case.data.items()
                                          if v not in (None, "", [], {}))}
            for case in Case.objects.filter(space=space).order_by("display_id")]
    context["scenario_title"] = pick(seed.scenario_data.get("title")) if seed else ""
    return render(request, "workshops/observe.html", context)
