"""One exercise, for its trainer: start and close it, watch the live board, send
messages, move clocks, reset attempts, read the results and download them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from sandbox.common.errors import SandboxError
from sandbox.jobs import services as jobs
from sandbox.jobs.presentation import announce
from sandbox.scoring.presentation import for_people, model_answer

from .. import board as live
from .. import exports, selectors, services
from ..forms import MessageForm
from ..models import Attempt, Exercise, Workshop

#: How far the trainer can move the clocks from the board.
STEPS = {"1h": dt.timedelta(hours=1), "4h": dt.timedelta(hours=4), "1d": dt.timedelta(days=1)}


def _exercise(request: HttpRequest, pk: int, ex: int) -> tuple[Workshop, Exercise]:
    exercise = selectors.managed_exercise_in(request.user, pk, ex)  # type: ignore[arg-type]
    return exercise.workshop, exercise


def _back(exercise: Exercise, anchor: str = "") -> HttpResponse:
    url = reverse("workshops:exercise", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _target(request: HttpRequest, exercise: Exercise) -> Attempt | None:
    """The attempt a control is aimed at (a row of the board), or None for everyone."""
    value = request.POST.get("attempt") or request.POST.get("to") or ""
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such attempt.")
    return selectors.attempt_in(exercise, int(value))


# -- the board ----------------------------------------------------------------------------


def _board_context(request: HttpRequest, exercise: Exercise) -> dict[str, Any]:
    # The server's clock ends attempts, whether or not a trainee's browser was open.
    services.expire_attempts(exercise)
    now = timezone.now()
    running = exercise.status == Exercise.Status.RUNNING
    token_of = live.token_digest(request)
    found = live.board(exercise, now=now, running=running, token_of=token_of)
    waiting = selectors.enrolments(found.waiting)
    return {"exercise": exercise, "workshop": exercise.workshop, "board": found,
            "version": found.version, "now": now, "running": running,
            "submitted": sum(line.status == Attempt.Status.SUBMITTED for line in found.lines),
            "stuck": sum(line.stuck for line in found.lines), "total": len(found.lines),
            "waiting": waiting, "token_of": token_of}


def _draw(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """The whole board's rows; the version is remembered for the polls that send it."""
    context["rows_html"] = live.rows_html(request, context["board"])
    live.remember(context["board"], context["token_of"])
    return context


def _exercise_page(request: HttpRequest, exercise: Exercise, *, form: MessageForm | None = None,
                   status: int = 200) -> HttpResponse:
    context = _draw(request, _board_context(request, exercise))
    recipients = [(str(line.attempt), line.trainee) for line in context["board"].lines]
    if form is None:
        to = request.GET.get("to", "")
        form = MessageForm(recipients=recipients,
                           initial={"to": to if to in dict(recipients) else ""})
    context.update({"message_form": form, "steps": STEPS})
    return render(request, "workshops/exercise_detail.html", context, status=status)


