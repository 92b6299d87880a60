"""The workshop's summary as files: a CSV table and an Excel workbook.

People read the first header row (exercise and step titles in the language of the
trainer who downloads it); programs read the second (stable ids: `ex<pk>:score`,
`ex<pk>:<step id>`), which does not change with the language or a retitled step.
Text typed by people goes through `safe_cell`; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from sandbox.common.i18n import is_bidi, pick

from .debrief import NOT_STARTED, NOT_SUBMITTED, SUBMITTED, Cell, Summary
from .exports import safe_cell


def state_text(cell: Cell) -> str:
    if cell.state == NOT_STARTED:
        return _("Not started")
    if cell.state == NOT_SUBMITTED:
        return _("Not submitted")
    return _("Passed") if cell.passed else _("Not passed")


def table(summary: Summary) -> tuple[list[str], list[str], list[list[Any]]]:
    """(titles row, ids row, one row per trainee): per exercise its score, percent and
    result, then one column per step (1 met, 0 missed, empty when nothing submitted)."""
    titles = [_("Trainee"), _("Username"), _("Organisation")]
    ids = ["trainee", "username", "organisation"]
    for item in summary.exercises:
        name = item.exercise.title
        titles += [_("%(exercise)s: score") % {"exercise": name},
                   _("%(exercise)s: percent") % {"exercise": name},
                   _("%(exercise)s: result") % {"exercise": name}]
        key = f"ex{item.exercise.pk}"
        ids += [f"{key}:score", f"{key}:percent", f"{key}:result"]
        for step in item.steps:
            titles.append(f"{name}: {pick(step.title) or step.id}")
            ids.append(f"{key}:{step.id}")
    rows = []
    for row in summary.rows:
        line: list[Any] = [row.name, row.enrolment.user.username, row.enrolment.organisation]
        for item, cell in zip(summary.exercises, row.cells, strict=True):
            done = cell.state == SUBMITTED
            line += [cell.score if done else "", round(cell.percent or 0, 1) if done else "",
                     state_text(cell)]
            missed = set(cell.missed)
            line += [(0 if step.id in missed else 1) if done else "" for step in item.steps]
        rows.append(line)
    return [safe_cell(t) for t in titles], ids, rows


def _text_cells(line: list[Any]) -> list[Any]:
    return [v if isinstance(v, int | float) else safe_cell(v) for v in line]


def summary_csv(summary: Summary) -> bytes:
    """UTF-8 with a byte order mark, so that spreadsheet programs read every script."""
    titles, ids, rows = table(summary)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(titles)
    writer.writerow(ids)
    for line in rows:
        writer.writerow([f"{v:g}" if isinstance(v, float) else v for v in _text_cells(line)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def summary_xlsx(summary: Summary, *, language: str) -> bytes:
    """Two sheets: the table per trainee (two header rows, frozen), and the steps of each
    exercise with how many trainees met them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    titles, ids, rows = table(summary)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Trainees")[:31]
    sheet.sheet_view.rightToLeft = is_bidi(language)
    sheet.append(titles)
    sheet.append(ids)
    for line in rows:
        sheet.append(_text_cells(line))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="666666")
    sheet.freeze_panes = "B3"

    steps = book.create_sheet(_("Steps")[:31])
    steps.sheet_view.rightToLeft = is_bidi(language)
    steps.append([_("Exercise"), _("Step"), _("Trainees who met it"), _("Trainees counted"),
                  _("Exercise id"), _("Step id")])
    steps.append(["exercise", "step", "met", "total", "exercise_id", "step_id"])
    for item in summary.exercises:
        for step in item.steps:
            steps.append([safe_cell(item.exercise.title), safe_cell(str(pick(step.title) or step.id)),
                          step.met, step.total, f"ex{item.exercise.pk}", step.id])
    for cell in steps[1]:
        cell.font = Font(bold=True)
    for cell in steps[2]:
        cell.font = Font(italic=True, color="666666")
    steps.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
