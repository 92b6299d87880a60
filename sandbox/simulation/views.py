"""Pages of an exercise: the brief, the messages that arrive, and the clock."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sandbox.cases.views.base import here, page
from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.spaces.services import require_writable

from .engine import advance, next_due
from .models import Message, SpaceSeed
from .world import scenario_of

STEPS = {"1h": dt.timedelta(hours=1), "4h": dt.timedelta(hours=4), "1d": dt.timedelta(days=1)}


@login_required
def exercise(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    seed = SpaceSeed.objects.filter(space=at.space).first()
    scenario = scenario_of(seed) if seed else None
    roles = []
    if scenario is not None:
        for ref, role in scenario.roles.items():
            config_role = at.config.roles.get(role.role)
            roles.append({"ref": ref, "played_by": role.played_by,
                          "role": pick(config_role.name) if config_role else role.role,
                          "name": role.name or ""})
    inbox = Message.objects.filter(space=at.space).order_by("-sim_time", "-pk")[:100]
    return page(request, at, "simulation/exercise.html", {
        "seed": seed, "scenario": scenario, "roles": roles, "inbox": inbox,
        "next_due": next_due(at.space), "steps": STEPS,
        "reports": at.space.reports.filter(user=request.user)[:10] if seed else [],
    }, nav="exercise")


@login_required
@require_POST
def clock(request: HttpRequest, space: str) -> HttpResponse:
    """Advance the simulated clock (trainees and trainers; never simulated actors)."""
    at = here(request, space)
    step = request.POST.get("by", "")
    try:
        require_writable(at.space)
        if step == "next":
            fired = advance(at.space, to_next=True)
        elif step in STEPS:
            fired = advance(at.space, by=STEPS[step])
        else:
            messages.error(request, _("Choose how far to move the clock."))
            return redirect("simulation:exercise", space=space)
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect(request.POST.get("next") or "simulation:exercise", space=space)
    if fired:
        messages.info(request, _("Time moved on: %(count)d new event(s). See the messages below.")
                      % {"count": len(fired)})
    else:
        messages.info(request, _("Time moved on."))
    return redirect("simulation:exercise", space=space)
