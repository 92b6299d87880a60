"""Indicators of a space for supervisors and managers: the case load and how fast and how
well the SOP is followed. Everything is counted over the cases the viewer's role sees,
registered (or identified) in the chosen period of the simulated calendar and in the chosen
place, so that a supervisor's figures are those of their own office.

A training space holds at most a few hundred cases: the figures are computed in Python
over a handful of queries (one per kind of record), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sandbox.cases.models import (
    Approval,
    ApprovalStatus,
    Case,
    Referral,
    Status,
)
from sandbox.cases.models.task import Task
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import BundleConfig, ModuleDef


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None     # registered (or identified) on or after
    end: dt.date | None = None       # ... on or before
    location: str | None = None      # a location code: this place and everything under it


@dataclass
class Breakdown:
    """A count per value, in the order of the configuration, with labels."""

    title: str
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, count)

    @property
    def total(self) -> int:
        return sum(n for _c, _l, n in self.rows)

    @property
    def largest(self) -> int:
        return max((n for _c, _l, n in self.rows), default=0)


@dataclass
class Timing:
    """Days from registration to a step: the median per risk level and overall."""

    title: str
    rows: list[tuple[str, str, float | None, int]] = field(default_factory=list)
    overall: float | None = None
    count: int = 0


@dataclass
class Indicators:
    cases: int
    open_cases: int
    breakdowns: list[Breakdown]
    overdue_tasks: int
    approvals_pending: int
    timings: list[Timing]
    referrals: int
    referrals_with_consent: int

    @property
    def consent_percent(self) -> float | None:
        return 100 * self.referrals_with_consent / self.referrals if self.referrals else None


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def in_scope(cases: QuerySet[Case], filters: Filters, config: BundleConfig) -> list[Case]:
    """The cases of the period and place (the registration date, else the identification)."""
    chosen = []
    prefix = None
    if filters.location and filters.location in config.locations:
        prefix = config.locations[filters.location].path
    for case in cases.select_related("owner"):
        day = _day(case.registered_at) or _day(case.created_at)
        if filters.start and (day is None or day < filters.start):
            continue
        if filters.end and (day is None or day > filters.end):
            continue
        if prefix is not None:
            location = config.locations.get(case.location)
            if location is None or not (location.path == prefix or location.path.startswith(prefix + "/")):
                continue
        chosen.append(case)
    return chosen


def _breakdown(title: str, cases: list[Case], value: Any, labels: list[tuple[str, str]]) -> Breakdown:
    counts = Counter(value(case) for case in cases)
    rows = [(code, label, counts.pop(code, 0)) for code, label in labels]
    rows += [(str(code), str(code) or str(_("Not recorded")), n) for code, n in counts.items() if n]
    return Breakdown(str(title), rows)


def _lookup_labels(config: BundleConfig, lookup: str | None) -> list[tuple[str, str]]:
    if not lookup or lookup not in config.lookups:
        return []
    return [(code, pick(option.label) or code) for code, option in config.lookups[lookup].options.items()]


def _field_with_lookup(module: ModuleDef, lookup: str | None) -> str | None:
    for name, definition in module.fields.items():
        if lookup and definition.lookup == lookup:
            return name
    return None


def compute(cases: QuerySet[Case], *, config: BundleConfig, module: ModuleDef, filters: Filters,
            now: dt.datetime, location_level: int = 1) -> Indicators:
    chosen = in_scope(cases, filters, config)
    ids = [case.pk for case in chosen]
    risk_field = module.fields.get(module.core_fields.get("risk_level", ""))
    risks = _lookup_labels(config, risk_field.lookup if risk_field else None)

    def area(case: Case) -> str:
        location = config.locations.get(case.location)
        while location is not None and location.admin_level > location_level:
            location = config.locations.get(location.parent or "")
        return location.code if location is not None and location.admin_level == location_level else ""

    areas = sorted(((code, pick(loc.name)) for code, loc in config.locations.items()
                    if loc.admin_level == location_level), key=lambda item: item[1])
    workers = sorted({(str(c.owner_id or ""), c.owner.name if c.owner else str(_("Nobody")))
                      for c in chosen}, key=lambda item: item[1])
    closure_lookup = module.system_lookups.get("closure_reason")
    closure_field = _field_with_lookup(module, closure_lookup)
    closed = [c for c in chosen if c.status == Status.CLOSED]
    breakdowns = [
        _breakdown(_("Cases by status"), chosen, lambda c: c.status,
                   [(code, str(label)) for code, label in Status.choices]),
        _breakdown(_("Open cases by stage"), [c for c in chosen if c.status == Status.OPEN],
                   lambda c: c.stage, [(code, str(label)) for code, label in
                                       Case._meta.get_field("stage").choices]),
        _breakdown(_("Cases by risk level"), chosen, lambda c: c.risk_level, risks),
        _breakdown(_("Cases by location"), chosen, area, areas),
        _breakdown(_("Cases by case worker"), chosen, lambda c: str(c.owner_id or ""), workers),
        _breakdown(_("Closures by reason"), closed,
                   lambda c: c.data.get(closure_field, "") if closure_field else "",
                   _lookup_labels(config, closure_lookup)),
    ]
    overdue = Task.objects.filter(case_id__in=ids, completed_at__isnull=True, due_at__lt=now).count()
    pending = Approval.objects.filter(case_id__in=ids, status=ApprovalStatus.PENDING).count()
    # Time to the case plan: the first case plan approved (else saved) after registration.
    plan_at: dict[int, dt.datetime] = {}
    for approval in Approval.objects.filter(case_id__in=ids, kind="case_plan",
                                            status=ApprovalStatus.APPROVED).order_by("decided_at"):
        plan_at.setdefault(approval.case_id, approval.decided_at)
    timings = [
        _timing(_("Days from registration to the completed assessment"), chosen, risks,
                lambda c: c.assessment_completed_at),
        _timing(_("Days from registration to the approved case plan"), chosen, risks,
                lambda c: plan_at.get(c.pk) or c.case_plan_saved_at),
    ]
    referrals = list(Referral.objects.filter(case_id__in=ids).only("consent_override_reason"))
    with_consent = sum(1 for r in referrals if not r.consent_override_reason)
    return Indicators(cases=len(chosen), open_cases=sum(1 for c in chosen if c.status == Status.OPEN),
                      breakdowns=breakdowns, overdue_tasks=overdue, approvals_pending=pending,
                      timings=timings, referrals=len(referrals), referrals_with_consent=with_consent)


def _timing(title: Any, cases: list[Case], risks: list[tuple[str, str]], reached: Any) -> Timing:
    by_risk: dict[str, list[float]] = {}
    every: list[float] = []
    for case in cases:
        at = reached(case)
        if at is None or case.registered_at is None or at < case.registered_at:
            continue
        days = (at - case.registered_at).total_seconds() / 86400
        by_risk.setdefault(case.risk_level, []).append(days)
        every.append(days)
    rows = [(code, label, _median(by_risk.get(code, [])), len(by_risk.get(code, [])))
            for code, label in risks]
    return Timing(str(title), rows, _median(every), len(every))


def _median(days: list[float]) -> float | None:
    """The median in days, to a tenth of a day (about two hours and a half)."""
    return round(statistics.median(days), 1) if days else None
