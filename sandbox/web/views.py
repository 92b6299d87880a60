"""The pages every user sees first: home, and the language of the session."""

from __future__ import annotations

from django.contrib.auth import user_logged_in
from django.contrib.auth.decorators import login_required
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation

from sandbox.configuration.models import Bundle
from sandbox.spaces.selectors import spaces_of
from sandbox.workshops.selectors import workshops_for
from sandbox.workshops.views.assignments import enrolled_workshops


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # The loaded configurations are the implementers' business, not a trainee's.
    bundles = Bundle.objects.order_by("code") if request.user.is_administrator else []  # type: ignore[union-attr]
    spaces = list(spaces_of(request.user).select_related("bundle"))  # type: ignore[arg-type]
    # The user's in-world role in each space, read in one query.
    roles = {m.space_id: m for m in request.user.memberships.all()}  # type: ignore[union-attr]
    rows = []
    for space in spaces:
        member = roles.get(space.pk)
        rows.append({"space": space, "role": member.role_name(space.config) if member else ""})
    user = request.user
    runs_workshops = user.is_trainer or user.is_administrator  # type: ignore[union-attr]
    return render(request, "web/home.html", {
        "bundles": bundles, "spaces": rows, "runs_workshops": runs_workshops,
        # Trainers see the workshops they run; trainees their workshops and assignments.
        "led_workshops": list(workshops_for(user).filter(trainer=user)[:20])  # type: ignore[arg-type]
        if runs_workshops else [],
        "enrolled": enrolled_workshops(user),  # type: ignore[arg-type]
    })


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    return HttpResponsePermanentRedirect(static("img/sandbox-icon.svg"))


@receiver(user_logged_in)
def use_preferred_language(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Switch to the user's preferred language at login, unless they already chose one."""
    language = getattr(user, "language", "")
    if request is not None and language and translation.check_for_language(language):
        translation.activate(language)
        request.session["preferred_language"] = language
        request._set_language_cookie = language  # type: ignore[attr-defined]
