"""One error shape for the whole API.

Every error answers `{"error": {"code": ..., "message": ..., "details": ...}}`,
whether it comes from authentication, permissions, validation, a missing object
or the case system's own rules.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sandbox.common.errors import SandboxError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, SandboxError):
        return Response(error_body(exc.code, str(exc.message), exc.details), status=exc.status)
    if isinstance(exc, DataError):
        # A value the database cannot hold (too long for its column on PostgreSQL): bad
        # input, refused as such; the action's transaction is rolled back.
        return Response(error_body("invalid", _("A value is too long or out of range.")), status=400)
    if isinstance(exc, RecursionError):
        # A JSON body nested thousands deep: refused as bad input, not a server error.
        return Response(error_body("invalid", _("The request body is nested too deeply.")), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = response.data
        message = "Invalid input."
        response.data = error_body("invalid", message, detail)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(code, str(exc.detail))
    return response
