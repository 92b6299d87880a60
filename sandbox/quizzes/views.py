"""Knowledge-check pages: the trainer assigns and compares; a trainee takes each check once.

Trainer pages sit under the workshop (`/workshops/<pk>/knowledge-checks/`) and answer 404
to anyone who does not run it; a trainee's pages (`/workshops/mine/<pk>/...`) show only
their own answers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.workshops import selectors as workshop_selectors
from sandbox.workshops.exports import safe_cell

from . import selectors, services
from .load import find_quiz, quiz_catalogue
from .models import QuizAssignment
from .schema import Quiz
from .scoring import mark, parse_answer


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the workshop's pre-test and post-test and the comparison; POST: assign one."""
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        try:
            services.quiz_assign(by=request.user, workshop=workshop,  # type: ignore[arg-type]
                                 quiz_id=request.POST.get("quiz_id", ""),
                                 kind=request.POST.get("kind", ""))
        except SandboxError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        else:
            messages.success(request, _("Knowledge check assigned."))
            return redirect("quizzes:manage", pk=workshop.pk)
    assigned = selectors.assignments_of(workshop)
    catalogue = quiz_catalogue()
    titles = {q.id: pick(q.title) for q in catalogue}
    rows, cohort = selectors.comparison(workshop)
    return render(request, "quizzes/manage.html", {
        "workshop": workshop,
        "assigned": [{"assignment": a, "title": titles.get(a.quiz_id, a.quiz_id),
                      "taken": a.responses.count()} for a in assigned.values()],
        "free_kinds": [k for k in QuizAssignment.Kind if k.value not in assigned],
        "catalogue": [{"id": q.id, "title": titles[q.id], "questions": len(q.questions)}
                      for q in catalogue],
        "rows": rows, "cohort": cohort,
    }, status=status)


@login_required
@require_POST
def toggle(request: HttpRequest, pk: int, quiz: int) -> HttpResponse:
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    assignment = QuizAssignment.objects.filter(workshop=workshop, pk=quiz).first()
    if assignment is None:
        raise Http404("No such knowledge check.")
    services.quiz_open(by=request.user, assignment=assignment,  # type: ignore[arg-type]
                       is_open=request.POST.get("open") == "yes")
    return redirect("quizzes:manage", pk=workshop.pk)


@login_required
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per trainee: pre and post percent and the change; blank when not taken."""
    workshop = workshop_selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    rows, _cohort = selectors.comparison(workshop)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "name", "organisation", "pre_percent", "post_percent", "change"])
    for row in rows:
        user = row.enrolment.user
        writer.writerow([safe_cell(user.username), safe_cell(user.display_name),
                         safe_cell(row.enrolment.organisation),
                         *("" if v is None else _round(v) for v in (row.pre, row.post, row.change))])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(workshop.title) or "workshop"
    response["Content-Disposition"] = f'attachment; filename="{name}-knowledge-checks.csv"'
    return response


# -- trainees ------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainee's knowledge checks in a workshop: open ones to take, taken ones' scores."""
    enrolment = workshop_selectors.my_enrolment(request.user, pk)  # type: ignore[arg-type]
    titles = {q.id: pick(q.title) for q in quiz_catalogue()}
    checks = []
    for assignment in QuizAssignment.objects.filter(workshop=enrolment.workshop):
        checks.append({"assignment": assignment, "title": titles.get(assignment.quiz_id, ""),
                       "response": selectors.my_response(assignment, enrolment)})
    return render(request, "quizzes/mine.html", {"workshop": enrolment.workshop, "checks": checks})


def _questions(quiz: Quiz, answers: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The questions in the active language, with what was chosen and, once taken, whether
    it was right."""
    marked = {m.question_id: m for m in mark(quiz, answers)} if answers is not None else {}
    shown = []
    for number, question in enumerate(quiz.questions, start=1):
        if question.kind == "true_false":
            options = [("true", _("True"), True), ("false", _("False"), False)]
        else:
            options = [(o.id, pick(o.text), o.id) for o in question.options]
        given = (answers or {}).get(question.id)
        shown.append({
            "number": number, "id": question.id, "text": pick(question.text),
            "options": [{"value": value, "label": label, "chosen": given is not None and given == raw
                         and type(given) is type(raw), "right": raw == question.answer
                         and type(raw) is type(question.answer)} for value, label, raw in options],
            "marked": marked.get(question.id), "feedback": pick(question.feedback),
        })
    return shown


@login_required
def take(request: HttpRequest, pk: int, quiz: int) -> HttpResponse:
    """GET: the questions on one page (or, once taken, the score and feedback); POST: submit."""
    assignment, enrolment = selectors.my_assignment(request.user, quiz)  # type: ignore[arg-type]
    if assignment.workshop_id != pk:
        raise Http404("No such knowledge check.")
    found = find_quiz(assignment.quiz_id)
    if found is None:
        raise Http404("This knowledge check is not available.")
    response = selectors.my_response(assignment, enrolment)
    status = 200
    draft: dict[str, Any] | None = None
    if request.method == "POST" and response is None:
        draft = {q.id: parse_answer(q.kind, request.POST.get(f"q-{q.id}")) for q in found.questions}
        try:
            response = services.quiz_submit(user=request.user, assignment=assignment,  # type: ignore[arg-type]
                                            quiz=found, answers=draft)
        except SandboxError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        else:
            return redirect("quizzes:take", pk=pk, quiz=assignment.pk)
    questions = _questions(found, response.answers if response else None)
    if draft is not None:  # keep what was chosen when something was left blank
        for question in questions:
            for option in question["options"]:
                option["chosen"] = request.POST.get(f"q-{question['id']}") == option["value"]
    return render(request, "quizzes/take.html", {
        "workshop": assignment.workshop, "assignment": assignment, "title": pick(found.title),
        "description": pick(found.description), "questions": questions, "response": response,
    }, status=status)
