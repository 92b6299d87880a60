from django.urls import path

from . import views

app_name = "gbv"

urlpatterns = [
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/data/", views.incident_data, name="data"),
    path("incidents/recorder.csv", views.recorder_download, name="recorder_csv"),
    path("incidents/<str:incident>/", views.incident_detail, name="incident"),
    path("cases/<str:display_id>/incident/", views.incident_new, name="incident_new"),
]
