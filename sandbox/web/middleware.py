"""Store the language chosen at login in the language cookie."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class LanguageCookieMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "_set_language_cookie", None)
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                                samesite="Lax", max_age=365 * 24 * 3600)
        return response
