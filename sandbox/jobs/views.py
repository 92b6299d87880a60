"""The progress of one job, as a fragment its page fetches every few seconds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import Job
from .presentation import describe
from .services import recover_stale


@login_required
def progress(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    """Only for the trainer of the job's workshop (or an administrator); anyone else gets
    a 404. A running job whose worker died is recovered here too, so that the page never
    waits forever."""
    found = selectors.job_of(request.user, pk, job)  # type: ignore[arg-type]
    if found.status == Job.Status.RUNNING:
        recover_stale(job_ids=[found.pk])
        found.refresh_from_db()
    response = render(request, "jobs/_job.html", {"item": describe(found)})
    if request.headers.get("HX-Request") and not found.active:
        # The page that polled it shows the job's effect (the board, the new trainees,
        # the certificates) once it is over: htmx reloads it.
        response["HX-Refresh"] = "true"
    return response
