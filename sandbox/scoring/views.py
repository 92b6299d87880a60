"""Submitting an attempt and reading its report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sandbox.cases.views.base import here, page
from sandbox.common.errors import SandboxError

from .models import Report
from .services import submit_for


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
    rules = found.result["rules"]
    return page(request, at, "scoring/report.html", {
        "report": found, "rules": rules,
        "met": [r for r in rules if r["passed"] and r["rule"] != "never"],
        "missed": [r for r in rules if not r["passed"]],
        "timeline": found.timeline,
    }, nav="exercise")
