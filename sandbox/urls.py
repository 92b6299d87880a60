"""URLs of the sandbox."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Training sandbox administration (synthetic data only)")
admin.site.site_title = _("Training sandbox")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("sandbox.api.urls")),
    path("api/v1/", include("sandbox.gbv.api.urls")),  # before the case URLs: incidents/...
    path("api/v1/", include("sandbox.cases.api.urls")),
    path("api/v1/", include("sandbox.tracing.api.urls")),
    path("spaces/<slug:space>/", include("sandbox.cases.urls")),
    path("spaces/<slug:space>/", include("sandbox.gbv.urls")),
    path("spaces/<slug:space>/", include("sandbox.simulation.urls")),
    path("spaces/<slug:space>/", include("sandbox.scoring.urls")),
    path("spaces/<slug:space>/", include("sandbox.reporting.urls")),
    path("spaces/<slug:space>/", include("sandbox.tracing.urls")),
    path("", include("sandbox.interop.urls")),  # /spaces/.../outbox/ and /interop/...
    path("", include("sandbox.golive.urls")),  # /configurations/...
    path("", include("sandbox.workshops.urls")),  # /workshops/... and /join/
    path("", include("sandbox.quizzes.urls")),  # /workshops/.../knowledge-checks/
    path("", include("sandbox.certificates.urls")),  # /workshops/.../certificates/, /certificates/check/
    path("", include("sandbox.jobs.urls")),  # /workshops/.../jobs/...
    path("", include("sandbox.realdata.urls")),  # /flagged-entries/
    path("", include("sandbox.help.urls")),  # /help/: the built guide
    path("", include("sandbox.web.urls")),
]

# The sandbox's own error pages (in the site's layout and language), DEBUG or not.
handler400 = "sandbox.web.errors.bad_request"
handler403 = "sandbox.web.errors.permission_denied"
handler404 = "sandbox.web.errors.page_not_found"
handler500 = "sandbox.web.errors.server_error"
