"""Pages of an exercise inside a space: /spaces/<space>/exercise/..."""

from django.urls import path

from . import views

app_name = "simulation"

urlpatterns = [
    path("exercise/", views.exercise, name="exercise"),
    path("exercise/clock/", views.clock, name="clock"),
]
