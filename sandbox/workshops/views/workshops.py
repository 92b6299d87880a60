"""A trainer's workshops: the list, and one workshop with its trainees, pairs and exercises."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sandbox.accounts.models import TERMS_VERSION, TermsAcceptance
from sandbox.cases.models import Event
from sandbox.common.errors import NotAllowed, SandboxError
from sandbox.jobs import selectors as job_selectors
from sandbox.jobs import services as jobs
from sandbox.jobs.presentation import announce, describe

from .. import selectors, services
from ..forms import ExerciseForm, ImportForm, PairForm, TraineeForm, WorkshopForm
from ..models import Attempt, Workshop

#: Each language under its own name, as the selector shows it.
LANGUAGE_NAMES = dict(settings.LANGUAGES)



def _detail_url(workshop: Workshop, anchor: str = "") -> str:
    url = reverse("workshops:detail", kwargs={"pk": workshop.pk})
    return f"{url}#{anchor}" if anchor else url


# -- the list -----------------------------------------------------------------------------


@login_required
def workshop_list(request: HttpRequest) -> HttpResponse:
    """GET: the workshops I run (or am enrolled in); POST: create a workshop."""
    user = request.user
    status = 200
    form = WorkshopForm(request.POST or None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                workshop = services.workshop_create(trainer=user, **form.cleaned_data)  # type: ignore[arg-type]
            except SandboxError as exc:
                form.apply_error(exc)
                if isinstance(exc, NotAllowed):
                    messages.error(request, str(exc.message))  # the form is not on their page
                status = exc.status
            else:
                messages.success(request, _("Workshop created. Add trainees, then assign an exercise."))
                return redirect(_detail_url(workshop))
    rows = []
    for workshop in (selectors.workshops_for(user)  # type: ignore[arg-type]
                     .select_related("trainer")
                     .annotate(trainees=Count("enrolments", distinct=True),
                               exercise_count=Count("exercises", distinct=True))):
        rows.append({"workshop": workshop, "manage": services.can_manage(user, workshop)})  # type: ignore[arg-type]
    return render(request, "workshops/workshop_list.html", {
        "rows": rows, "form": form,
        "can_create": user.is_trainer or user.is_administrator,  # type: ignore[union-attr]
    }, status=status)


# -- one workshop -------------------------------------------------------------------------


def _workshop_page(request: HttpRequest, workshop: Workshop, *, status: int = 200,
                   new_trainees: list[dict[str, str]] | None = None,
                   **bound: forms.Form) -> HttpResponse:
    """The workshop page, with any form that failed kept as the trainer filled it in, and
    the passwords of accounts just created (shown in this answer only, stored nowhere)."""
    last_action = (Event.objects.filter(actor__user_id=OuterRef("user_id"))
                   .order_by("-real_time").values("real_time")[:1])
    accepted = TermsAcceptance.objects.filter(user_id=OuterRef("user_id"), version=TERMS_VERSION)
    enrolments = list(workshop.enrolments.select_related("user").annotate(
        last_action=Subquery(last_action), terms_accepted=Exists(accepted)))
    pairs = list(workshop.pairs.select_related("first__user", "second__user").order_by("pk"))
    paired = {p.first_id for p in pairs} | {p.second_id for p in pairs}
    exercises = list(workshop.exercises.annotate(
        submitted=Count("attempts", filter=Q(attempts__status=Attempt.Status.SUBMITTED))))
    catalogue = services.scenario_catalogue()
    context: dict[str, Any] = {
        "workshop": workshop,
        "enrolments": enrolments,
        "pairs": pairs,
        "exercises": exercises,
        "new_trainees": new_trainees,
        "credentials_csv": _credentials_csv(new_trainees) if new_trainees else "",
        "login_url": request.build_absolute_uri(reverse("login")),
        "join_url": request.build_absolute_uri(reverse("workshops:join")),
        "trainee_form": bound.get("trainee_form") or TraineeForm(),
        "import_form": bound.get("import_form") or ImportForm(),
        "import_lines": getattr(bound.get("import_form"), "problem_lines", []),
        "pair_form": bound.get("pair_form") or PairForm(
            enrolments=[e for e in enrolments if e.pk not in paired]),
        "exercise_form": bound.get("exercise_form") or ExerciseForm(
            scenarios=services.scenario_choices(catalogue)),
        # Which languages each scenario is written in, beside the workshop's own.
        "scenario_languages": [
            {**s, "names": [(code, LANGUAGE_NAMES.get(code, code)) for code in s["languages"]],
             "in_workshop_language": workshop.language in s["languages"]} for s in catalogue],
    }
    return render(request, "workshops/workshop_detail.html", context, status=status)


@login_required
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    return _workshop_page(request, workshop)


@login_required
@require_POST
def joining(request: HttpRequest, pk: int) -> HttpResponse:
    """Open or close joining with the code (close it once everyone is in)."""
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    # No service offers this yet: a single flag on a workshop the user manages
    # (checked by the selector above).
    workshop.joining_open = request.POST.get("open") == "yes"
    workshop.save(update_fields=["joining_open"])
    if workshop.joining_open:
        messages.success(request, _("Trainees can join with the code again."))
    else:
        messages.success(request, _("Joining with the code is closed."))
    return redirect(_detail_url(workshop, "join"))


def _added(request: HttpRequest, workshop: Workshop, added: list[services.NewTrainee],
           anchor: str, credentials: list[dict[str, str]] | None = None) -> HttpResponse:
    """After trainees were added: the workshop page with the new accounts' passwords at the
    top, in this very answer. Passwords are never kept on the server, not even in the
    session (a background import keeps them in its job until this page shows them once);
    without new accounts, the usual redirect."""
    created = [{"name": n.user.display_name, "username": n.user.username, "email": n.user.email,
                "password": n.password, "language": n.user.language or workshop.language}
               for n in added if n.password] + list(credentials or [])
    if not created:
        return redirect(_detail_url(workshop, anchor))
    return _workshop_page(request, workshop, new_trainees=created)  # no-store, like every page


def _credentials_csv(accounts: list[dict[str, str]]) -> str:
    """The new accounts as a CSV file the page offers to download (built into the page:
    the passwords are kept nowhere on the server)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "username", "email", "password", "language"])
    for account in accounts:
        writer.writerow([account[k] for k in ("name", "username", "email", "password", "language")])
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + out.getvalue())


