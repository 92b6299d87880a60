"""Certificates: the trainer's pages under the workshop, the trainee's, and the public check."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("workshops/<int:pk>/certificates/", views.manage, name="manage"),
    path("workshops/<int:pk>/certificates/issue/", views.issue, name="issue"),
    path("workshops/<int:pk>/certificates/<int:cert>/revoke/", views.revoke, name="revoke"),
    path("workshops/<int:pk>/certificates/<int:cert>/pdf/", views.download, name="download"),
    path("workshops/mine/<int:pk>/certificate/", views.mine, name="mine"),
    path("certificates/check/", views.check, name="check"),
]
