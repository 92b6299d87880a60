"""Attendance of remote workshops: the days each signed-in user used the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import PresentDay


class PresenceMiddleware:
    """Record the day once per session and day: one write a day per user, not per request
    (the session, already loaded to know the user, remembers the last day recorded).
    Pages only: the API is used by scripts as much as by people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            today = timezone.localdate()
            if request.session.get("present_on") != today.isoformat():
                PresentDay.objects.bulk_create([PresentDay(user=user, day=today)],
                                               ignore_conflicts=True)
                request.session["present_on"] = today.isoformat()
        return self.get_response(request)
