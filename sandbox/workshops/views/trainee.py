"""A trainee's side of a workshop: join with a code, see the assignments, open the
practice space, submit, and try again when the trainer allows it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sandbox.common.errors import SandboxError

from .. import selectors, services
from ..forms import JoinForm
from ..models import Exercise
from .assignments import assignments


@login_required
def join(request: HttpRequest) -> HttpResponse:
    """GET: the code form (prefilled from ?code=, for a link shared in the chat); POST: join."""
    status = 200
    if request.method == "POST":
        form = JoinForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                enrolment = services.join_with_code(user=request.user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
            except SandboxError as exc:
                form.apply_error(exc)
                status = exc.status
            else:
                messages.success(request, _("Welcome to the workshop %(title)s.")
                                 % {"title": enrolment.workshop.title})
                return redirect("workshops:mine", pk=enrolment.workshop_id)
    else:
        form = JoinForm(initial={"code": request.GET.get("code", "")[:12]})
    return render(request, "workshops/join.html", {"form": form}, status=status)


@login_required
def my_workshop(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.my_enrolment(request.user, pk)  # type: ignore[arg-type]
    for exercise in enrolment.workshop.exercises.filter(status=Exercise.Status.RUNNING):
        services.expire_attempts(exercise)
    return render(request, "workshops/mine.html", {
        "enrolment": enrolment, "workshop": enrolment.workshop,
        "assignments": assignments(enrolment),
    })


@login_required
@require_POST
def submit(request: HttpRequest, attempt: int) -> HttpResponse:
    """Submit the attempt: the space is scored, and the trainee reads the report."""
    found = selectors.my_attempt(request.user, attempt)  # type: ignore[arg-type]
    try:
        found = services.attempt_submit(user=request.user, attempt=found)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect("workshops:mine", pk=found.exercise.workshop_id)
    assert found.space is not None and found.report_id is not None
    return redirect("scoring:report", space=found.space.slug, pk=found.report_id)


@login_required
@require_POST
def retry(request: HttpRequest, attempt: int) -> HttpResponse:
    found = selectors.my_attempt(request.user, attempt)  # type: ignore[arg-type]
    try:
        new = services.attempt_retry(user=request.user, attempt=found)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect("workshops:mine", pk=found.exercise.workshop_id)
    messages.success(request, _("Attempt %(number)d begins: your space is as it was at the start.")
                     % {"number": new.number})
    return redirect("workshops:mine", pk=found.exercise.workshop_id)
