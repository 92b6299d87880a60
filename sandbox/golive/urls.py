"""Implementers' pages: /configurations/..."""

from django.urls import path

from . import views

app_name = "golive"

urlpatterns = [
    path("configurations/", views.review_list, name="list"),
    path("configurations/<int:pk>/", views.review_detail, name="detail"),
    path("configurations/<int:pk>/report.html", views.review_report, name="report"),
    path("configurations/<int:pk>/trial/", views.review_trial, name="trial"),
    path("configurations/<int:pk>/delete/", views.review_delete, name="delete"),
]
