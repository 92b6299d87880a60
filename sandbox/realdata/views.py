"""The list of flagged entries: administrators see all, a trainer their workshops' spaces."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sandbox.accounts.models import User

from .models import FlaggedEntry


def visible_entries(user: User) -> QuerySet[FlaggedEntry]:
    entries = FlaggedEntry.objects.select_related("space")
    if user.is_administrator:
        return entries
    if user.is_trainer:
        from sandbox.workshops.models import Attempt

        spaces = Attempt.objects.filter(exercise__workshop__trainer=user).values("space_id")
        return entries.filter(space_id__in=spaces)
    raise PermissionDenied


@login_required
def flagged_list(request: HttpRequest) -> HttpResponse:
    entries = visible_entries(request.user)[:500]  # type: ignore[arg-type]
    return render(request, "realdata/flagged_list.html", {"entries": entries})
