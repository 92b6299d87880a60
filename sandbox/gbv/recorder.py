"""De-identified incident data: the Incident Recorder export and monthly statistics.

Only incidents whose survivor consented to sharing de-identified data for statistics
leave the case system, and only as codes: no name, no date of birth (an age group),
no exact date (the month), no place finer than the district, no free text. Statistics
follow the information-sharing protocol: a cell counting fewer incidents than the
policy's `min_cell_count` is suppressed, and so is a second cell of the same table when
one alone would let the total give it away.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.configuration.runtime import BundleConfig, ModuleDef
from sandbox.spaces.models import Member

from .classification import age_group
from .models import Incident
from .selectors import incident_list

#: The columns of the export, in the Incident Recorder's order.
COLUMNS = ("incident_id", "reported_month", "incident_month", "area", "gbv_type", "acts",
           "age_group", "sex", "perpetrator_relationship", "context", "services_provided",
           "referred_to")
#: The tables of the monthly statistics: dimension -> how an incident counts in it.
DIMENSIONS = ("gbv_type", "age_group", "sex", "area", "services")
#: What a suppressed cell shows.
SUPPRESSED = None


def consented(incidents: Iterable[Incident], module: ModuleDef) -> list[Incident]:
    """The incidents whose survivor consented to de-identified data for statistics."""
    policy = module.policy
    return [i for i in incidents if policy.consent_is_given("statistics", i.case.data)]


def district_of(config: BundleConfig, code: str) -> str:
    """The district (admin level 2) of a place, or the place itself when it is coarser."""
    location = config.locations.get(code)
    if location is None:
        return ""
    for part in location.path.split("/"):
        place = config.locations.get(part)
        if place is not None and place.admin_level == 2:
            return place.code
    return location.code if location.admin_level < 2 else ""


def recorder_row(incident: Incident, config: BundleConfig) -> dict[str, str]:
    """One incident as a row of the Incident Recorder: codes, months, the district."""
    return {
        "incident_id": incident.display_id,
        "reported_month": incident.created_at.strftime("%Y-%m"),
        "incident_month": incident.incident_date.strftime("%Y-%m"),
        "area": district_of(config, incident.location),
        "gbv_type": incident.gbv_type,
        "acts": " ".join(incident.acts),
        "age_group": age_group(incident.survivor_age),
        "sex": incident.survivor_sex,
        "perpetrator_relationship": incident.perpetrator_relationship,
        "context": " ".join(incident.context),
        "services_provided": " ".join(incident.services_provided),
        "referred_to": " ".join(incident.referred_to),
    }


def recorder_rows(*, viewer: Member) -> list[dict[str, str]]:
    """The Incident Recorder rows of the incidents the viewer can see, with consent."""
    config = viewer.space.config
    module = config.modules[viewer.space.module]
    incidents = consented(incident_list(viewer=viewer).order_by("created_at", "pk"), module)
    return [recorder_row(i, config) for i in incidents]


@dataclass
class Table:
    """One dimension of a month's statistics: counts per value, suppressed below the minimum."""

    dimension: str
    cells: dict[str, int | None] = field(default_factory=dict)

    @property
    def suppressed(self) -> list[str]:
        return [value for value, count in self.cells.items() if count is SUPPRESSED]


@dataclass
class Month:
    month: str
    #: None when the month's total is itself below the minimum.
    total: int | None
    tables: list[Table]


def suppress(counts: dict[str, int], minimum: int) -> dict[str, int | None]:
    """Counts with every cell below `minimum` suppressed; when exactly one is, the next
    smallest is too, so that the total cannot give it away."""
    cells: dict[str, int | None] = {k: (v if v >= minimum else SUPPRESSED) for k, v in counts.items()}
    hidden = [k for k, v in cells.items() if v is SUPPRESSED]
    if minimum > 1 and len(hidden) == 1:
        shown = sorted((v, k) for k, v in counts.items() if cells[k] is not SUPPRESSED)
        if shown:
            cells[shown[0][1]] = SUPPRESSED
    return cells


def _values(row: dict[str, str], dimension: str) -> list[str]:
    if dimension == "services":
        return sorted(set(row["services_provided"].split()) | set(row["referred_to"].split()))
    return [row[dimension] or "unknown"]


def monthly_statistics(rows: list[dict[str, str]], minimum: int) -> list[Month]:
    """Per month reported: the total and one table per dimension, with suppression."""
    months: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        months.setdefault(row["reported_month"], []).append(row)
    result = []
    for month in sorted(months):
        in_month = months[month]
        tables = []
        for dimension in DIMENSIONS:
            counts = Counter(v for row in in_month for v in _values(row, dimension))
            tables.append(Table(dimension, suppress(dict(sorted(counts.items())), minimum)))
        total = len(in_month)
        result.append(Month(month, total if total >= minimum else SUPPRESSED, tables))
    return result


def statistics(*, viewer: Member) -> list[Month]:
    """The monthly statistics of the viewer's de-identified incident data."""
    module = viewer.space.config.modules[viewer.space.module]
    return monthly_statistics(recorder_rows(viewer=viewer), module.policy.min_cell_count)


def as_json(months: list[Month]) -> list[dict[str, Any]]:
    return [{"month": m.month, "total": m.total,
             "tables": {t.dimension: t.cells for t in m.tables}} for m in months]


def recorder_csv(rows: list[dict[str, str]]) -> str:
    """The export as CSV text (UTF-8, a header row of the column codes)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
