"""Pages of an exercise: the brief, the messages that arrive, and the clock."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sandbox.cases.views.base import here, page
from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.spaces.services import require_writable

from .context_processors import read_key
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
    inbox = list(Message.objects.filter(space=at.space).order_by("-sim_time", "-pk")[:100])
    # Opening the messages reads them: the count in the top bar clears.
    newest = max((m.pk for m in inbox), default=0)
    if newest > request.session.get(read_key(at.space.pk), 0):
        request.session[read_key(at.space.pk)] = newest
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
        return back(request, space)
    if fired:
        messages.info(request, ngettext(
            "Time moved on: %(count)d new event. See your messages.",
            "Time moved on: %(count)d new events. See your messages.", len(fired))
            % {"count": len(fired)})
    else:
        messages.info(request, _("Time moved on."))
    return back(request, space)


def back(request: HttpRequest, space: str) -> HttpResponse:
    """To the page the clock was moved from (the header control is on every page of the
    space), or to the Exercise page; never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()) \
            and target.startswith(f"/spaces/{space}/"):
        return redirect(target)
    return redirect("simulation:exercise", space=space)
