"""API of an exercise: the brief and clock, advancing the clock, the messages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.cases.api.base import SLUG, SpaceView
from sandbox.configuration.api.shared import errors
from sandbox.spaces.services import require_writable

from .engine import advance, next_due
from .models import Message, SpaceSeed
from .simtime import parse_duration
from .world import scenario_of


class ExerciseSerializer(serializers.Serializer):
    scenario = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.DictField(child=serializers.CharField())
    brief = serializers.DictField(child=serializers.CharField())
    objectives = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    clock = serializers.DateTimeField()
    next_due = serializers.DateTimeField(allow_null=True)


class AdvanceSerializer(serializers.Serializer):
    by = serializers.RegexField(r"^([0-9]+d)?([0-9]+h)?([0-9]+m)?$", required=False,
                                help_text="A duration such as 1h, 1d, 1d4h, 30m.")
    to_next = serializers.BooleanField(required=False, default=False,
                                       help_text="Move to the next scheduled event.")


class AdvancedSerializer(serializers.Serializer):
    clock = serializers.DateTimeField()
    fired = serializers.ListField(child=serializers.CharField())


class MessageSerializer(serializers.Serializer):
    sim_time = serializers.DateTimeField()
    sender = serializers.DictField(child=serializers.CharField())
    body = serializers.DictField(child=serializers.CharField())
    case = serializers.CharField(source="case_display_id")
    inject = serializers.CharField(source="inject_ref")


def seed_of(view: SpaceView) -> SpaceSeed:
    seed = SpaceSeed.objects.filter(space_id=view.member.space_id).first()
    if seed is None:
        raise Http404("This space is not an exercise.")
    return seed


class ExerciseView(SpaceView):
    @extend_schema(operation_id="exercise_detail", tags=["exercise"], parameters=[SLUG],
                   summary="The exercise of a space: brief, objectives and simulated clock.",
                   responses={200: ExerciseSerializer, **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        scenario = scenario_of(seed_of(self))
        space = self.member.space
        return Response(ExerciseSerializer({
            "scenario": scenario.id, "version": scenario.version, "title": scenario.title,
            "brief": scenario.brief, "objectives": scenario.objectives, "clock": space.clock,
            "next_due": next_due(space)}).data)


class ClockView(SpaceView):
    @extend_schema(operation_id="exercise_clock_advance", tags=["exercise"], parameters=[SLUG],
                   request=AdvanceSerializer,
                   summary="Move the simulated clock forward; what falls due happens.",
                   responses={200: AdvancedSerializer, **errors(400, 401, 404, 409)})
    def post(self, request: Request, slug: str) -> Response:
        body: dict[str, Any] = self.body(AdvanceSerializer)
        seed_of(self)
        space = self.member.space
        require_writable(space)
        if body.get("to_next"):
            fired = advance(space, to_next=True)
        else:
            from sandbox.common.errors import ValidationFailed

            if not body.get("by"):
                raise ValidationFailed("Give 'by' (e.g. 1h) or 'to_next': true.",
                                       details={"fields": {"by": ["This field is required."]}})
            fired = advance(space, by=parse_duration(body["by"]))
        space.refresh_from_db()
        return Response(AdvancedSerializer({"clock": space.clock, "fired": fired}).data)


class MessagesView(SpaceView):
    @extend_schema(operation_id="exercise_messages", tags=["exercise"], parameters=[SLUG],
                   summary="Messages of the exercise (injects, colleagues' answers), newest first.",
                   responses={200: MessageSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        rows = Message.objects.filter(space_id=self.member.space_id).order_by("-sim_time", "-pk")
        return Response(MessageSerializer(rows[:200], many=True).data)
