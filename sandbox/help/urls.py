from django.urls import path

from sandbox.help import views

app_name = "help"

urlpatterns = [
    path("help/", views.guide, name="guide"),
    path("help/<path:path>", views.guide, name="page"),
]
