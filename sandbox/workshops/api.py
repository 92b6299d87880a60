"""API of workshops: for trainers, the board, results, xAPI and the workshop's summary; for
trainees, their attempts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiTypes, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.common.i18n import pick
from sandbox.configuration.api.shared import AUTHENTICATION_CLASSES, RENDERER_CLASSES, errors

from .debrief import NOT_STARTED, NOT_SUBMITTED, SUBMITTED, summary
from .exports import xapi_statements
from .models import Attempt, Exercise, Workshop
from .selectors import board, managed_exercise, managed_workshop, my_attempt, results, workshops_for
from .services import attempt_submit


class WorkshopSerializer(serializers.ModelSerializer):
    trainer = serializers.CharField(source="trainer.display_name")

    class Meta:
        model = Workshop
        fields = ["id", "title", "language", "starts_on", "ends_on", "organisations", "trainer"]


class AssignmentSerializer(serializers.ModelSerializer):
    # Declared, not derived from the model: the derived bounds depend on the database.
    time_limit_minutes = serializers.IntegerField(min_value=1, allow_null=True)
    class Meta:
        model = Exercise
        fields = ["id", "scenario_id", "title", "mode", "status", "time_limit_minutes",
                  "opens_at", "closes_at", "allow_retry", "started_at", "closed_at"]


class BoardRowSerializer(serializers.Serializer):
    attempt = serializers.IntegerField(source="attempt.pk")
    number = serializers.IntegerField(source="attempt.number")
    trainee = serializers.CharField()
    organisation = serializers.CharField()
    status = serializers.CharField()
    clock = serializers.DateTimeField(allow_null=True)
    met = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField()
    stage = serializers.CharField()
    last_action = serializers.CharField()
    last_action_at = serializers.DateTimeField(allow_null=True)
    stuck = serializers.BooleanField()


class AttemptSerializer(serializers.ModelSerializer):
    exercise = AssignmentSerializer()
    space = serializers.CharField(source="space.slug", allow_null=True)
    score = serializers.FloatField(source="report.score", allow_null=True, default=None)
    percent = serializers.FloatField(source="report.percent", allow_null=True, default=None)
    passed = serializers.BooleanField(source="report.passed", allow_null=True, default=None)
    number = serializers.IntegerField(min_value=1)

    class Meta:
        model = Attempt
        fields = ["id", "exercise", "number", "status", "space", "started_at", "submitted_at",
                  "score", "percent", "passed"]


class Base(APIView):
    authentication_classes = AUTHENTICATION_CLASSES
    renderer_classes = RENDERER_CLASSES


class WorkshopListView(Base):
    @extend_schema(operation_id="workshops_list", tags=["workshops"],
                   summary="Workshops you run (trainers), are enrolled in (trainees), or all "
                           "(administrators).",
                   responses={200: WorkshopSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(WorkshopSerializer(workshops_for(request.user).select_related("trainer"),
                                           many=True).data)


class ExerciseMixin(Base):
    def exercise(self, request: Request, pk: int, ex: int) -> Exercise:
        workshop = managed_workshop(request.user, pk)
        return managed_exercise(request.user, workshop, ex)


class BoardView(ExerciseMixin):
    @extend_schema(operation_id="workshops_board", tags=["workshops"],
                   summary="The live board of an exercise (the workshop's trainer only).",
                   responses={200: BoardRowSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, pk: int, ex: int) -> Response:
        return Response(BoardRowSerializer(board(self.exercise(request, pk, ex)), many=True).data)


class ResultsView(ExerciseMixin):
    @extend_schema(operation_id="workshops_results", tags=["workshops"],
                   summary="Results of an exercise: submitted attempts and rule-by-rule completion.",
                   responses={200: OpenApiTypes.OBJECT, **errors(401, 404)})
    def get(self, request: Request, pk: int, ex: int) -> Response:
        found = results(self.exercise(request, pk, ex))
        attempts: list[dict[str, Any]] = [
            {"attempt": a.pk, "number": a.number, "trainee": a.enrolment.user.display_name,
             "organisation": a.enrolment.organisation,
             "score": a.report.score if a.report else None,
             "percent": a.report.percent if a.report else None,
             "passed": a.report.passed if a.report else None,
             "submitted_at": a.submitted_at} for a in found.attempts]
        return Response({"attempts": attempts, "rules": found.rules})


class XapiView(ExerciseMixin):
    @extend_schema(operation_id="workshops_xapi", tags=["workshops"],
                   summary="xAPI statements of submitted attempts: completed, passed or failed per step.",
                   responses={200: OpenApiTypes.OBJECT, **errors(401, 404)})
    def get(self, request: Request, pk: int, ex: int) -> Response:
        return Response(xapi_statements(self.exercise(request, pk, ex)))


class MyAttemptsView(Base):
    @extend_schema(operation_id="attempts_mine", tags=["workshops"],
                   summary="Your attempts at the exercises of your workshops.",
                   responses={200: AttemptSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        rows = (Attempt.objects.filter(enrolment__user=request.user)
                .select_related("exercise", "space", "report").order_by("exercise", "number"))
        return Response(AttemptSerializer(rows, many=True).data)


class SubmitAttemptView(Base):
    @extend_schema(operation_id="attempts_submit", tags=["workshops"], request=None,
                   summary="Submit your attempt: it is scored and the report kept.",
                   responses={200: AttemptSerializer, **errors(400, 401, 404)})
    def post(self, request: Request, pk: int) -> Response:
        attempt = my_attempt(request.user, pk)
        return Response(AttemptSerializer(attempt_submit(user=request.user, attempt=attempt)).data)


class SummaryStepSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.SerializerMethodField(help_text="In the language asked for.")
    met = serializers.IntegerField(help_text="Trainees whose latest submitted attempt met it.")
    total = serializers.IntegerField(help_text="Trainees with a submitted attempt.")

    def get_title(self, step: Any) -> str:
        return str(pick(step.title) or step.id)


class SummaryExerciseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="exercise.pk")
    title = serializers.CharField(source="exercise.title")
    scenario_id = serializers.CharField(source="exercise.scenario_id")
    status = serializers.CharField(source="exercise.status")
    steps = SummaryStepSerializer(many=True)


class SummaryCellSerializer(serializers.Serializer):
    exercise = serializers.IntegerField()
    state = serializers.ChoiceField(choices=[NOT_STARTED, NOT_SUBMITTED, SUBMITTED])
    attempt = serializers.IntegerField(allow_null=True, help_text="The attempt's number.")
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.IntegerField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    met = serializers.IntegerField()
    total = serializers.IntegerField()
    missed = serializers.ListField(child=serializers.CharField(), help_text="Ids of the steps missed.")


class SummaryTraineeSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(source="enrolment.pk")
    name = serializers.CharField()
    username = serializers.CharField(source="enrolment.user.username")
    organisation = serializers.CharField(source="enrolment.organisation")
    results = serializers.SerializerMethodField()

    @extend_schema_field(SummaryCellSerializer(many=True))
    def get_results(self, row: Any) -> list[dict[str, Any]]:
        exercises = self.context["exercises"]
        return [SummaryCellSerializer({**vars(cell), "exercise": item.exercise.pk}).data
                for item, cell in zip(exercises, row.cells, strict=True)]


class SummarySerializer(serializers.Serializer):
    workshop = WorkshopSerializer()
    exercises = SummaryExerciseSerializer(many=True)
    trainees = SummaryTraineeSerializer(many=True, source="rows")


class SummaryView(Base):
    @extend_schema(operation_id="workshops_summary", tags=["workshops"],
                   summary="The workshop's summary: every trainee's latest submitted attempt at "
                           "every exercise, and each step's completion (the workshop's trainer "
                           "only).",
                   responses={200: SummarySerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        found = summary(managed_workshop(request.user, pk))
        return Response(SummarySerializer(found, context={"exercises": found.exercises}).data)
