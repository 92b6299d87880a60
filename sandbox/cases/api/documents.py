"""Documents of a case's upload fields: list, upload, download, remove.

Stored per space like every record of a case: only members of the space who can
see the case, and whose role may read a form section with that field, reach them.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.configuration.api.shared import errors

from .. import services
from ..selectors import document_get, documents_of
from ..views.documents import attachment
from . import bodies as rq
from . import serializers as s
from .base import DISPLAY_ID, SLUG, SpaceView

KEY = OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH,
                       description="The document's id (as case data stores it).")


class DocumentListView(SpaceView):
    """Documents are added to an upload field one at a time (action case.update); the
    field's `accept` list and `max_size_kb` limit them."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="cases_documents_list", tags=["cases"],
                   parameters=[SLUG, DISPLAY_ID],
                   summary="The case's documents on the forms your role may read.",
                   responses={200: s.DocumentSerializer(many=True), **errors(401, 403, 404)})
    def get(self, request: Request, slug: str, display_id: str) -> Response:
        case = self.case(display_id)
        self.may_view(case)
        found = documents_of(viewer=self.member, case=case)
        rows = [d for docs in found.values() for d in docs]
        return self.answer(s.DocumentSerializer, rows, many=True)

    @extend_schema(operation_id="cases_documents_upload", tags=["cases"],
                   parameters=[SLUG, DISPLAY_ID],
                   summary="Add a document to an upload field (action case.update).",
                   request={"multipart/form-data": rq.DocumentUploadSerializer},
                   responses={201: s.DocumentSerializer, **errors(400, 401, 403, 404)})
    def post(self, request: Request, slug: str, display_id: str) -> Response:
        case = self.case(display_id)
        body = self.body(rq.DocumentUploadSerializer)
        document = services.document_upload(actor=self.member, case=case, field=body["field"],
                                            upload=body["file"])
        return self.answer(s.DocumentSerializer, document, status=201)


class DocumentView(SpaceView):
    @extend_schema(operation_id="cases_documents_download", tags=["cases"],
                   parameters=[SLUG, DISPLAY_ID, KEY],
                   summary="The document's content, as an attachment.",
                   responses={(200, "application/octet-stream"): OpenApiResponse(
                       OpenApiTypes.BINARY), **errors(401, 403, 404)})
    def get(self, request: Request, slug: str, display_id: str, key: str) -> HttpResponse:
        case = self.case(display_id)
        self.may_view(case)
        document = document_get(viewer=self.member, case=case, key=key)
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["Content-Disposition"] = attachment(document.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(operation_id="cases_documents_remove", tags=["cases"],
                   parameters=[SLUG, DISPLAY_ID, KEY],
                   summary="Remove a document from its field (action case.update); answers the "
                           "documents left.",
                   responses={200: s.DocumentSerializer(many=True), **errors(400, 401, 403, 404)})
    def delete(self, request: Request, slug: str, display_id: str, key: str) -> Response:
        case = self.case(display_id)
        document_get(viewer=self.member, case=case, key=key)  # 404 unless the viewer may see it
        services.document_remove(actor=self.member, case=case, key=key)
        found = documents_of(viewer=self.member, case=case)
        return self.answer(s.DocumentSerializer, [d for docs in found.values() for d in docs],
                           many=True)