@login_required
@require_POST
def password_reset(request: HttpRequest, pk: int, enrolment: int) -> HttpResponse:
    """A new password for one trainee, shown once in the answer."""
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    found = workshop.enrolments.select_related("user").filter(pk=enrolment).first()
    if found is None:
        raise Http404("No such trainee in this workshop.")
    try:
        new = services.trainee_password_reset(by=request.user, workshop=workshop, enrolment=found)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect(_detail_url(workshop, "trainees"))
    messages.success(request, _("%(name)s has a new password: hand it out now.")
                     % {"name": new.user.display_name})
    return _added(request, workshop, [new], "trainees")


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty list of trainees with its columns, and one example line, to fill in."""
    selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    body = "\ufeffname,email,organisation,language\nAmani Okello,amani@example.org,DSW,en\n"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trainees-template.csv"'
    return response


@login_required
@require_POST
def trainee_add(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    form = TraineeForm(request.POST)
    if form.is_valid():
        try:
            new = services.trainee_add(by=request.user, workshop=workshop, **form.cleaned_data)  # type: ignore[arg-type]
        except SandboxError as exc:
            form.apply_error(exc)
            return _workshop_page(request, workshop, status=exc.status, trainee_form=form)
        messages.success(request, _("%(name)s is in the workshop.") % {"name": new.user.display_name})
        return _added(request, workshop, [new], "trainees")
    return _workshop_page(request, workshop, status=400, trainee_form=form)


@login_required
@require_POST
def trainees_import(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _workshop_page(request, workshop, status=400, import_form=form)
    filename = form.cleaned_data["file"].name
    try:
        text = form.text()
        rows = services.trainees_import_check(by=request.user, workshop=workshop, text=text,  # type: ignore[arg-type]
                                              filename=filename)
        if len(rows) >= settings.JOBS_IMPORT_THRESHOLD:
            # A long list: accounts are made by a background job, which keeps the checked
            # rows (not the file), so that any server's worker can run it.
            job, created = jobs.enqueue("trainees.import", by=request.user,  # type: ignore[arg-type]
                                        target=f"workshop:{workshop.pk}", workshop=workshop,
                                        params={"filename": filename, "rows": rows})
            if job.status != job.Status.DONE:
                announce(request, job, created)
                return redirect(_detail_url(workshop, "jobs"))
            messages.success(request, str(describe(job)["outcome"]))
            return _added(request, workshop, [], "trainees", credentials=jobs.take_credentials(
                by=request.user, job=job))  # type: ignore[arg-type]
        added = services.trainees_import(by=request.user, workshop=workshop, text=text,  # type: ignore[arg-type]
                                         filename=filename)
    except forms.ValidationError as exc:
        form.add_error("file", exc)
        return _workshop_page(request, workshop, status=400, import_form=form)
    except SandboxError as exc:
        form.add_error(None, str(exc.message))
        form.problem_lines = exc.details.get("lines", [])  # type: ignore[attr-defined]
        return _workshop_page(request, workshop, status=exc.status, import_form=form)
    messages.success(request, ngettext("%(count)d trainee added from the file.",
                                       "%(count)d trainees added from the file.",
                                       len(added)) % {"count": len(added)})
    return _added(request, workshop, added, "trainees")


@login_required
@require_POST
def import_credentials(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    """The passwords of the accounts a background import made, shown once to the trainer
    who imported the file, then erased."""
    found = job_selectors.job_of(request.user, pk, job)  # type: ignore[arg-type]
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    if found.kind != "trainees.import":
        raise Http404("No such import.")
    try:
        credentials = jobs.take_credentials(by=request.user, job=found)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return redirect(_detail_url(workshop, "trainees"))
    if not credentials:
        messages.info(request, _("These passwords were already shown once; reset a trainee's "
                                 "password to hand out a new one."))
    return _added(request, workshop, [], "trainees", credentials=credentials)


@login_required
@require_POST
def pair_add(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    form = PairForm(request.POST, enrolments=list(workshop.enrolments.select_related("user")))
    if form.is_valid():
        try:
            services.pair_create(by=request.user, workshop=workshop,  # type: ignore[arg-type]
                                 first=form.chosen("first"), second=form.chosen("second"))
        except SandboxError as exc:
            form.apply_error(exc)
            return _workshop_page(request, workshop, status=exc.status, pair_form=form)
        messages.success(request, _("Pair formed."))
        return redirect(_detail_url(workshop, "pairs"))
    return _workshop_page(request, workshop, status=400, pair_form=form)


@login_required
@require_POST
def exercise_add(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    form = ExerciseForm(request.POST, scenarios=services.scenario_choices())
    if form.is_valid():
        try:
            exercise = services.exercise_create(by=request.user, workshop=workshop,  # type: ignore[arg-type]
                                                **form.service_data())
        except SandboxError as exc:
            form.apply_error(exc)
            for problem in exc.details.get("problems", []):
                form.add_error(None, f"{problem['path']}:{problem['line']}: {problem['message']}")
            return _workshop_page(request, workshop, status=exc.status, exercise_form=form)
        messages.success(request, _("Exercise assigned. Start it when the trainees are ready."))
        return redirect("workshops:exercise", pk=workshop.pk, ex=exercise.pk)
    return _workshop_page(request, workshop, status=400, exercise_form=form)
