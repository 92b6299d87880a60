"""Rules every API request passes before it reaches a view.

- A token older than `API_TOKEN_LIFETIME` is deleted, so the request is answered as
  unauthenticated (401) and the client must ask for a new token with its password.
- The terms of use hold for the API as for the pages: a user who has not accepted the
  current terms gets a 403 in the API's error shape.
- Anything that still goes wrong under /api/ (an unknown path, an unexpected error)
  is answered in the API's JSON error shape, never as an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import error_body

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
#: Reachable without accepted terms: getting a token and reading the documentation.
TERMS_EXEMPT = ("/api/v1/auth/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/")


def expire_token(request: HttpRequest) -> None:
    """Delete the request's token if it is older than the configured lifetime."""
    from rest_framework.authtoken.models import Token

    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) != 2 or header[0].lower() != "token":
        return
    cutoff = timezone.now() - settings.API_TOKEN_LIFETIME
    Token.objects.filter(key=header[1], created__lt=cutoff).delete()


def token_user(request: HttpRequest):  # type: ignore[no-untyped-def]
    from rest_framework.authtoken.models import Token

    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) == 2 and header[0].lower() == "token":
        token = Token.objects.select_related("user").filter(key=header[1]).first()
        return token.user if token else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        expire_token(request)
        if not request.path.startswith(TERMS_EXEMPT):
            from sandbox.accounts.terms import has_accepted

            user = token_user(request)
            if user is not None and not has_accepted(user):
                return JsonResponse(error_body(
                    "terms_not_accepted",
                    _("Accept the terms of use in the sandbox before using the API.")), status=403)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                "application/json"):
            return as_json_error(response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RecursionError):
            return JsonResponse(error_body("invalid", _("The request body is nested too deeply.")),
                                status=400)
        log.exception("API error on %s", request.path)
        return JsonResponse(error_body("server_error", _("Something went wrong on the server.")),
                            status=500)


def as_json_error(status: int) -> JsonResponse:
    messages = {
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("Method not allowed.")),
        403: ("permission_denied", _("You do not have permission to perform this action.")),
        400: ("invalid", _("Invalid input.")),
        429: ("throttled", _("Too many requests. Try again later.")),
    }
    code, message = messages.get(status, ("error" if status < 500 else "server_error",
                                          _("Something went wrong.")))
    return JsonResponse(error_body(code, str(message)), status=status)
