"""URLs of the configuration API, included under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("config/<slug:bundle>/", views.BundleView.as_view(), name="api-config-bundle"),
    path("config/<slug:bundle>/forms/", views.FormsView.as_view(), name="api-config-forms"),
    path("config/<slug:bundle>/lookups/", views.LookupsView.as_view(), name="api-config-lookups"),
    path("config/<slug:bundle>/locations/", views.LocationsView.as_view(),
         name="api-config-locations"),
    path("config/<slug:bundle>/roles/", views.RolesView.as_view(), name="api-config-roles"),
]
