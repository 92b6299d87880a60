"""The language of a page: the one the user chose wins over the browser's.

Django's LocaleMiddleware reads the language cookie, then `Accept-Language`. A signed-in
user who chose a language (at their account's creation, from a workshop's language, or
with the selector) gets it on every device, even where the cookie is not set yet; a
choice made with the selector is kept on their account.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class LanguageCookieMiddleware:
    """Runs after authentication: applies, stores and remembers the user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        preferred = getattr(user, "language", "") if signed_in else ""
        if request.method == "POST" and request.path == reverse("set_language"):
            # The selector: Django's view sets the cookie; the account keeps the choice.
            chosen = request.POST.get("language", "")
            if signed_in and chosen in LANGUAGE_CODES and chosen != preferred:
                user.language = chosen  # type: ignore[union-attr]
                user.save(update_fields=["language"])  # type: ignore[union-attr]
        elif (preferred in LANGUAGE_CODES and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
                and preferred != getattr(request, "LANGUAGE_CODE", None)):
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
            request._set_language_cookie = preferred  # type: ignore[attr-defined]
        response = self.get_response(request)
        language = getattr(request, "_set_language_cookie", None)
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                                samesite="Lax", max_age=365 * 24 * 3600)
        return response
