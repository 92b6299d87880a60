"""The access log of a space: who looked at which child's file, for supervisors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sandbox.common.i18n import pick

from ..models import CaseView
from ..selectors import visible_cases
from .base import here, page

SHOWN = 300


@login_required
@require_safe
def access_log(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    if not at.oversees:
        raise PermissionDenied(_("The access log is for supervisors; your role does not read it."))
    views = (CaseView.objects.filter(space=at.space, case__in=visible_cases(at.member))
             .select_related("case", "viewer").order_by("-real_at", "-pk"))
    sections = {s.code: s for s in at.module.sections}
    parts = {"": _("Case page"), "history": _("History"), "document": _("A document")}
    rows = []
    for view in views[:SHOWN]:
        section = sections.get(view.part)
        rows.append({"view": view, "part": parts.get(view.part) or (
            pick(section.name) if section is not None else view.part)})
    return page(request, at, "cases/access_log.html", {"rows": rows, "shown": SHOWN},
                nav="access_log")
