"""National caseload returns, computed from a space's cases as the national tool does.

Kenya's Department of Children Services (DCS) collects child-level rows (case number, date
of reporting, sub-county, case category, sex, age group, case intervention) in the Excel
caseload return tool and aggregates them by month, quarter and financial year (July to
June): one table of case categories and one of case interventions (disposal), each by sex
and age group. The sub-county children officer sends the monthly return by the 5th of the
next month, the quarterly by the 10th of the month after the quarter, the annual by 15 July
(DCS guidelines for child protection data collection and reporting, 2016).

A `ReturnSpec` says which fields of a bundle hold what the tool needs, so the same code
serves any bundle that declares one (only `kenya_dcs` does today).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sandbox.cases.models import Case, RegistrationStatus
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import BundleConfig, ModuleDef


@dataclass(frozen=True)
class ReturnSpec:
    bundle: str
    date_field: str           # the date of reporting (falls back on the registration date)
    category_field: str       # one case category per case
    intervention_field: str   # the interventions taken (several per case)
    office_field: str         # the reporting office's sub-county (falls back on the case's location)
    area_level: int           # the admin level the return is made for (sub-county)
    age_groups: tuple[tuple[int, int], ...]
    financial_year_starts: int = 7  # July


SPECS: dict[str, ReturnSpec] = {
    "kenya_dcs": ReturnSpec(
        bundle="kenya_dcs", date_field="date_of_reporting", category_field="case_category",
        intervention_field="action_taken", office_field="reporting_office", area_level=2,
        # The tool's age codes: 1 = 0-5 years, 2 = 6-10, 3 = 11-15, 4 = 16-17.
        age_groups=((0, 5), (6, 10), (11, 15), (16, 17))),
}

PERIODS = ("month", "quarter", "year")
NOT_RECORDED = ""


@dataclass(frozen=True)
class Period:
    kind: str          # month | quarter | year
    start: dt.date
    end: dt.date       # inclusive
    due: dt.date

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.start.isoformat()}"

    @property
    def label(self) -> str:
        """"March 2026", "Quarter 3 of 2025/26 (January–March 2026)", "Financial year 2025/26",
        in the active language (CLDR month names)."""
        from babel.dates import format_skeleton

        from sandbox.common.i18n import babel_locale

        locale = babel_locale()
        month = format_skeleton("yMMMM", self.start, locale=locale)
        if self.kind == "month":
            return month
        year = f"{self.start.year}/{(self.start.year + 1) % 100:02d}" if self.kind == "year" else (
            f"{self.start.year if self.start.month >= 7 else self.start.year - 1}/"
            f"{(self.start.year + (1 if self.start.month >= 7 else 0)) % 100:02d}")
        if self.kind == "year":
            return _("Financial year %(year)s") % {"year": year}
        months = (self.start.month - 7) % 12 // 3 + 1
        span = format_skeleton("MMMM", self.start, locale=locale) + "–" + format_skeleton(
            "yMMMM", self.end, locale=locale)
        return _("Quarter %(number)d of %(year)s (%(months)s)") % {
            "number": months, "year": year, "months": span}


def period_of(kind: str, day: dt.date, spec: ReturnSpec) -> Period:
    """The month, quarter or financial year holding `day`, with the return's due date."""
    if kind == "month":
        start = day.replace(day=1)
        end = _add_months(start, 1) - dt.timedelta(days=1)
        return Period(kind, start, end, _add_months(start, 1).replace(day=5))
    fy_start = dt.date(day.year if day.month >= spec.financial_year_starts else day.year - 1,
                       spec.financial_year_starts, 1)
    if kind == "quarter":
        months = (day.year - fy_start.year) * 12 + day.month - fy_start.month
        start = _add_months(fy_start, months // 3 * 3)
        end = _add_months(start, 3) - dt.timedelta(days=1)
        return Period(kind, start, end, _add_months(start, 3).replace(day=10))
    if kind == "year":
        end = _add_months(fy_start, 12) - dt.timedelta(days=1)
        return Period(kind, fy_start, end, end + dt.timedelta(days=15))
    raise ValueError(kind)


def parse_period(key: str, spec: ReturnSpec) -> Period | None:
    """`month:2026-03-01` (as Period.key writes it) back to its period; None if malformed."""
    kind, _sep, start = key.partition(":")
    if kind not in PERIODS:
        return None
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        return None
    return period_of(kind, day, spec)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Row:
    code: str
    label: str
    counts: dict[tuple[str, int], int] = field(default_factory=dict)  # (sex, age group) -> n

    def by_sex(self, sex: str) -> int:
        return sum(n for (s, _g), n in self.counts.items() if s == sex)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class CaseloadReturn:
    spec: ReturnSpec
    period: Period
    area: str | None
    area_label: str
    sexes: list[tuple[str, str]]            # (code, label)
    age_groups: list[tuple[int, str]]       # (index, "0-5")
    categories: list[Row]
    interventions: list[Row]
    cases: int
    #: Cases counted with no sex or an age outside the groups: shown, never dropped silently.
    unclassified: int

    def columns(self) -> list[tuple[str, int]]:
        return [(sex, group) for group, _label in self.age_groups for sex, _sl in self.sexes]

    def column_totals(self, rows: list[Row]) -> dict[tuple[str, int], int]:
        totals: Counter[tuple[str, int]] = Counter()
        for row in rows:
            totals.update(row.counts)
        return dict(totals)


def spec_for(config: BundleConfig) -> ReturnSpec | None:
    return SPECS.get(config.code)


def area_of(case: Case, spec: ReturnSpec, config: BundleConfig) -> str | None:
    """The sub-county a case is reported in: the reporting office's, else the child's."""
    for code in (case.data.get(spec.office_field), case.location):
        area = _ancestor(code, spec.area_level, config)
        if area:
            return area
    return None


def _ancestor(code: Any, level: int, config: BundleConfig) -> str | None:
    location = config.locations.get(code) if isinstance(code, str) else None
    while location is not None and location.admin_level > level:
        location = config.locations.get(location.parent or "")
    return location.code if location is not None and location.admin_level == level else None


def reported_on(case: Case, spec: ReturnSpec) -> dt.date | None:
    value = case.data.get(spec.date_field)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return case.registered_at.date() if case.registered_at else None


def age_group(age: int | None, spec: ReturnSpec) -> int | None:
    if age is None:
        return None
    for index, (low, high) in enumerate(spec.age_groups):
        if low <= age <= high:
            return index
    return None


def areas(config: BundleConfig, spec: ReturnSpec) -> list[tuple[str, str]]:
    return sorted(((code, pick(loc.name)) for code, loc in config.locations.items()
                   if loc.admin_level == spec.area_level), key=lambda item: item[1])


def caseload_return(cases: list[Case], *, config: BundleConfig, module: ModuleDef,
                    spec: ReturnSpec, period: Period, area: str | None) -> CaseloadReturn:
    """Count the registered cases reported in `period` (in `area`, or everywhere)."""
    sex_lookup = config.lookups[module.fields[module.core_fields["sex"]].lookup]
    sexes = [(code, pick(option.label)) for code, option in sex_lookup.options.items()]
    category_lookup = config.lookups[module.fields[spec.category_field].lookup]
    intervention_lookup = config.lookups[module.fields[spec.intervention_field].lookup]
    categories = {code: Row(code, pick(o.label)) for code, o in category_lookup.options.items()}
    interventions = {code: Row(code, pick(o.label)) for code, o in intervention_lookup.options.items()}
    not_recorded = str(pgettext_lazy("case category", "Not recorded"))
    counted = unclassified = 0
    for case in cases:
        if case.registration_status != RegistrationStatus.REGISTERED:
            continue
        day = reported_on(case, spec)
        if day is None or not (period.start <= day <= period.end):
            continue
        if area is not None and area_of(case, spec, config) != area:
            continue
        counted += 1
        group = age_group(case.age, spec)
        if group is None or case.sex not in dict(sexes):
            unclassified += 1
            continue
        column = (case.sex, group)
        category = case.data.get(spec.category_field) or NOT_RECORDED
        row = categories.get(category) or categories.setdefault(
            NOT_RECORDED, Row(NOT_RECORDED, not_recorded))
        row.counts[column] = row.counts.get(column, 0) + 1
        taken = case.data.get(spec.intervention_field) or []
        for code in (taken if isinstance(taken, list) else [taken]):
            if code in interventions:
                cell = interventions[code].counts
                cell[column] = cell.get(column, 0) + 1
    area_label = pick(config.locations[area].name) if area and area in config.locations else str(
        _("All sub-counties"))
    groups = [(i, f"{low}–{high}") for i, (low, high) in enumerate(spec.age_groups)]
    return CaseloadReturn(spec=spec, period=period, area=area, area_label=area_label, sexes=sexes,
                          age_groups=groups, categories=list(categories.values()),
                          interventions=list(interventions.values()), cases=counted,
                          unclassified=unclassified)
