from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    # The pages of a member of the space.
    path("spaces/<slug:space>/outbox/", views.outbox_page, name="outbox"),
    path("spaces/<slug:space>/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    # The signed endpoints, for other systems (no login).
    path("interop/v1/spaces/<slug:space>/messages/", views.inbound_endpoint, name="inbound"),
    path("interop/partner-sim/<slug:space>/<slug:code>/messages/", views.partner_endpoint,
         name="partner_sim"),
]
