"""What every API package shares: how clients authenticate, reading a request body,
and the documented error body.

It lives here, in the lowest app that has an API, because imports flow towards
`configuration`: the case system's API can use it, and not the other way round.
The error body itself is produced by `sandbox.api.errors.exception_handler`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.renderers import JSONRenderer

from sandbox.common.errors import ValidationFailed

#: Token first, so that an anonymous request gets 401 with `WWW-Authenticate: Token`
#: (DRF takes the header from the first class; session authentication has none,
#: which would turn "not logged in" into a 403 that looks like "not allowed").
AUTHENTICATION_CLASSES = [TokenAuthentication, SessionAuthentication]

#: JSON only. The interactive explorer is Swagger UI at /api/v1/docs/; DRF's browsable
#: API would need a queryset and a serializer on views that have neither.
RENDERER_CLASSES = [JSONRenderer]


def validated(serializer_class: type[serializers.Serializer], data: Any,
              context: dict[str, Any] | None = None, *, partial: bool = False) -> dict[str, Any]:
    """The request body checked by `serializer_class`, or ValidationFailed naming each field.

    Raising the sandbox's own error (not DRF's) gives body errors the same
    `details.fields` as the errors the services raise.
    """
    serializer = serializer_class(data=data, context=context or {}, partial=partial)
    if not serializer.is_valid():
        raise ValidationFailed(_("Some fields are missing or not valid."),
                               details={"fields": serializer.errors})
    return dict(serializer.validated_data)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy(
        "A stable code for programs: invalid, forbidden_by_role, consent_required, not_found..."))
    message = serializers.CharField(help_text=gettext_lazy("A message for people, translated."))
    details = serializers.JSONField(help_text=gettext_lazy(
        'More about the error; for invalid input, {"fields": {field: [messages]}}.'))


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error the API returns."""

    error = ErrorDetailSerializer()


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """Documented error responses for `extend_schema(responses=...)`."""
    # Schema text is for developers and stays in English, like the rest of the schema.
    descriptions = {
        400: "Invalid input, or an action the case's state does not allow yet.",
        401: "Not authenticated.",
        403: "Not allowed: by role, by scope, or without the consent required.",
        404: "No such thing here (or not visible to you).",
        405: "Method not allowed.",
        409: "The space no longer takes this: the exercise is closed or its time is up.",
    }
    return {status: OpenApiResponse(ErrorSerializer, description=descriptions[status])
            for status in statuses}


#: A record the request read, then a trainer's reset removed before the look at it was
#: recorded (the read endpoints that log who looked).
GONE_BY_RESET = {409: OpenApiResponse(ErrorSerializer, description=(
    "The trainer reset the space after the record was read: it is no longer there "
    "(code space_reset)."))}
