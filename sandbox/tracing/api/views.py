"""API of family tracing: /api/v1/spaces/<slug>/tracing-requests/..., scoped like the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.cases.api.base import SLUG, SpaceView
from sandbox.cases.permissions import require
from sandbox.cases.services._core import space_was_reset
from sandbox.configuration.api.shared import GONE_BY_RESET, errors

from .. import selectors as sel
from .. import services
from ..models import RequestView, TracingMatch, TracingRequest
from . import serializers as s

READ_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404)
DISPLAY_ID = OpenApiParameter("display_id", OpenApiTypes.STR, OpenApiParameter.PATH,
                              description="The tracing request ID, e.g. TR-0001.")
MATCH_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                            description="The match's id (see the tracing request's matches).")
TAGS = ["tracing"]


class TracingView(SpaceView):
    def may_view(self) -> None:  # type: ignore[override]
        """Reading needs the role's `tracing_request.view` permission (403)."""
        require(self.member, "tracing_request.view", None, self.member.space.config)

    def tracing(self, display_id: str) -> TracingRequest:
        self.may_view()
        return sel.request_get(viewer=self.member, display_id=display_id)

    def match(self, display_id: str, pk: int) -> TracingMatch:
        return sel.match_get(viewer=self.member, request=self.tracing(display_id), pk=pk)

    def detail(self, request: TracingRequest, status: int = 200) -> Response:
        request = sel.visible_requests(self.member).select_related("owner").prefetch_related(
            "traces", "matches__case").get(pk=request.pk)
        return self.answer(s.RequestDetailSerializer, request, status)


class RequestListView(TracingView):
    @extend_schema(operation_id="tracing_requests_list", tags=TAGS, parameters=[SLUG],
                   summary="The tracing requests within your scope.",
                   responses={200: s.RequestSummarySerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        self.may_view()
        return self.answer(s.RequestSummarySerializer, sel.request_list(viewer=self.member), many=True)

    @extend_schema(operation_id="tracing_requests_create", tags=TAGS, parameters=[SLUG],
                   summary="Register a tracing request (action tracing_request.create).",
                   request=s.RequestBody, responses={201: s.RequestDetailSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        created = services.tracing_request_create(actor=self.member, data=_dates(self.body(s.RequestBody)))
        return self.detail(created, 201)


def _dates(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("separation_date") is not None:
        body["separation_date"] = body["separation_date"].isoformat()
    return body


class RequestDetailView(TracingView):
    @extend_schema(operation_id="tracing_requests_retrieve", tags=TAGS, parameters=[SLUG, DISPLAY_ID],
                   summary="A tracing request with its traces and matches.",
                   responses={200: s.RequestDetailSerializer, **READ_ERRORS, **GONE_BY_RESET})
    def get(self, request: Request, slug: str, display_id: str) -> Response:
        tracing = self.tracing(display_id)
        if not RequestView.record(self.member, tracing, via=RequestView.Via.API):
            raise space_was_reset()  # a reset removed it after it was read: 409
        return self.detail(tracing)

    @extend_schema(operation_id="tracing_requests_update", tags=TAGS, parameters=[SLUG, DISPLAY_ID],
                   summary="Change some fields of a tracing request (action tracing_request.update).",
                   request=s.RequestBody, responses={200: s.RequestDetailSerializer, **WRITE_ERRORS})
    def patch(self, request: Request, slug: str, display_id: str) -> Response:
        tracing = self.tracing(display_id)
        body = _dates(self.body(s.RequestBody, partial=True))
        return self.detail(services.tracing_request_update(actor=self.member, request=tracing, data=body))


class TraceView(TracingView):
    @extend_schema(operation_id="tracing_traces_create", tags=TAGS, parameters=[SLUG, DISPLAY_ID],
                   summary="Record a trace (action trace.record).",
                   request=s.TraceBody, responses={201: s.RequestDetailSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str, display_id: str) -> Response:
        tracing = self.tracing(display_id)
        services.trace_record(actor=self.member, request=tracing, **self.body(s.TraceBody))
        return self.detail(tracing, 201)


class MatchSearchView(TracingView):
    @extend_schema(operation_id="tracing_matches_search", tags=TAGS, parameters=[SLUG, DISPLAY_ID],
                   summary="Look for the child among the cases (action match.search); the "
                           "candidates become proposed matches, best first, with their reasons.",
                   request=None, responses={200: s.RequestDetailSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str, display_id: str) -> Response:
        tracing = self.tracing(display_id)
        services.match_search(actor=self.member, request=tracing)
        return self.detail(tracing)


def _match_step(name: str, body: type, summary: str, call: Any) -> type[TracingView]:
    class MatchStepView(TracingView):
        @extend_schema(operation_id=f"tracing_matches_{name}", tags=TAGS,
                       parameters=[SLUG, DISPLAY_ID, MATCH_ID], summary=summary, request=body,
                       responses={200: s.MatchSerializer, **WRITE_ERRORS})
        def post(self, request: Request, slug: str, display_id: str, id: int) -> Response:
            match = self.match(display_id, id)
            return self.answer(s.MatchSerializer, call(actor=self.member, match=match,
                                                       **self.body(body)))

    MatchStepView.__name__ = MatchStepView.__qualname__ = f"Match{name.title()}View"
    return MatchStepView


MATCH_STEPS = {
    "confirm": _match_step("confirm", s.DecisionBody, "Confirm a match, with a reason (action "
                           "match.confirm); needs the case's consent for tracing, or an override.",
                           services.match_confirm),
    "reject": _match_step("reject", s.DecisionBody, "Reject a match, with a reason (action "
                          "match.reject).",
                          lambda *, consent_override_reason="", **kw: services.match_reject(**kw)),
    "verify": _match_step("verify", s.NoteBody, "Record the verification of a confirmed match "
                          "(action match.verify).", services.match_verify),
    "reunify": _match_step("reunify", s.ReunificationBody, "Record the reunification or other "
                           "care arrangement of a verified match (action reunification.record).",
                           services.reunification_record),
}