@login_required
@gzip_page  # the board of a large cohort, over a trainer's slow connection
def exercise_detail(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    _workshop, exercise = _exercise(request, pk, ex)
    return _exercise_page(request, exercise)


@login_required
@gzip_page  # 200 rows of HTML are about 400 KB, compressed about a tenth
def board(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """The board alone: the exercise page asks every few seconds (htmx), with the version
    it shows. Nothing changed: 204 No Content, and htmx keeps the page. Some rows changed:
    those rows and the header, each swapped in place. Rows came or went (or the version is
    unknown): the whole board, in place of the old one."""
    _workshop, exercise = _exercise(request, pk, ex)
    context = _board_context(request, exercise)
    shown = request.GET.get("v", "")
    if shown == context["version"]:
        return HttpResponse(status=204)
    changed = live.changed_since(context["board"], context["token_of"], shown) if shown else None
    if changed is not None:
        context["rows_html"] = live.rows_html(request, context["board"], changed, oob=True)
        live.remember(context["board"], context["token_of"])
        return render(request, "workshops/_board_delta.html", context)
    response = render(request, "workshops/_board.html", _draw(request, context))
    if shown:  # asked by the poller inside the board: the whole board takes its place
        response["HX-Retarget"] = "#board"
        response["HX-Reswap"] = "outerHTML"
    return response


# -- controls -----------------------------------------------------------------------------


@login_required
@require_POST
def start(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    _workshop, exercise = _exercise(request, pk, ex)
    if services.start_size(exercise) >= settings.JOBS_START_THRESHOLD:
        # A large cohort: the spaces are copied by a background job, with its progress here.
        job, created = jobs.enqueue("exercise.start", by=request.user, target=f"exercise:{exercise.pk}",  # type: ignore[arg-type]
                                    workshop=exercise.workshop, exercise=exercise)
        announce(request, job, created)
        return _back(exercise)
    try:
        count = services.exercise_start(by=request.user, exercise=exercise)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, ngettext(
            "Exercise started: %(count)d practice space is ready.",
            "Exercise started: %(count)d practice spaces are ready.", count) % {"count": count})
    return _back(exercise)


@login_required
@require_POST
def close(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    _workshop, exercise = _exercise(request, pk, ex)
    try:
        count = services.exercise_close(by=request.user, exercise=exercise)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return _back(exercise)
    messages.success(request, ngettext(
        "Exercise closed: %(count)d attempt still in progress was scored as it stood.",
        "Exercise closed: %(count)d attempts still in progress were scored as they stood.",
        count) % {"count": count})
    return redirect("workshops:results", pk=exercise.workshop_id, ex=exercise.pk)


@login_required
@require_POST
def message(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """A message from the trainer, to every trainee or to one; it arrives in their space."""
    _workshop, exercise = _exercise(request, pk, ex)
    target = _target(request, exercise)
    recipients = [(str(a.pk), a.enrolment.user.display_name)
                  for a in selectors.latest_attempts(exercise)]
    form = MessageForm(request.POST, recipients=recipients)
    if not form.is_valid():
        return _exercise_page(request, exercise, form=form, status=400)
    try:
        count = services.send_message(by=request.user, exercise=exercise,  # type: ignore[arg-type]
                                      text=form.cleaned_data["text"], attempt=target)
    except SandboxError as exc:
        form.apply_error(exc)
        return _exercise_page(request, exercise, form=form, status=exc.status)
    messages.success(request, ngettext("Message sent to %(count)d space.",
                                       "Message sent to %(count)d spaces.", count) % {"count": count})
    return _back(exercise)


@login_required
@require_POST
def clock(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """Move the simulated clock of every space, or of one trainee's."""
    _workshop, exercise = _exercise(request, pk, ex)
    target = _target(request, exercise)
    step = STEPS.get(request.POST.get("by", ""))
    if step is None:
        messages.error(request, _("Choose how far to move the clock."))
        return _back(exercise)
    try:
        count = services.advance_clocks(by=request.user, exercise=exercise, delta=step,  # type: ignore[arg-type]
                                        attempt=target)
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, ngettext("Clock moved on in %(count)d space.",
                                           "Clocks moved on in %(count)d spaces.", count)
                         % {"count": count})
    return _back(exercise, "board")


@login_required
@require_POST
def reset(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """Reset one trainee's space, or every space (confirmed). Submitted attempts are kept."""
    _workshop, exercise = _exercise(request, pk, ex)
    target = _target(request, exercise)
    if target is None and request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm that you want to reset every trainee's space."))
        return _back(exercise)
    if target is None:
        # Every space: a background job, whose progress shows on the exercise's page.
        job, created = jobs.enqueue("exercise.reset", by=request.user, target=f"exercise:{exercise.pk}",  # type: ignore[arg-type]
                                    workshop=exercise.workshop, exercise=exercise)
        announce(request, job, created)
        return _back(exercise, "board")
    try:
        count = services.reset_attempts(by=request.user, exercise=exercise, attempt=target)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    else:
        if target is not None:
            messages.success(request, _("%(name)s starts again from the beginning.")
                             % {"name": target.enrolment.user.display_name})
        else:
            messages.success(request, ngettext("%(count)d attempt reset.", "%(count)d attempts reset.",
                                               count) % {"count": count})
    return _back(exercise, "board")


@login_required
@require_POST
def give_space(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """A space for a trainee who joined after the start, from the board in one click."""
    workshop, exercise = _exercise(request, pk, ex)
    value = request.POST.get("enrolment", "")
    enrolment = workshop.enrolments.select_related("user").filter(
        pk=int(value) if value.isdigit() else 0).first()
    if enrolment is None:
        raise Http404("No such trainee in this workshop.")
    try:
        services.give_space(by=request.user, exercise=exercise, enrolment=enrolment)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s has a practice space now.")
                         % {"name": enrolment.user.display_name})
    return _back(exercise, "board")


# -- results ------------------------------------------------------------------------------


@login_required
def results(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    workshop, exercise = _exercise(request, pk, ex)
    found = selectors.results(exercise)
    # Scenarios may leave a rule without a title: its id then reads as words.
    rules = [{**rule, "percent": round(100 * rule["completion"]),
              "label": rule["id"].replace("-", " ").replace("_", " ").capitalize()}
             for rule in found.rules]
    scores = [a.report.percent for a in found.attempts if a.report is not None]
    return render(request, "workshops/results.html", {
        "workshop": workshop, "exercise": exercise, "attempts": found.attempts, "rules": rules,
        "average": sum(scores) / len(scores) if scores else None,
        "passed": sum(1 for a in found.attempts if a.report is not None and a.report.passed),
    })


def _filename(exercise: Exercise, extension: str) -> str:
    return f"{slugify(exercise.workshop.title)[:40]}-{exercise.scenario_id}-results.{extension}"


@login_required
def results_csv(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    _workshop, exercise = _exercise(request, pk, ex)
    response = HttpResponse(exports.results_csv(exercise), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(exercise, "csv")}"'
    return response


@login_required
def xapi_json(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """xAPI statements ("completed", with the score) for a learning record store."""
    _workshop, exercise = _exercise(request, pk, ex)
    body = json.dumps(exports.xapi_statements(exercise), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_filename(exercise, "xapi.json")}"'
    return response


@login_required
def attempt_report(request: HttpRequest, pk: int, ex: int, attempt: int) -> HttpResponse:
    """A trainee's submitted report, for the trainer (who is not a member of their space)."""
    workshop, exercise = _exercise(request, pk, ex)
    found = selectors.attempt_in(exercise, attempt)
    report = found.report
    if report is None:
        raise Http404("This attempt has not been submitted.")
    # The same reading for people as the trainee's own report page.
    return render(request, "workshops/report.html", {
        "workshop": workshop, "exercise": exercise, "attempt": found, "report": report,
        **for_people(report), "model_answer": model_answer(report),  # the trainer always sees it
    })


@login_required
@require_POST
def solution(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """Release the model answer to the trainees' reports, or withdraw it."""
    _workshop, exercise = _exercise(request, pk, ex)
    released = request.POST.get("release") == "yes"
    try:
        services.solution_release(by=request.user, exercise=exercise, released=released)  # type: ignore[arg-type]
    except SandboxError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The trainees now see the model answer in their reports.")
                         if released else _("The model answer is hidden from the trainees again."))
    return _back(exercise, "model-answer-control")
