"""Terms of use: every user accepts them at first login, and the acceptance is recorded."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import TERMS_VERSION, TermsAcceptance, User

#: Paths a user may reach before accepting: the terms themselves, logging out, the
#: language switch, static files, the admin's login and logout, and the API, where
#: sandbox.api.middleware refuses users who have not accepted them in the API's shape.
EXEMPT_PREFIXES = ("/terms/", "/accounts/", "/i18n/", "/static/", "/api/", "/admin/login/",
                   "/admin/logout/")


def has_accepted(user: User) -> bool:
    return TermsAcceptance.objects.filter(user=user, version=TERMS_VERSION).exists()


def accept(user: User, user_agent: str = "") -> TermsAcceptance:
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        user=user, version=TERMS_VERSION, defaults={"user_agent": user_agent[:300]})
    return acceptance


class TermsMiddleware:
    """Send a logged-in user to the terms page until they have accepted the current terms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not request.path.startswith(EXEMPT_PREFIXES)
                and not request.session.get("terms_accepted") == TERMS_VERSION):
            if not has_accepted(user):
                return redirect(f"{reverse('terms')}?next={request.get_full_path()}")
            request.session["terms_accepted"] = TERMS_VERSION
        return self.get_response(request)


@login_required
def terms(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    if request.method == "POST":
        if request.POST.get("accept") == "yes":
            accept(request.user, request.META.get("HTTP_USER_AGENT", ""))  # type: ignore[arg-type]
            request.session["terms_accepted"] = TERMS_VERSION
            return redirect(next_url)
        messages.error(request, _("You need to accept the terms of use to use the sandbox."))
    return render(request, "accounts/terms.html", {
        "next": next_url, "accepted": has_accepted(request.user),  # type: ignore[arg-type]
        "version": TERMS_VERSION})
