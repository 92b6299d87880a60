"""Reads of jobs, always through a workshop the viewer manages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sandbox.accounts.models import User
from sandbox.workshops import selectors as workshop_selectors

from .models import Job

#: A finished job stays on its page this long, then only its effect shows.
RECENT = dt.timedelta(minutes=30)


def recent_jobs(workshop_id: int, *, exercise_id: int | None = None,
                kinds: tuple[str, ...] = ()) -> QuerySet[Job]:
    """The workshop's jobs still running, or finished lately, newest first."""
    since = timezone.now() - RECENT
    jobs = Job.objects.filter(workshop_id=workshop_id).filter(
        Q(status__in=Job.ACTIVE) | Q(finished_at__gte=since))
    if exercise_id is not None:
        jobs = jobs.filter(exercise_id=exercise_id)
    if kinds:
        jobs = jobs.filter(kind__in=kinds)
    return jobs.select_related("started_by")[:5]


def job_of(viewer: User, workshop_pk: int, job_pk: int) -> Job:
    """A job of a workshop the viewer manages (404 for anyone else: not even its existence)."""
    workshop = workshop_selectors.managed_workshop(viewer, workshop_pk)
    job = Job.objects.filter(pk=job_pk, workshop=workshop).select_related("started_by").first()
    if job is None:
        raise Http404("No such job.")
    return job
