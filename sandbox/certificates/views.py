"""Certificate pages: the trainer's (criteria, who meets them, issue, revoke, download), the
trainee's own download, and the public check by code.

The check page is the only page of the sandbox open without signing in: it shows the
holder's name, the workshop, its dates and the issuer, and nothing else. Codes carry 100
random bits, and each address may look up a limited number of codes per ten minutes.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sandbox.common.errors import SandboxError
from sandbox.jobs import services as jobs
from sandbox.jobs.presentation import announce
from sandbox.workshops import selectors as workshop_selectors

from . import selectors, services
from .models import Certificate, Criteria
from .pdf import certificate_pdf

#: Look-ups per address per window on the public check page.
CHECKS_PER_WINDOW = 30
WINDOW_SECONDS = 600


class CriteriaForm(forms.ModelForm):
    class Meta:
        model = Criteria
        fields = ["min_days_present", "min_exercises_joined", "min_exercises_passed", "min_post_test_percent"]
        help_texts = {"min_days_present": gettext_lazy("0: not required."),
                      "min_exercises_joined": gettext_lazy("0: not required."),
                      "min_exercises_passed": gettext_lazy("0: not required."),
                      "min_post_test_percent": gettext_lazy("0: the post-test is not required.")}


def _check_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("certificates:check"))


def _pdf_response(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    response = HttpResponse(certificate_pdf(certificate, _check_url(request)),
                            content_type="application/pdf")
    name = slugify(f"certificate {certificate.holder_name}") or "certificate"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: criteria, who meets them, certificates issued; POST: set the criteria."""
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    criteria = selectors.criteria_of(workshop)
    form = CriteriaForm(request.POST or None, instance=criteria)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.criteria_set(by=request.user, workshop=workshop, **form.cleaned_data)  # type: ignore[arg-type]
            except SandboxError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Criteria saved."))
                return redirect("certificates:manage", pk=workshop.pk)
    rows = selectors.standings(workshop)
    return render(request, "certificates/manage.html", {
        "workshop": workshop, "form": form, "rows": rows,
        "eligible": sum(1 for r in rows if r.meets and r.certificate is None),
        "issued": selectors.issued(workshop),
    }, status=status)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    chosen = [int(v) for v in request.POST.getlist("enrolment") if v.isdigit()] or None
    # A background job (the certificates of a large workshop take a while); its progress
    # and outcome show on the certificates page.
    job, created = jobs.enqueue("certificates.issue", by=request.user,  # type: ignore[arg-type]
                                target=f"workshop:{workshop.pk}", workshop=workshop,
                                params={"enrolment_ids": chosen})
    announce(request, job, created)
    return redirect("certificates:manage", pk=workshop.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int, cert: int) -> HttpResponse:
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    certificate = selectors.certificate_in(workshop, cert)
    try:
        services.certificate_revoke(by=request.user, certificate=certificate)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("certificates:manage", pk=workshop.pk)


@login_required
def download(request: HttpRequest, pk: int, cert: int) -> HttpResponse:
    """The PDF of any certificate of the workshop, for its trainer."""
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    return _pdf_response(request, selectors.certificate_in(workshop, cert))


@login_required
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainee's own certificate of the workshop: a page, and the PDF with ?download."""
    enrolment = workshop_selectors.my_enrolment(request.user, pk)  # type: ignore[arg-type]
    certificate = selectors.my_certificate(request.user, pk)  # type: ignore[arg-type]
    if "download" in request.GET:
        if certificate is None:
            raise Http404("No certificate.")
        return _pdf_response(request, certificate)
    return render(request, "certificates/mine.html", {"workshop": enrolment.workshop,
                                                      "certificate": certificate})


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def check(request: HttpRequest) -> HttpResponse:
    """Public: type a code, see whether it is a certificate the sandbox issued."""
    code = request.GET.get("code", "").strip()[:64]
    context: dict[str, object] = {"code": code, "searched": bool(code)}
    status = 200
    if code:
        key = f"certificate-checks:{_client_address(request)}"
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
            count = 1
        if count > CHECKS_PER_WINDOW:
            context["limited"] = True
            status = 429
        else:
            context["certificate"] = selectors.by_code(code)
            if context["certificate"] is None:
                status = 404
    return render(request, "certificates/check.html", context, status=status)
