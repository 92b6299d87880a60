"""Downloading a case's documents (upload fields), for members who may read that form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from ..models import CaseView
from ..selectors import case_get, document_get
from .base import here
from .case_detail import case_gone


@login_required
def document_download(request: HttpRequest, space: str, display_id: str, key: str) -> HttpResponse:
    """The document's bytes, as an attachment (never shown inline: it is user content)."""
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    document = document_get(viewer=at.member, case=case, key=key)
    if not CaseView.record(at.member, case, "document"):
        return case_gone(request, space)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = attachment(document.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
