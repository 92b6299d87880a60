"""The case page, a form section's edit page, and the case's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from sandbox.common.errors import NotFound, SandboxError
from sandbox.common.i18n import pick

from .. import services as s
from ..models import CaseView
from ..permissions import case_section_access
from ..selectors import case_events, case_get
from . import display as d
from .base import here, page
from .case_page import case_summary, render_case_page
from .forms import ConfigForm, form_members
from .panel import CASE_ACTIONS, PAGE_ACTIONS


def case_gone(request: HttpRequest, space: str, back_to: str = "cases:list") -> HttpResponse:
    """The record was read, then a trainer's reset removed it before the look was recorded:
    back to its list (`back_to`), saying why (never an error page)."""
    from ..services._core import space_was_reset

    messages.warning(request, str(space_was_reset().message))
    return redirect(back_to, space=space)


@login_required
def detail(request: HttpRequest, space: str, display_id: str) -> HttpResponse:
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    action = request.GET.get("action", "")
    open_action = action if action in CASE_ACTIONS and action not in PAGE_ACTIONS else ""
    if not CaseView.record(at.member, case):
        return case_gone(request, space)
    return render_case_page(request, at, case, open_action=open_action)


@login_required
def section_edit(request: HttpRequest, space: str, display_id: str, section: str) -> HttpResponse:
    """Edit one form section (case.update); read-only roles get a clear message."""
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    section_def = at.module.section(section)
    access = case_section_access(at.role, section, case, at.module) if section_def else None
    if section_def is None or access is None:
        raise Http404("No such form section.")
    if request.method == "GET" and not CaseView.record(at.member, case, section):
        return case_gone(request, space)
    status = 200
    if request.method == "POST":
        form = ConfigForm(request.POST, request.FILES, sections=[section_def], config=at.config,
                          context=case.data, members=form_members(at.space, [section_def]))
        status = 400
        if form.is_valid():
            try:
                s.case_update(actor=at.member, case=case, section=section,
                              data=form.service_data(), files=form.files_data())
            except NotFound as exc:
                raise Http404(str(exc.message)) from exc
            except SandboxError as exc:
                form.apply_error(exc)
                status = exc.status
            else:
                messages.success(request, gettext("%(section)s saved.") % {
                    "section": pick(section_def.name)})
                url = reverse("cases:detail", kwargs={"space": space, "display_id": display_id})
                return redirect(f"{url}?section={section}")
    else:
        form = ConfigForm(sections=[section_def], config=at.config, context=case.data,
                          initial={k: v for k, v in case.data.items()},
                          members=form_members(at.space, [section_def]))
    reason = ""
    if access != "read_write":
        reason = gettext("Your role can read this form but not edit it.")
    elif not case.is_open:
        reason = gettext("The case is closed. Reopen it first.")
    elif not at.role.can("case.update"):
        reason = gettext("Your role may not edit the forms of a case.")
    return page(request, at, "cases/action_page.html", {
        "case": case, "summary": case_summary(at, case), "form": form,
        "title": pick(section_def.name), "blocked": reason,
        "action_url": request.path, "submit_label": gettext("Save"), "form_id": "section-form",
        "back_url": reverse("cases:detail", kwargs={"space": space, "display_id": display_id})
        + f"?section={section}",
    }, status=status, nav="cases")


@login_required
def history(request: HttpRequest, space: str, display_id: str) -> HttpResponse:
    """The case's events, newest first, with the fields each one changed."""
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    if not CaseView.record(at.member, case, "history"):
        return case_gone(request, space)
    members = {m.pk: m.name for m in at.space.members.all()}
    # Only the changes to fields of the form sections the viewer may read on this case,
    # as the API's events do: a provider never reads the survivor's identity here either.
    readable = {f.code for s in at.module.sections
                if case_section_access(at.role, s.code, case, at.module) for f in s.fields}
    events = []
    for event in case_events(viewer=at.member, case=case).order_by("-sequence"):
        role = at.config.roles.get(event.role)
        changes = {key: value for key, value in (event.changes or {}).items()
                   if not key.startswith("data.") or key[len("data."):] in readable}
        events.append({
            "event": event, "label": d.action_label(event.action),
            "role": pick(role.name) if role else event.role,
            "changes": d.change_rows(at.config, at.module, changes, members),
            "details": d.detail_rows(at.config, at.module, event.details or {}),
        })
    return page(request, at, "cases/history.html", {
        "case": case, "summary": case_summary(at, case), "events": events,
    }, nav="cases")
