"""API of GBV incidents: /api/v1/spaces/<slug>/incidents/..., scoped like the case API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.cases.api.base import DISPLAY_ID, SLUG, SpaceView
from sandbox.cases.permissions import require
from sandbox.configuration.api.shared import errors

from .. import services
from ..recorder import as_json
from ..selectors import incident_get, incident_list
from . import serializers as s

READ_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404, 409)
INCIDENT_ID = OpenApiParameter("incident", OpenApiTypes.STR, OpenApiParameter.PATH,
                               description="The incident ID, e.g. INC-0001.")


class IncidentListView(SpaceView):
    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="incidents_list", tags=["gbv"], parameters=[SLUG],
                   summary="GBV incidents of the cases you can see (empty without incident.view).",
                   responses={200: s.IncidentSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        return self.page(s.IncidentSerializer, incident_list(viewer=self.member))


class IncidentDetailView(SpaceView):
    @extend_schema(operation_id="incidents_retrieve", tags=["gbv"], parameters=[SLUG, INCIDENT_ID],
                   summary="One GBV incident record.",
                   responses={200: s.IncidentSerializer, **READ_ERRORS})
    def get(self, request: Request, slug: str, incident: str) -> Response:
        return self.answer(s.IncidentSerializer, incident_get(viewer=self.member, display_id=incident))


class IncidentCreateView(SpaceView):
    @extend_schema(operation_id="incident_create", tags=["gbv"], parameters=[SLUG, DISPLAY_ID],
                   summary="incident.create: record an incident from the survivor's case.",
                   request=s.IncidentBodySerializer,
                   responses={201: s.IncidentSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str, display_id: str) -> Response:
        case = self.case(display_id)
        incident = services.incident_create(actor=self.member, case=case,
                                            data=_body(request.data))
        return self.answer(s.IncidentSerializer, incident, status=201)


class IncidentUpdateView(SpaceView):
    @extend_schema(operation_id="incident_update", tags=["gbv"], parameters=[SLUG, INCIDENT_ID],
                   summary="incident.update: correct an incident (the keys given replace the record's).",
                   request=s.IncidentBodySerializer,
                   responses={200: s.IncidentSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str, incident: str) -> Response:
        record = incident_get(viewer=self.member, display_id=incident)
        record = services.incident_update(actor=self.member, incident=record,
                                          data=_body(request.data))
        return self.answer(s.IncidentSerializer, record)


def _body(data: Any) -> dict[str, Any]:
    """The request body as the service checks it (it names every bad field itself)."""
    return dict(data) if hasattr(data, "keys") else {}


class RecorderView(SpaceView):
    @extend_schema(operation_id="incident_recorder", tags=["gbv"], parameters=[SLUG],
                   summary="De-identified incident data (the Incident Recorder): one row per "
                           "incident whose survivor consented to statistics; recorded as an "
                           "incident.export event.",
                   responses={200: s.RecorderRowSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        require(self.member, "incident.export", None, self.member.space.config)
        return Response(services.recorder_export(actor=self.member, file_format="json"))


class StatisticsView(SpaceView):
    @extend_schema(operation_id="incident_statistics", tags=["gbv"], parameters=[SLUG],
                   summary="Monthly statistics of the de-identified incident data; cells below the "
                           "policy's minimum count are null (suppressed); recorded as an "
                           "incident.export event.",
                   responses={200: s.StatisticsMonthSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        require(self.member, "incident.export", None, self.member.space.config)
        return Response(as_json(services.statistics_export(actor=self.member, file_format="json")))
