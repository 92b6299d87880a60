"""Submitting an attempt and reading its report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sandbox.cases.views.base import here, page
from sandbox.common.errors import SandboxError
from sandbox.simulation.services import reset_space
from sandbox.spaces.models import Member
from sandbox.spaces.services import require_writable

from .models import Report
from .presentation import for_people, model_answer
from .services import solution_released, submit_for


@login_required
@require_POST
def submit_attempt(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    try:
        report = submit_for(at.member)
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect("simulation:exercise", space=space)
    return redirect("scoring:report", space=space, pk=report.pk)


@login_required
def report(request: HttpRequest, space: str, pk: int) -> HttpResponse:
    """A submitted report, to the members of the space it was made in."""
    at = here(request, space)
    found = Report.objects.filter(pk=pk, space=at.space).first()
    if found is None:
        raise Http404("No such report.")
    return page(request, at, "scoring/report.html", {
        "report": found, "rules": found.result["rules"], **for_people(found),
        # The model answer only once the trainer has released it.
        "model_answer": model_answer(found) if solution_released(found.space_id) else None,
        "can_try_again": _alone(at.member) and not at.space.stopped(),
        "stopped": at.space.stopped(),
    }, nav="exercise")


def _alone(member: Member) -> bool:
    """Whether the member is the only person in their space: then they may start it over."""
    return member.user_id is not None and not Member.objects.filter(
        space_id=member.space_id, user__isnull=False).exclude(pk=member.pk).exists()


@login_required
@require_POST
def try_again(request: HttpRequest, space: str) -> HttpResponse:
    """Start the exercise over (the space back to its seeded state); kept reports stay."""
    at = here(request, space)
    if not _alone(at.member):
        raise PermissionDenied(_("Other people work in this space: ask your trainer to reset it."))
    try:
        require_writable(at.space)
        reset_space(at.space)
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    return redirect("simulation:exercise", space=space)


@login_required
@require_POST
def time_up(request: HttpRequest, space: str) -> HttpResponse:
    """Sent by the countdown when it reaches zero. The server's clock decides: before the
    end nothing happens; after it, the work is submitted when the space says so."""
    at = here(request, space)
    if at.space.stopped() != "time_up" or not at.space.submit_when_time_is_up \
            or at.member.user_id is None:
        return redirect("simulation:exercise", space=space)
    try:
        report = submit_for(at.member)
    except SandboxError as exc:  # a partner, or the trainer's board, submitted it first
        messages.info(request, str(exc.message))
        return redirect("simulation:exercise", space=space)
    messages.info(request, _("Time is up: your work was submitted as it stood."))
    return redirect("scoring:report", space=space, pk=report.pk)
