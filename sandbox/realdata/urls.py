from django.urls import path

from . import views

urlpatterns = [
    path("flagged-entries/", views.flagged_list, name="realdata-flagged"),
]
