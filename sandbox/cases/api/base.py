"""What every view of the case API shares: the space, the member, bodies and answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.common.errors import ValidationFailed
from sandbox.configuration.api.shared import AUTHENTICATION_CLASSES, RENDERER_CLASSES, validated
from sandbox.spaces.models import Member
from sandbox.spaces.selectors import membership

from ..models import Case
from ..permissions import require
from ..selectors import case_get

SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="The space's slug (see GET /api/v1/spaces/).")
DISPLAY_ID = OpenApiParameter("display_id", OpenApiTypes.STR, OpenApiParameter.PATH,
                              description="The case ID, e.g. CP-0001.")


class SpaceView(GenericAPIView):
    """A view inside one space. `self.member` is the user's member there; a space the
    user is not in answers 404, like a space that does not exist."""

    authentication_classes = AUTHENTICATION_CLASSES
    renderer_classes = RENDERER_CLASSES
    pagination_class = None  # list views that page say so
    member: Member

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication first: 401 before 404
        self.member = membership(request.user, kwargs["slug"])

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "member": self.member}

    def body(self, serializer_class: type[serializers.Serializer], *,
             partial: bool = False) -> dict[str, Any]:
        return validated(serializer_class, self.request.data, self.get_serializer_context(),
                         partial=partial)

    def answer(self, serializer_class: type[serializers.Serializer], instance: Any,
               status: int = 200, *, many: bool = False) -> Response:
        serializer = serializer_class(instance, many=many, context=self.get_serializer_context())
        return Response(serializer.data, status=status)

    def page(self, serializer_class: type[serializers.Serializer], queryset: QuerySet) -> Response:
        rows = self.paginate_queryset(queryset)
        data = serializer_class(rows, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def case(self, display_id: str) -> Case:
        """A case the member can see, or 404: cases outside their scope do not exist for them."""
        return case_get(viewer=self.member, display_id=display_id)

    def may_view(self, case: Case | None = None) -> None:
        """Reading needs the role's `case.view` permission (403 forbidden_by_role)."""
        require(self.member, "case.view", case, self.member.space.config)


def body_reference(getter: Any, field: str, **kwargs: Any) -> Any:
    """A record named in a request body, or 400 naming the field (not 404: the URL was right)."""
    try:
        return getter(**kwargs)
    except Http404:
        raise ValidationFailed(_("Nothing with this identifier here."),
                               details={"fields": {field: [_("Not found.")]}}) from None


@contextmanager
def body_field_names(names: dict[str, str]) -> Iterator[None]:
    """Errors of a service name some fields after what they are ("recipient"); the
    request body names them otherwise ("to_member"). Rename, so clients can match them."""
    try:
        yield
    except ValidationFailed as exc:
        fields = exc.details.get("fields") if isinstance(exc.details, dict) else None
        if names and isinstance(fields, dict):
            exc.details["fields"] = {names.get(key, key): value for key, value in fields.items()}
        raise
