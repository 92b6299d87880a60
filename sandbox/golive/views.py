"""Pages for implementers: upload a configuration, read its review, try it in a space."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import get_config
from sandbox.scoring.golive.render import render_html

from . import selectors, services
from .forms import TrialForm, UploadForm
from .models import ConfigurationReview

#: The import report's groups, as an implementer reads them.
IMPORT_GROUPS = {
    "unreadable": gettext_lazy("Parts of the source that could not be read (the rest was imported)"),
    "not_imported": gettext_lazy("Records the sandbox has no place for"),
    "approximated": gettext_lazy("Constructs converted to the nearest equivalent"),
    "dropped": gettext_lazy("Properties with no equivalent in the sandbox (dropped)"),
    "generated": gettext_lazy("Things the import made up because the source does not say them"),
    "missing": gettext_lazy("What the sandbox expects and the source does not have"),
    "permissions": gettext_lazy("Permissions with no equivalent action in the sandbox"),
    "mapping": gettext_lazy("Scenario concepts the proposed mapping could not match"),
}


def _import_groups(report: dict) -> list[tuple[str, list[dict]]]:
    groups = report.get("groups") or {}
    return [(str(IMPORT_GROUPS.get(key, key)), group.get("entries", []))
            for key, group in groups.items()]


def _implementer(request: HttpRequest) -> None:
    if not request.user.is_administrator:  # type: ignore[union-attr]
        raise PermissionDenied(_("Only implementers (administrators) review configurations."))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """GET: the reviews so far; POST: upload a configuration and review it."""
    _implementer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                review = services.review_upload(by=request.user, filename=upload.name,  # type: ignore[arg-type]
                                                content=upload.read())
            except SandboxError as exc:
                form.add_error("file", str(exc.message))
                status = exc.status
            else:
                return redirect("golive:detail", pk=review.pk)
    return render(request, "golive/review_list.html", {
        "reviews": selectors.reviews_for(request.user),  # type: ignore[arg-type]
        "form": form,
    }, status=status)


def _role_choices(review: ConfigurationReview) -> list[tuple[str, str]]:
    if review.trial_bundle is None:
        return []
    config = get_config(review.trial_bundle)
    return [(code, pick(role.name) or code) for code, role in config.roles.items()]


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _implementer(request)
    review = selectors.review_get(request.user, pk)  # type: ignore[arg-type]
    return render(request, "golive/review_detail.html", {
        "review": review,
        "import_groups": _import_groups(review.import_report),
        "errors": review.errors,
        "warnings": review.warnings,
        "trial_form": TrialForm(roles=_role_choices(review), initial_role=services.default_role(review)),
        "can_try": review.status in (ConfigurationReview.Status.VALID, ConfigurationReview.Status.READY),
    })


@login_required
@require_POST
def review_trial(request: HttpRequest, pk: int) -> HttpResponse:
    _implementer(request)
    review = selectors.review_get(request.user, pk)  # type: ignore[arg-type]
    try:
        space = services.review_trial(by=request.user, review=review,  # type: ignore[arg-type]
                                      role=request.POST.get("role", ""))
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect("golive:detail", pk=review.pk)
    messages.success(request, _("The trial space is ready, on this configuration only. "
                                "Running workshops are not affected."))
    return redirect(reverse("cases:dashboard", kwargs={"space": space.slug}))


@login_required
@require_POST
def review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _implementer(request)
    review = selectors.review_get(request.user, pk)  # type: ignore[arg-type]
    services.review_delete(by=request.user, review=review)  # type: ignore[arg-type]
    messages.success(request, _("The review, its trial space and its trial configuration were removed."))
    return redirect("golive:list")


@login_required
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The go-live report as a standalone page, to keep or send to the working group."""
    _implementer(request)
    review = selectors.review_get(request.user, pk)  # type: ignore[arg-type]
    if not review.golive:
        raise Http404("This configuration has no go-live report.")
    response = HttpResponse(render_html(review.golive), content_type="text/html; charset=utf-8")
    name = slugify(Path(review.filename).stem) or "configuration"
    response["Content-Disposition"] = f'attachment; filename="go-live-{name}.html"'
    return response
