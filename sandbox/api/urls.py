"""The REST API, version 1. Each app keeps its own views; this module wires them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.accounts.signins import record_sign_in
from sandbox.configuration.api.shared import AUTHENTICATION_CLASSES, ErrorSerializer, errors, validated
from sandbox.interop import api as interop
from sandbox.reporting import api as reporting
from sandbox.scoring.api import ReportDetailView, ReportListView, ScoreView, SubmitView
from sandbox.simulation.api import ClockView, ExerciseView, MessagesView
from sandbox.workshops import api as workshops


class TokenView(ObtainAuthToken):
    """Username and password in, the user's API token out (created on first use)."""

    # Credentials are the whole point here: no session, so no CSRF token is needed.
    authentication_classes = []

    @extend_schema(
        operation_id="auth_token", tags=["auth"],
        summary="Get your API token from your username and password.",
        description="Send the token afterwards in the header `Authorization: Token <token>`.",
        responses={200: inline_serializer("Token", {"token": serializers.CharField()}),
                   **errors(400),
                   429: OpenApiResponse(ErrorSerializer, description="Too many failed attempts.")},
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        try:
            data = validated(self.serializer_class, request.data, self.get_serializer_context())
        except Exception:
            # django-axes marks the request when the username is locked out; the
            # password was not even checked. Say so, with the API's 429.
            if getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(detail=_(
                    "Too many failed attempts for this account. Try again later.")) from None
            raise
        # No session login here, so Django's user_logged_in does not fire: log it ourselves.
        # (A failed attempt is logged by the user_login_failed signal of authenticate().)
        record_sign_in(request, username=data["user"].get_username(), user=data["user"],
                       succeeded=True)
        token, _created = Token.objects.get_or_create(user=data["user"])
        if token.created < timezone.now() - settings.API_TOKEN_LIFETIME:
            # An expired token is replaced, never handed out again.
            token.delete()
            token = Token.objects.create(user=data["user"])
        return Response({"token": token.key})


# Redoc's template loads Google Fonts; without them Redoc uses the system fonts, the
# page works offline and no third party learns who reads the docs.
_REDOC = engines["django"].from_string(
    '{% extends "drf_spectacular/redoc.html" %}{% block head %}<title>{{ title }}</title>'
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
    "<style>body { margin: 0; padding: 0; }</style>{% endblock head %}")


class OfflineRedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request: Request, *args: object, **kwargs: object) -> HttpResponse:
        data = super().get(request, *args, **kwargs).data
        return HttpResponse(_REDOC.render(data, request))


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(authentication_classes=AUTHENTICATION_CLASSES),
         name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("sandbox.configuration.api.urls")),
    path("spaces/<slug:slug>/exercise/", ExerciseView.as_view(), name="api-exercise"),
    path("spaces/<slug:slug>/exercise/clock/", ClockView.as_view(), name="api-exercise-clock"),
    path("spaces/<slug:slug>/exercise/messages/", MessagesView.as_view(), name="api-exercise-messages"),
    path("spaces/<slug:slug>/score/", ScoreView.as_view(), name="api-score"),
    path("spaces/<slug:slug>/score/submit/", SubmitView.as_view(), name="api-score-submit"),
    path("spaces/<slug:slug>/reports/", ReportListView.as_view(), name="api-reports"),
    path("spaces/<slug:slug>/reports/<int:pk>/", ReportDetailView.as_view(), name="api-report"),
    path("spaces/<slug:slug>/indicators/", reporting.IndicatorsView.as_view(), name="api-indicators"),
    path("spaces/<slug:slug>/returns/caseload/", reporting.CaseloadReturnView.as_view(),
         name="api-caseload-return"),
    path("spaces/<slug:slug>/exports/cases/", reporting.CaseExportView.as_view(), name="api-export-cases"),
    path("spaces/<slug:slug>/exports/cases/<str:display_id>/", reporting.CaseFileView.as_view(),
         name="api-export-case-file"),
    path("spaces/<slug:slug>/outbox/", interop.OutboxView.as_view(), name="api-outbox"),
    path("spaces/<slug:slug>/outbox/<int:pk>/retry/", interop.OutboxRetryView.as_view(),
         name="api-outbox-retry"),
    path("spaces/<slug:slug>/partners/", interop.PartnersView.as_view(), name="api-partners"),
    path("workshops/", workshops.WorkshopListView.as_view(), name="api-workshops"),
    path("workshops/<int:pk>/summary/", workshops.SummaryView.as_view(), name="api-workshop-summary"),
    path("workshops/<int:pk>/exercises/<int:ex>/board/", workshops.BoardView.as_view(),
         name="api-workshop-board"),
    path("workshops/<int:pk>/exercises/<int:ex>/results/", workshops.ResultsView.as_view(),
         name="api-workshop-results"),
    path("workshops/<int:pk>/exercises/<int:ex>/xapi/", workshops.XapiView.as_view(),
         name="api-workshop-xapi"),
    path("attempts/", workshops.MyAttemptsView.as_view(), name="api-attempts"),
    path("attempts/<int:pk>/submit/", workshops.SubmitAttemptView.as_view(), name="api-attempt-submit"),
]
