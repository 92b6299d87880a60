"""The guard in the write path: called by every case action before its event is written.

An action whose new values look real is refused with a clear message until the
trainee confirms that the data is invented (the form field or JSON key
`confirm_invented`, or the header `X-Confirm-Invented: yes`); confirmed entries are
recorded for the trainer and the administrator to review.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed

from .detect import Finding, GuardSettings, scan

#: Whether the current request confirmed that what it enters is invented.
confirmed: contextvars.ContextVar[bool] = contextvars.ContextVar("real_data_confirmed", default=False)
#: Pages: what this user was asked about (digests, from the session), and what the
#: current request is asked about. The same entry sent again confirms it: the form
#: pages have no other way to say so.
asked_before: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "real_data_asked_before", default=frozenset())
asked_now: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("real_data_asked_now",
                                                                             default=None)
SESSION_KEY = "real_data_asked"

CONFIRM_FIELD = "confirm_invented"
YES = {"1", "true", "yes", "on"}


def guard_settings(bundle_code: str) -> GuardSettings:
    """What real data looks like for a bundle, as its bundle.yaml declares (`real_data`)."""
    from sandbox.configuration.models import Bundle
    from sandbox.configuration.runtime import get_config

    bundle = Bundle.objects.filter(code=bundle_code).first()
    return GuardSettings.from_dict(get_config(bundle).real_data if bundle else None)


def check(*, space: Any, bundle_code: str, values: Any, actor: Any, action: str,
          case: Any = None) -> dict[str, list[Finding]]:
    """Refuse real-looking values unless confirmed; record them when confirmed."""
    found = scan(values, guard_settings(bundle_code))
    if not found:
        return {}
    listed = {path: [f.as_dict() for f in items] for path, items in found.items()}
    digest = hashlib.sha256(json.dumps([action, str(getattr(case, "pk", "")), listed],
                                       sort_keys=True).encode()).hexdigest()[:32]
    if not confirmed.get() and digest not in asked_before.get():
        now = asked_now.get()
        if now is not None:
            now.append(digest)
        raise ValidationFailed(
            _("This looks like real personal data (a phone number, an ID number, an e-mail "
              "address). The sandbox holds invented data only: change it, or send it again "
              "unchanged to confirm that it is invented."),
            code="possible_real_data", details={"real_data": listed, "confirm_with": CONFIRM_FIELD})
    from .models import FlaggedEntry

    FlaggedEntry.objects.create(
        space=space, user=getattr(actor, "user", None), actor_name=getattr(actor, "name", ""),
        action=action, case_id_text=str(getattr(case, "case_id", "") or ""), findings=listed)
    return found


def request_confirms(request: HttpRequest) -> bool:
    if request.headers.get("X-Confirm-Invented", "").lower() in YES:
        return True
    if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST.get(CONFIRM_FIELD, "").lower() in YES
    if request.content_type == "application/json" and b'"confirm_invented"' in request.body[:1_000_000]:
        try:
            body = json.loads(request.body)
        except (ValueError, RecursionError):
            return False
        return isinstance(body, dict) and body.get(CONFIRM_FIELD) is True
    return False


class ConfirmationMiddleware:
    """Carries the request's confirmation to the guard, which runs deep in a service."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        session = getattr(request, "session", None)
        before = frozenset(session.get(SESSION_KEY, [])) if session is not None else frozenset()
        now: list[str] = []
        tokens = (confirmed.set(request_confirms(request)), asked_before.set(before), asked_now.set(now))
        try:
            response = self.get_response(request)
        finally:
            confirmed.reset(tokens[0])
            asked_before.reset(tokens[1])
            asked_now.reset(tokens[2])
        if now and session is not None and not request.path.startswith("/api/"):
            # Kept for the next few questions only: a confirmation is of this entry.
            session[SESSION_KEY] = [*now, *before][:20]
        return response
