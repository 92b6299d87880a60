"""API of scoring: the live score, submitting an attempt, the stored reports."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.cases.api.base import SLUG, SpaceView
from sandbox.configuration.api.shared import errors
from sandbox.simulation.models import SpaceSeed

from .attempts import score_space
from .models import Report
from .services import submit_for


class ReportSerializer(serializers.ModelSerializer):
    report = serializers.JSONField(source="result")
    # Declared, not derived from the model: the derived bounds depend on the database.
    scenario_version = serializers.IntegerField(min_value=1)
    max_score = serializers.IntegerField(min_value=0)

    class Meta:
        model = Report
        fields = ["id", "space_slug", "scenario_id", "scenario_version", "score", "max_score",
                  "percent", "passed", "sim_time", "submitted_at", "report", "timeline"]


class ScoreView(SpaceView):
    @extend_schema(operation_id="score_detail", tags=["scoring"], parameters=[SLUG],
                   summary="The score of the space now (not stored): the same JSON as "
                           "`manage.py score_space --format json`.",
                   responses={200: OpenApiTypes.OBJECT, **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        if not SpaceSeed.objects.filter(space_id=self.member.space_id).exists():
            raise Http404("This space is not an exercise.")
        return Response(score_space(self.member.space).as_dict())


class SubmitView(SpaceView):
    @extend_schema(operation_id="score_submit", tags=["scoring"], parameters=[SLUG], request=None,
                   summary="Submit the attempt: score it and keep the report (it survives resets).",
                   responses={201: ReportSerializer, **errors(401, 404)})
    def post(self, request: Request, slug: str) -> Response:
        return Response(ReportSerializer(submit_for(self.member)).data, status=201)


class ReportListView(SpaceView):
    @extend_schema(operation_id="reports_list", tags=["scoring"], parameters=[SLUG],
                   summary="Reports submitted in this space, newest first.",
                   responses={200: ReportSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        rows = Report.objects.filter(space_id=self.member.space_id)
        return Response(ReportSerializer(rows, many=True).data)


class ReportDetailView(SpaceView):
    @extend_schema(operation_id="reports_detail", tags=["scoring"], parameters=[SLUG],
                   summary="One submitted report.",
                   responses={200: ReportSerializer, **errors(401, 404)})
    def get(self, request: Request, slug: str, pk: int) -> Response:
        found = Report.objects.filter(space_id=self.member.space_id, pk=pk).first()
        if found is None:
            raise Http404("No such report.")
        return Response(ReportSerializer(found).data)
