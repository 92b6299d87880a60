from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("workshops/<int:pk>/jobs/<int:job>/", views.progress, name="progress"),
]
