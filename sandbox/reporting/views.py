"""The caseload return of a space: the page, and its CSV and Excel files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sandbox.cases.selectors import visible_cases
from sandbox.cases.views.base import Here, here, page
from sandbox.common.i18n import pick
from sandbox.workshops.exports import safe_cell

from .returns import (
    CaseloadReturn,
    Period,
    ReturnSpec,
    areas,
    caseload_return,
    parse_period,
    period_of,
    spec_for,
)


def may_compile(at: Here) -> bool:
    return spec_for(at.config) is not None and at.oversees


def return_for(request: HttpRequest, space: str) -> tuple[Here, ReturnSpec, CaseloadReturn, list[Period]]:
    at = here(request, space)
    spec = spec_for(at.config)
    if spec is None:
        raise Http404(_("This configuration has no national return."))
    if not at.oversees:
        raise PermissionDenied(_("Returns are compiled by supervisors; your role does not compile them."))
    today = at.space.clock.date()
    choices = _period_choices(today, spec)
    period = parse_period(request.GET.get("period", ""), spec) or choices[0]
    area = request.GET.get("area") or None
    if area is not None and area not in dict(areas(at.config, spec)):
        area = None
    cases = list(visible_cases(at.member).only(
        "registration_status", "sex", "age", "location", "data", "registered_at"))
    result = caseload_return(cases, config=at.config, module=at.module, spec=spec, period=period,
                             area=area)
    return at, spec, result, choices


def _period_choices(today: dt.date, spec: ReturnSpec) -> list[Period]:
    """This month and the eleven before it, the last four quarters, this financial year and
    the one before: the returns an officer makes or checks."""
    months, day = [], today.replace(day=1)
    for _i in range(12):
        months.append(period_of("month", day, spec))
        day = (day - dt.timedelta(days=1)).replace(day=1)
    quarters = []
    quarter = period_of("quarter", today, spec)
    for _i in range(4):
        quarters.append(quarter)
        quarter = period_of("quarter", quarter.start - dt.timedelta(days=1), spec)
    year = period_of("year", today, spec)
    years = [year, period_of("year", year.start - dt.timedelta(days=1), spec)]
    return months + quarters + years


@login_required
@require_safe
def caseload(request: HttpRequest, space: str) -> HttpResponse:
    at, spec, result, choices = return_for(request, space)
    tables = []
    for rows, table_id, heading, caption in (
            (result.categories, "return-categories", _("Case category"), _("Case categories reported")),
            (result.interventions, "return-interventions", _("Case intervention"),
             _("Case interventions (disposal)"))):
        shown = [{"code": row.code or "not-recorded", "label": row.label,
                  "cells": [row.counts.get(column, 0) for column in result.columns()],
                  "sexes": [row.by_sex(sex) for sex, _label in result.sexes], "total": row.total}
                 for row in rows if row.total]
        tables.append({"id": table_id, "heading": heading, "caption": caption, "rows": shown})
    return page(request, at, "reporting/caseload.html", {
        "result": result, "periods": choices, "areas": areas(at.config, spec), "tables": tables,
        "overdue": at.space.clock.date() > result.period.due,
    }, nav="returns")


def table(result: CaseloadReturn, rows: str) -> list[list[str | int]]:
    """The return as the national tool lays it out: a row per category (or intervention),
    a column per age group and sex, then the totals by sex and in all."""
    header: list[str | int] = [_("Case category") if rows == "categories" else _("Case intervention")]
    for _group, label in result.age_groups:
        for _sex, sex_label in result.sexes:
            header.append(f"{label} {sex_label}")
    header += [f"{_('Total')} {sex_label}" for _sex, sex_label in result.sexes] + [_("Total")]
    lines = [header]
    for row in getattr(result, rows):
        line: list[str | int] = [safe_cell(str(row.label))]
        line += [row.counts.get(column, 0) for column in result.columns()]
        line += [row.by_sex(sex) for sex, _label in result.sexes] + [row.total]
        lines.append(line)
    return lines


def _filename(result: CaseloadReturn, extension: str) -> str:
    area = result.area or "all"
    return f"caseload-return-{result.period.kind}-{result.period.start:%Y-%m}-{area}.{extension}"


@login_required
@require_safe
def caseload_csv(request: HttpRequest, space: str) -> HttpResponse:
    _at, _spec, result, _choices = return_for(request, space)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for rows in ("categories", "interventions"):
        writer.writerows(table(result, rows))
        writer.writerow([])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "csv")}"'
    return response


@login_required
@require_safe
def caseload_xlsx(request: HttpRequest, space: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _at, _spec, result, _choices = return_for(request, space)
    book = Workbook()
    for index, (rows, title) in enumerate((("categories", _("Case categories")),
                                           ("interventions", _("Case interventions")))):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        sheet.append([f"{result.area_label} — {result.period.start:%Y-%m-%d} / {result.period.end:%Y-%m-%d}"])
        for line in table(result, rows):
            sheet.append(line)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "xlsx")}"'
    return response


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def indicators_for(request: HttpRequest, space: str) -> tuple[
        Here, Any, Any, int, list[int], list[tuple[str, str]]]:
    """The indicators the request asks for (period, place, level), for the page and the API."""
    from .indicators import Filters, compute

    at = here(request, space)
    if not at.oversees:
        raise PermissionDenied(_("Indicators are for supervisors and managers; your role does not see them."))
    levels = sorted({loc.admin_level for loc in at.config.locations.values()})
    # The level asked for, else the first below the country.
    level = next((lvl for lvl in levels if str(lvl) == request.GET.get("level")),
                 levels[min(1, len(levels) - 1)] if levels else 0)
    location = request.GET.get("location") or None
    if location not in at.config.locations:
        location = None
    filters = Filters(start=_date(request.GET.get("start")), end=_date(request.GET.get("end")),
                      location=location)
    if filters.start and filters.end and filters.end < filters.start:
        filters = Filters(start=filters.end, end=filters.start, location=location)
    result = compute(visible_cases(at.member), config=at.config, module=at.module, filters=filters,
                     now=at.space.clock, location_level=level)
    places = [(code, "\u00a0\u00a0" * loc.admin_level + str(pick(loc.name)))
              for code, loc in sorted(at.config.locations.items(), key=lambda item: item[1].path)
              if loc.admin_level <= max(levels[-1] - 1, 0)]
    return at, result, filters, level, levels, places


@login_required
@require_safe
def indicators(request: HttpRequest, space: str) -> HttpResponse:
    at, result, filters, level, levels, places = indicators_for(request, space)
    return page(request, at, "reporting/indicators.html", {
        # A date field's value is the ISO date (the browser shows it in the user's locale).
        "start_value": filters.start.isoformat() if filters.start else "",
        "end_value": filters.end.isoformat() if filters.end else "",
        "result": result, "filters": filters, "levels": [
            (lvl, _level_name(at, lvl)) for lvl in levels], "level": level, "places": places,
    }, nav="indicators")


def _level_name(at: Here, level: int) -> str:
    for admin in at.config.admin_levels:
        if admin.get("level") == level:
            return pick(admin.get("name") or {}) or str(level)
    return str(level)
