"""API of family tracing: /api/v1/spaces/<slug>/tracing-requests/..."""

from django.urls import path

from . import views

SPACE = "spaces/<slug:slug>/"
REQUEST = SPACE + "tracing-requests/<str:display_id>/"

urlpatterns = [
    path(SPACE + "tracing-requests/", views.RequestListView.as_view(), name="api-tracing-requests"),
    path(REQUEST, views.RequestDetailView.as_view(), name="api-tracing-request"),
    path(REQUEST + "traces/", views.TraceView.as_view(), name="api-tracing-traces"),
    path(REQUEST + "matches/search/", views.MatchSearchView.as_view(), name="api-tracing-search"),
] + [
    path(REQUEST + f"matches/<int:id>/{step}/", view.as_view(), name=f"api-tracing-{step}")
    for step, view in views.MATCH_STEPS.items()
]
