"""Pages of scoring inside a space: /spaces/<space>/reports/..."""

from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("exercise/submit/", views.submit_attempt, name="submit"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("exercise/try-again/", views.try_again, name="try_again"),
    path("exercise/time-up/", views.time_up, name="time_up"),
]
