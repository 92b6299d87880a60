"""A job as its page shows it: title, state, progress and outcome, in the viewer's words."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .kinds import kind_of
from .models import Job
from .services import live_progress


def describe(job: Job) -> dict[str, Any]:
    job = live_progress(job)
    kind = kind_of(job.kind)
    count = int(job.result.get("count", 0))
    return {
        "job": job,
        "title": kind.title,
        "outcome": kind.done % {"count": count} if job.status == Job.Status.DONE else "",
        "interrupted": int(job.result.get("interrupted", 0)),
        "lines": job.result.get("lines", [])[:50],
        "credentials_waiting": bool(job.result.get("credentials")),
    }


def announce(request: HttpRequest, job: Job, created: bool) -> None:
    """The message the page that started a job shows next: its outcome when it already
    ran (in-process), or where to follow it."""
    if job.status == Job.Status.DONE:
        messages.success(request, str(describe(job)["outcome"]))
    elif job.status == Job.Status.FAILED:
        messages.error(request, job.error)
    elif created:
        messages.info(request, _("Started in the background: its progress shows on this page."))
    else:
        messages.info(request, _("This is already under way: its progress shows on this page."))
