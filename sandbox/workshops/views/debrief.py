"""After an exercise and after the week: the debrief of one exercise (model answer beside
the cohort's completion, common mistakes, discussion questions; printable), and the
workshop's summary across its exercises, with its CSV and Excel downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.text import slugify

from sandbox.cases.views.display import action_label

from .. import selectors
from ..debrief import SUBMITTED, debrief, summary
from ..summary_files import summary_csv, summary_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def debrief_page(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    exercise = selectors.managed_exercise(request.user, workshop, ex)  # type: ignore[arg-type]
    found = debrief(exercise)
    return render(request, "workshops/debrief.html", {
        "workshop": workshop, "exercise": exercise, "debrief": found,
        "refused": [(action_label(name), count) for name, count in found.refused],
    })


@login_required
def summary_page(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    found = summary(workshop)
    # For each trainee, the titles of the steps they missed, exercise by exercise.
    missed = []
    for row in found.rows:
        items = []
        for item, cell in zip(found.exercises, row.cells, strict=True):
            if cell.state != SUBMITTED:
                continue
            titles = {s.id: s.title for s in item.steps}
            items.append({"exercise": item.exercise, "cell": cell,
                          "steps": [titles.get(rid) or rid for rid in cell.missed]})
        missed.append({"row": row, "exercises": items})
    return render(request, "workshops/summary.html", {
        "workshop": workshop, "summary": found, "missed": missed, "submitted": SUBMITTED})


def _download(workshop_title: str, body: bytes, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"{slugify(workshop_title)[:40] or 'workshop'}-summary.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def summary_csv_file(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    return _download(workshop.title, summary_csv(summary(workshop)), "csv",
                     "text/csv; charset=utf-8")


@login_required
def summary_xlsx_file(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.managed_workshop(request.user, pk)  # type: ignore[arg-type]
    body = summary_xlsx(summary(workshop), language=translation.get_language() or "en")
    return _download(workshop.title, body, "xlsx", XLSX)
