"""The case list: search, filters and a paginated table, in a constant number of queries.

Labels (sex, risk, place) come from the configuration in memory and the owner
from the selector's `select_related`, so a page of 50 cases costs the same
queries as a page of one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

from ..models import Stage, Status
from ..selectors import CaseFilters, case_list
from . import display as d
from .base import here, page

PER_PAGE = 50


@login_required
def cases(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    filters = CaseFilters.from_params(request.GET)
    paginator = Paginator(case_list(viewer=at.member, filters=filters), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    config, module = at.config, at.module
    sex_lookup = d.core_lookup(module, "sex")
    rows: list[dict[str, Any]] = [{
        "case": case,
        "sex": d.lookup_label(config, sex_lookup, case.sex),
        "location": config.location_label(case.location),
        "risk": d.risk_label(config, module, case.risk_level),
        "risk_colour": d.RISK_COLOURS.get(case.risk_level, "secondary"),
        "owner": case.owner.name if case.owner else "",
    } for case in page_obj]
    return page(request, at, "cases/case_list.html", {
        "filters": filters, "page_obj": page_obj, "rows": rows,
        "stages": Stage.choices, "statuses": Status.choices,
        "risk_levels": d.options(config, d.core_lookup(module, "risk_level")),
        "locations": d.location_choices(config, indent=True),
        "filtered": any(request.GET.get(k) for k in (
            "q", "stage", "risk_level", "location", "status", "overdue", "flagged", "mine")),
        "can_register": at.role.can("case.register"),
    }, nav="cases")
