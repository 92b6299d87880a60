"""The access log of a space (who looked at which child's file) and the sign-in log of its
people, for supervisors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sandbox.common.i18n import pick

from ..models import CaseView
from ..selectors import sign_ins_overseen, visible_cases
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


@login_required
@require_safe
def sign_ins(request: HttpRequest, space: str) -> HttpResponse:
    """Who of the people the viewer oversees signed in, when, from where and how."""
    at = here(request, space)
    if not at.oversees:
        raise PermissionDenied(_("The sign-in log is for supervisors; your role does not read it."))
    rows = list(sign_ins_overseen(viewer=at.member)[:SHOWN])
    names = dict(at.space.members.filter(user__isnull=False).values_list("user__username", "name"))
    return page(request, at, "cases/sign_ins.html", {
        "rows": [{"sign_in": r, "name": names.get(r.username, r.username)} for r in rows],
        "shown": SHOWN}, nav="sign_ins")
