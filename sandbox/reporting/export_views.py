"""Case exports from the pages: the case list as CSV or Excel, one case file as PDF.

Exports are POSTed (a form button with the CSRF token): each one writes events, and a
link that a browser or a proxy might prefetch must not. The list's filters travel in
the query string, as on the case list itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sandbox.cases import services as s
from sandbox.cases.models import Case
from sandbox.cases.selectors import CaseFilters, case_events, case_get, case_list
from sandbox.cases.views.base import Here, here
from sandbox.spaces.models import Member

from .exports import casefile
from .exports.columns import Plan, pseudonym, table
from .exports.files import XLSX, to_csv, to_xlsx

YES = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def may_export(at: Here) -> bool:
    return at.role.can("case.export")


def refuse_unless_allowed(at: Here) -> None:
    if not may_export(at):
        raise PermissionDenied(_("Your role does not export cases (the case.export permission)."))


def wants_deidentified(request: HttpRequest) -> bool:
    """The de-identified variant: `deidentified=1` in the form or the query string."""
    value = request.POST.get("deidentified") or request.GET.get("deidentified") or ""
    return value.lower() in YES


def plan_for(at: Here, deidentified: bool) -> Plan:
    return Plan(config=at.config, module=at.module, role=at.role, deidentified=deidentified)


def cases_file(at: Here, *, filters: CaseFilters, file_format: str, deidentified: bool) -> ExportFile:
    """The member's cases (with the case list's filters) as one file; the export recorded."""
    refuse_unless_allowed(at)
    cases = list(case_list(viewer=at.member, filters=filters))
    plan = plan_for(at, deidentified)
    lines = table(plan, cases, s.member_options(at.space))
    s.case_export(actor=at.member, cases=cases, file_format=file_format, deidentified=deidentified)
    stem = f"cases-{at.space.slug}-{at.space.clock:%Y%m%d}" + ("-deidentified" if deidentified else "")
    if file_format == "csv":
        return ExportFile(to_csv(lines), "text/csv; charset=utf-8", f"{stem}.csv")
    return ExportFile(to_xlsx(lines, title=_("Cases"), right_to_left=get_language_bidi()), XLSX,
                      f"{stem}.xlsx")


def case_file(at: Here, case: Case, *, deidentified: bool) -> ExportFile:
    """One case (already read through the member's scope) as a PDF file; the export recorded."""
    refuse_unless_allowed(at)
    events = list(case_events(viewer=at.member, case=case))
    members: list[Member] = list(at.space.members.all())
    pdf = casefile.render_pdf(plan_for(at, deidentified), case, events=events, members=members)
    s.case_export(actor=at.member, cases=[case], file_format="pdf", deidentified=deidentified)
    name = pseudonym(case) if deidentified else case.display_id
    return ExportFile(pdf, "application/pdf", f"case-file-{name}.pdf")


def download(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_POST
def cases_export(request: HttpRequest, space: str, file_format: str) -> HttpResponse:
    """The case list as CSV or Excel (`file_format`, fixed by the URL)."""
    at = here(request, space)
    return download(cases_file(at, filters=CaseFilters.from_params(request.GET),
                               file_format=file_format, deidentified=wants_deidentified(request)))


@login_required
@require_POST
def case_pdf(request: HttpRequest, space: str, display_id: str) -> HttpResponse:
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    return download(case_file(at, case, deidentified=wants_deidentified(request)))
