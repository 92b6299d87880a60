"""API of the GBV module: incidents and their de-identified data."""

from django.urls import path

from . import views

SPACE = "spaces/<slug:slug>/"

urlpatterns = [
    path(SPACE + "incidents/", views.IncidentListView.as_view(), name="api-incidents"),
    path(SPACE + "incidents/recorder/", views.RecorderView.as_view(), name="api-incident-recorder"),
    path(SPACE + "incidents/statistics/", views.StatisticsView.as_view(),
         name="api-incident-statistics"),
    path(SPACE + "incidents/<str:incident>/", views.IncidentDetailView.as_view(), name="api-incident"),
    # The action names are the contract (see sandbox.common.actions), dots included.
    path(SPACE + "cases/<str:display_id>/actions/incident.create/", views.IncidentCreateView.as_view(),
         name="api-incident.create"),
    path(SPACE + "incidents/<str:incident>/actions/incident.update/",
         views.IncidentUpdateView.as_view(), name="api-incident.update"),
]
