"""The actions of the case page: each posts to its own URL and calls one service.

On success: a message and a redirect to the case (POST-redirect-GET). On a
refusal or invalid input: the page again, with the values typed, the errors and
the status of the error (400, 403, 409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sandbox.common.errors import NotFound, SandboxError

from .. import services as s
from ..models import Case, Service
from ..selectors import case_get, record_get, referral_get, transfer_sent_get
from .action_forms import ImplementForm, ReasonForm
from .base import Here, here, page
from .case_page import case_records, case_summary, make_action_form, render_case_page
from .forms import BootstrapForm, ConfigForm, form_members
from .panel import CASE_ACTIONS, PAGE_ACTIONS, case_panel

Handler = Callable[[Here, Case, Any], str]


def _consent(at: Here, case: Case, form: Any) -> str:
    for consent_type, given in form.answers():
        s.consent_record(actor=at.member, case=case, consent_type=consent_type, given=given,
                         given_by=form.cleaned_data.get("given_by") or "",
                         notes=form.cleaned_data.get("notes") or "")
    return gettext("Consent recorded.")


def _assessment_request(at: Here, case: Case, form: Any) -> str:
    s.assessment_request(actor=at.member, case=case)
    return gettext("Assessment started.")


def _approval_request(at: Here, case: Case, form: Any) -> str:
    s.approval_request(actor=at.member, case=case, kind=form.cleaned_data["kind"],
                       comment=form.cleaned_data.get("comment") or "")
    return gettext("Approval requested. A supervisor will decide.")


def _service_add(at: Here, case: Case, form: Any) -> str:
    data = form.cleaned_data
    s.service_add(actor=at.member, case=case, service_type=data.get("service_type") or "",
                  description=data.get("description") or "",
                  provider_agency=data.get("provider_agency") or "", due_date=data.get("due_date"),
                  consent_override_reason=data.get("consent_override_reason") or "")
    return gettext("Service added to the case plan.")


def _member_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _refer(at: Here, case: Case, form: Any) -> str:
    data = form.cleaned_data
    s.referral_create(actor=at.member, case=case, service_type=data.get("service_type") or "",
                      reason=data.get("reason") or "", to_member=_member_id(data.get("to_member")),
                      to_agency=data.get("to_agency") or "", urgency=data.get("urgency") or "",
                      notes=data.get("notes") or "", disclosed=list(data.get("disclosed") or []),
                      consent_override_reason=data.get("consent_override_reason") or "")
    return gettext("Case referred. The recipient will accept or reject the referral.")


def _followup(at: Here, case: Case, form: Any) -> str:
    data = form.cleaned_data
    s.followup_record(actor=at.member, case=case, date=data["date"],
                      followup_type=data.get("followup_type") or "", findings=data["findings"],
                      risk_level=data.get("risk_level") or "",
                      consent_override_reason=data.get("consent_override_reason") or "")
    return gettext("Follow-up recorded.")


def _reopen(at: Here, case: Case, form: Any) -> str:
    s.case_reopen(actor=at.member, case=case, reason=form.cleaned_data["reason"])
    return gettext("Case reopened.")


def _transfer(at: Here, case: Case, form: Any) -> str:
    data = form.cleaned_data
    s.transfer_create(actor=at.member, case=case, to_member=_member_id(data["to_member"]) or 0,
                      reason=data["reason"],
                      consent_override_reason=data.get("consent_override_reason") or "")
    return gettext("Transfer offered. The recipient will accept or reject it.")


def _assign(at: Here, case: Case, form: Any) -> str:
    data = form.cleaned_data
    s.case_assign(actor=at.member, case=case, to_member=_member_id(data["to_member"]) or 0,
                  reason=data.get("reason") or "",
                  consent_override_reason=data.get("consent_override_reason") or "")
    return gettext("Case reassigned.")


def _note(at: Here, case: Case, form: Any) -> str:
    s.note_add(actor=at.member, case=case, subject=form.cleaned_data["subject"],
               text=form.cleaned_data["text"])
    return gettext("Note added.")


def _flag(at: Here, case: Case, form: Any) -> str:
    s.case_flag(actor=at.member, case=case, reason=form.cleaned_data["reason"])
    return gettext("Case flagged.")


def _unflag(at: Here, case: Case, form: Any) -> str:
    s.case_unflag(actor=at.member, case=case)
    return gettext("Flag removed.")


DIALOG_HANDLERS: dict[str, Handler] = {
    "consent": _consent, "assessment-request": _assessment_request,
    "approval-request": _approval_request, "service-add": _service_add, "refer": _refer,
    "followup": _followup, "reopen": _reopen, "transfer": _transfer, "assign": _assign,
    "note": _note, "flag": _flag, "unflag": _unflag,
}

#: Actions with a page of their own: the SOP step whose forms they save, and the service.
PAGE_HANDLERS: dict[str, tuple[str, Callable[..., Case]]] = {
    "register": ("registration", s.case_register),
    "assessment-complete": ("assessment", s.assessment_complete),
    "case-plan": ("case_plan", s.case_plan_save),
    "close": ("closure", s.case_close),
}


def _to_case(space: str, case: Case) -> HttpResponse:
    return redirect("cases:detail", space=space, display_id=case.display_id)


@login_required
def case_action(request: HttpRequest, space: str, display_id: str, action: str) -> HttpResponse:
    if action not in CASE_ACTIONS:
        raise Http404("No such action.")
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    if action in PAGE_ACTIONS:
        return _page_action(request, at, case, action)
    if request.method != "POST":
        return render_case_page(request, at, case, open_action=action)
    members = list(at.space.members.order_by("name", "pk"))
    form: forms.Form = make_action_form(at, case, action, members=members, approval_kinds=[],
                                        data=request.POST) or BootstrapForm(request.POST)
    if not form.is_valid():
        return render_case_page(request, at, case, bound={action: form}, open_action=action,
                                status=400)
    try:
        message = DIALOG_HANDLERS[action](at, case, form)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        case.refresh_from_db()
        if not form.fields:
            # A button without fields: the message goes on top of the page.
            messages.error(request, str(exc.message))
            return render_case_page(request, at, case, status=exc.status)
        form.apply_error(exc)  # type: ignore[attr-defined]
        return render_case_page(request, at, case, bound={action: form}, open_action=action,
                                status=exc.status)
    messages.success(request, message)
    return _to_case(space, case)


def _page_action(request: HttpRequest, at: Here, case: Case, action: str) -> HttpResponse:
    """Register an identified child, complete the assessment, save the case plan, close."""
    step, service = PAGE_HANDLERS[action]
    sections = [sec for sec in at.module.sections if sec.step == step]
    records = case_records(at, case)
    panel = case_panel(at, case, approvals=records.approvals, services=records.services,
                       referrals=records.referrals, transfers=records.transfers)
    status = 200
    if request.method == "POST":
        form = ConfigForm(request.POST, sections=sections, config=at.config, context=case.data,
                          members=form_members(at.space, sections), uploads=False)
        status = 400
        if form.is_valid():
            kwargs: dict[str, Any] = {"actor": at.member, "data": form.service_data(), "case": case}
            try:
                service(**kwargs)
            except NotFound as exc:
                raise Http404(str(exc.message)) from exc
            except SandboxError as exc:
                form.apply_error(exc)
                status = exc.status
            else:
                messages.success(request, _PAGE_SUCCESS[action]())
                return _to_case(at.space.slug, case)
    else:
        form = ConfigForm(sections=sections, config=at.config, context=case.data,
                          initial=dict(case.data), members=form_members(at.space, sections),
                          uploads=False)
    blocked = panel.close_blocked if action == "close" else ""
    if action not in panel.allowed and not blocked:
        blocked = gettext("This action is not available on this case now.")
    titles = {"register": gettext("Register %(person)s") % {"person": at.person.the},
              "assessment-complete": gettext("Complete the assessment"),
              "case-plan": gettext("Case plan"), "close": gettext("Close the case")}
    return page(request, at, "cases/action_page.html", {
        "case": case, "summary": case_summary(at, case), "form": form, "title": titles[action],
        "blocked": blocked, "action_url": request.path, "form_id": f"{action}-form",
        "submit_label": titles[action], "action": action,
        "back_url": _case_url(at, case),
    }, status=status, nav="cases")


_PAGE_SUCCESS: dict[str, Callable[[], str]] = {
    "register": lambda: gettext("Case registered."),
    "assessment-complete": lambda: gettext("Assessment completed. Request its approval next."),
    "case-plan": lambda: gettext("Case plan saved. Request its approval next."),
    "close": lambda: gettext("Case closed."),
}


def _case_url(at: Here, case: Case) -> str:
    return reverse("cases:detail", kwargs={"space": at.space.slug, "display_id": case.display_id})


@login_required
@require_POST
def service_implement(request: HttpRequest, space: str, display_id: str, pk: int) -> HttpResponse:
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    service = record_get(viewer=at.member, case=case, model=Service, pk=pk)
    form = ImplementForm(request.POST)
    form.is_valid()
    try:
        s.service_implement(actor=at.member, service=service,
                            notes=form.cleaned_data.get("notes") or "")
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return render_case_page(request, at, case, status=exc.status)
    messages.success(request, gettext("Service marked as implemented."))
    return _to_case(space, case)


@login_required
@require_POST
def revoke(request: HttpRequest, space: str, display_id: str, pk: int, what: str) -> HttpResponse:
    """The sender (or their supervisor) revokes a pending referral or transfer, with a reason."""
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    record = referral_get(viewer=at.member, pk=pk) if what == "referral" \
        else transfer_sent_get(viewer=at.member, pk=pk)
    if record.case_id != case.pk:
        raise Http404("No such record on this case.")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if what == "referral":
            s.referral_revoke(actor=at.member, referral=record,
                              reason=form.cleaned_data.get("reason") or "")
        else:
            s.transfer_revoke(actor=at.member, transfer=record,
                              reason=form.cleaned_data.get("reason") or "")
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return render_case_page(request, at, case, status=exc.status)
    messages.success(request, gettext("Referral revoked: the recipient can no longer accept it.")
                     if what == "referral"
                     else gettext("Transfer revoked: the recipient can no longer accept it."))
    return _to_case(space, case)


@login_required
@require_POST
def referral_done(request: HttpRequest, space: str, display_id: str, pk: int) -> HttpResponse:
    """The case worker (or the recipient) marks an accepted referral done, from the case page."""
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    referral = referral_get(viewer=at.member, pk=pk)
    if referral.case_id != case.pk:
        raise Http404("No such referral on this case.")
    try:
        s.referral_done(actor=at.member, referral=referral,
                        comment=request.POST.get("comment", ""))
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        messages.error(request, str(exc.message))
        return render_case_page(request, at, case, status=exc.status)
    messages.success(request, gettext("Referral marked as done."))
    return _to_case(space, case)
