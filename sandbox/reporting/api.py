"""API of reports and exports: the indicators, the caseload return and the case exports.

The same rules as the pages: a space the user is not in answers 404, a role without the
indicators, the returns or the `case.export` permission answers 403 (with the reason),
a case outside the member's scope answers 404, and every export writes its events.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.cases.api.base import DISPLAY_ID, SLUG, SpaceView
from sandbox.cases.selectors import CaseFilters
from sandbox.cases.views.base import Here
from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.configuration.api.shared import errors

from . import export_views as ev
from . import views

DEIDENTIFIED = OpenApiParameter("deidentified", OpenApiTypes.BOOL, OpenApiParameter.QUERY,
                                description="The de-identified variant (see the exports guide).")
FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=text)
    for name, text in (("q", "Name or case ID, as in the case list's search."),
                       ("stage", "A workflow stage."), ("risk_level", "A risk level code."),
                       ("location", "A location code: this place and every place under it."),
                       ("status", "open or closed."), ("overdue", "1: cases with an overdue task."),
                       ("flagged", "1: flagged cases."), ("mine", "1: the member's own cases."))
]
FORMAT = OpenApiParameter("file_format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["csv", "xlsx"],
                          description="csv (the default) or xlsx.")
INDICATOR_FILTERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, OpenApiParameter.QUERY,
                     description="Cases registered on or after this day (simulated calendar)."),
    OpenApiParameter("end", OpenApiTypes.DATE, OpenApiParameter.QUERY,
                     description="... and on or before this day."),
    OpenApiParameter("location", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description="A location code: this place and every place under it."),
    OpenApiParameter("level", OpenApiTypes.INT, OpenApiParameter.QUERY,
                     description="The admin level of the breakdown by location."),
]
RETURN_FILTERS = [
    OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description="month:YYYY-MM-01, quarter:YYYY-MM-01 or year:YYYY-07-01; "
                                 "this month by default."),
    OpenApiParameter("area", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description="A sub-county code; every sub-county by default."),
]
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment.")


class ReportView(SpaceView):
    """Refusals of the shared page logic (Django's PermissionDenied) keep their reason."""

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, PermissionDenied):
            exc = NotAllowed(str(exc) or "Not allowed.", code="forbidden_by_role")
        return super().handle_exception(exc)

    def here(self) -> Here:
        return views.here(self.request, self.member.space.slug)  # type: ignore[arg-type]


def _flag(value: str | None) -> bool:
    return str(value or "").lower() in ev.YES


def download(export: ev.ExportFile) -> HttpResponse:
    response = ev.download(export)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CaseExportView(ReportView):
    @extend_schema(operation_id="exports_cases", tags=["reports"],
                   parameters=[SLUG, FORMAT, DEIDENTIFIED, *FILTERS], request=None,
                   summary="Export the cases you see (with the case list's filters) as CSV or Excel "
                           "(action case.export: one event per case).",
                   description="One row per case, one column per field on a form section your role "
                               "may read. `deidentified=1` leaves out names, dates of birth, phone "
                               "numbers, addresses and free text.",
                   responses={(200, "text/csv"): FILE,
                              (200, ev.XLSX): FILE, **errors(400, 401, 403, 404)})
    def post(self, request: Request, slug: str) -> HttpResponse:
        file_format = request.query_params.get("file_format") or "csv"
        if file_format not in ("csv", "xlsx"):
            raise ValidationFailed(_("The format is csv or xlsx."),
                                   details={"fields": {"file_format": [_("Not valid.")]}})
        filters = CaseFilters.from_params(request.query_params)
        return download(ev.cases_file(self.here(), filters=filters, file_format=file_format,
                                      deidentified=_flag(request.query_params.get("deidentified"))))


class CaseFileView(ReportView):
    @extend_schema(operation_id="exports_case_file", tags=["reports"],
                   parameters=[SLUG, DISPLAY_ID, DEIDENTIFIED], request=None,
                   summary="The case file as PDF, in your language (action case.export).",
                   responses={(200, "application/pdf"): FILE, **errors(401, 403, 404)})
    def post(self, request: Request, slug: str, display_id: str) -> HttpResponse:
        at = self.here()
        case = self.case(display_id)
        return download(ev.case_file(at, case,
                                     deidentified=_flag(request.query_params.get("deidentified"))))


class IndicatorsView(ReportView):
    @extend_schema(operation_id="reports_indicators", tags=["reports"],
                   parameters=[SLUG, *INDICATOR_FILTERS],
                   summary="The indicators of the cases your role sees (supervisors and managers).",
                   description="Totals, breakdowns (each row: code, label, count) and the median "
                               "days to the assessment and the case plan per risk level.",
                   responses={200: OpenApiTypes.OBJECT, **errors(401, 403, 404)})
    def get(self, request: Request, slug: str) -> Response:
        found = views.indicators_for(request, slug)  # type: ignore[arg-type]
        _at, result, filters, level, _levels, _places = found
        return Response({
            "filters": {"start": filters.start, "end": filters.end, "location": filters.location,
                        "level": level},
            "cases": result.cases, "open_cases": result.open_cases,
            "overdue_tasks": result.overdue_tasks, "approvals_pending": result.approvals_pending,
            "referrals": result.referrals, "referrals_with_consent": result.referrals_with_consent,
            "breakdowns": [{"title": b.title, "total": b.total,
                            "rows": [{"code": c, "label": label, "count": n} for c, label, n in b.rows]}
                           for b in result.breakdowns],
            "timings": [{"title": t.title, "median_days": t.overall, "count": t.count,
                         "rows": [{"code": c, "label": label, "median_days": m, "count": n}
                                  for c, label, m, n in t.rows]}
                        for t in result.timings],
        })


class CaseloadReturnView(ReportView):
    @extend_schema(operation_id="reports_caseload_return", tags=["reports"],
                   parameters=[SLUG, *RETURN_FILTERS],
                   summary="The national caseload return of the period (bundles that declare one).",
                   description="Rows of case categories and of interventions, each counted by sex "
                               "and age group, with the period's due date on the simulated clock.",
                   responses={200: OpenApiTypes.OBJECT, **errors(401, 403, 404)})
    def get(self, request: Request, slug: str) -> Response:
        at, _spec, result, _choices = views.return_for(request, slug)  # type: ignore[arg-type]

        def rows(found: list[Any]) -> list[dict[str, Any]]:
            return [{"code": row.code, "label": row.label, "total": row.total,
                     "counts": [{"sex": sex, "age_group": group,
                                 "count": row.counts.get((sex, group), 0)}
                                for sex, group in result.columns()]}
                    for row in found]

        period = result.period
        return Response({
            "period": {"key": period.key, "kind": period.kind, "label": period.label,
                       "start": period.start, "end": period.end, "due": period.due,
                       "overdue": at.space.clock.date() > period.due},
            "area": result.area, "area_label": result.area_label, "cases": result.cases,
            "unclassified": result.unclassified,
            "sexes": [{"code": c, "label": label} for c, label in result.sexes],
            "age_groups": [{"index": i, "label": label} for i, label in result.age_groups],
            "categories": rows(result.categories), "interventions": rows(result.interventions),
        })
