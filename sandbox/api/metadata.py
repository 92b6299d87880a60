"""What an `OPTIONS` request answers.

DRF's default describes the fields of the view's serializer, which many views here do
not declare (they validate with their own serializers inside the method), so
`OPTIONS` failed on them. The OpenAPI schema at /api/v1/schema/ is the description of
every field; `OPTIONS` answers the name, the formats and the allowed methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import BaseMetadata
from rest_framework.request import Request

if TYPE_CHECKING:
    from rest_framework.views import APIView



class SchemaPointerMetadata(BaseMetadata):
    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "allowed_methods": view.allowed_methods,
            "schema": "/api/v1/schema/",
        }
