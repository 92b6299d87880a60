"""Pages of family tracing, inside one space: /spaces/<space>/tracing/..."""

from django.urls import path

from . import views

app_name = "tracing"

urlpatterns = [
    path("tracing/", views.request_list, name="list"),
    path("tracing/new/", views.register, name="register"),
    path("tracing/<str:display_id>/", views.detail, name="detail"),
    path("tracing/<str:display_id>/edit/", views.edit, name="edit"),
    path("tracing/<str:display_id>/<slug:action>/", views.step, name="step"),
]
