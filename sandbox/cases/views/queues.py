"""The supervisor's approval queue and the referral inbox (with transfers received, and
requests to hand a case over: those to answer, and one's own)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sandbox.common.errors import NotFound, SandboxError

from .. import services as s
from ..models import ApprovalStatus
from ..selectors import (
    approval_get,
    approvals_waiting,
    case_to_request,
    referral_get,
    referrals_received,
    transfer_request_get,
    transfer_requests_sent,
    transfer_requests_to_answer,
    transfers_received,
)
from . import display as d
from .action_forms import AnswerForm, CommentForm, TransferRequestForm
from .base import Here, here, page

REFERRAL_ANSWERS = ("accept", "reject", "done")
TRANSFER_ANSWERS = ("accept", "reject")
REQUEST_ANSWERS = ("accept", "decline")


def _approvals_page(request: HttpRequest, at: Here, *, bound: dict[int, forms.Form] | None = None,
                    status: int = 200) -> HttpResponse:
    can_decide = at.role.can("approval.decide")
    waiting = list(approvals_waiting(viewer=at.member)) if can_decide else []
    rows = [{"approval": a, "form": (bound or {}).get(a.pk) or CommentForm(auto_id=f"a{a.pk}_%s"),
             "own": a.case.owner_id == at.member.pk and not at.role.can("approval.decide_own")}
            # The queue holds only the kinds this role may decide (selectors.approvals_waiting).
            for a in waiting]
    return page(request, at, "cases/approvals.html", {"rows": rows, "can_decide": can_decide},
                status=status, nav="approvals")


@login_required
def approvals(request: HttpRequest, space: str) -> HttpResponse:
    return _approvals_page(request, here(request, space))


@login_required
@require_POST
def approval_decide(request: HttpRequest, space: str, pk: int) -> HttpResponse:
    """Approve or reject (the comment is required to reject) a pending approval."""
    at = here(request, space)
    approval = approval_get(viewer=at.member, pk=pk)
    form = CommentForm(request.POST, auto_id=f"a{pk}_%s")
    form.is_valid()
    decision = request.POST.get("decision", "")
    try:
        if decision not in ("approve", "reject"):
            form.add_error(None, gettext("Choose to approve or to reject."))
            return _approvals_page(request, at, bound={pk: form}, status=400)
        s.approval_decide(actor=at.member, approval=approval, approve=decision == "approve",
                          comment=form.cleaned_data.get("comment") or "")
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        form.apply_error(exc)
        if approval.status != ApprovalStatus.PENDING or not at.role.can_decide(approval.kind):
            # Not in the queue this page shows: say it on top.
            messages.error(request, str(exc.message))
        return _approvals_page(request, at, bound={pk: form}, status=exc.status)
    if decision == "approve":
        messages.success(request, gettext("Approved: %(case)s.") % {"case": approval.case.display_id})
    else:
        messages.success(request, gettext("Rejected: %(case)s. The case worker will see your comment.")
                         % {"case": approval.case.display_id})
    return redirect("cases:approvals", space=space)


def _referrals_page(request: HttpRequest, at: Here, *, bound: dict[str, forms.Form] | None = None,
                    status: int = 200) -> HttpResponse:
    bound = bound or {}
    referrals = list(referrals_received(viewer=at.member))
    service_lookup = at.module.system_lookups.get("service_type")
    reason_lookup = at.module.system_lookups.get("referral_reason")
    rows: list[dict[str, Any]] = []
    for referral in referrals:
        key = f"referral-{referral.pk}"
        rows.append({
            "referral": referral, "form": bound.get(key) or CommentForm(auto_id=f"r{referral.pk}_%s"),
            "service": d.lookup_label(at.config, service_lookup, referral.service_type),
            "reason": d.lookup_label(at.config, reason_lookup, referral.reason),
            "urgency": d.lookup_label(at.config, "urgency", referral.urgency),
        })
    transfers = [{"transfer": t, "form": bound.get(f"transfer-{t.pk}")
                  or CommentForm(auto_id=f"t{t.pk}_%s")}
                 for t in transfers_received(viewer=at.member)]
    requests = [{"request": r, "form": bound.get(f"request-{r.pk}")
                 or AnswerForm(auto_id=f"q{r.pk}_%s")}
                for r in transfer_requests_to_answer(viewer=at.member)]
    can_ask = at.role.can("transfer.request")
    return page(request, at, "cases/referrals.html", {
        "rows": rows, "transfers": transfers, "requests": requests,
        "can": {a: at.role.can(f"referral.{a}") for a in REFERRAL_ANSWERS},
        "can_transfer": {a: at.role.can(f"transfer.{a}") for a in TRANSFER_ANSWERS},
        "can_request": {a: at.role.can(f"transfer_request.{a}") for a in REQUEST_ANSWERS},
        "can_ask": can_ask,
        "ask_form": bound.get("ask") or TransferRequestForm(auto_id="ask_%s"),
        "sent": list(transfer_requests_sent(viewer=at.member)[:50]) if can_ask else [],
    }, status=status, nav="referrals")


@login_required
def referrals(request: HttpRequest, space: str) -> HttpResponse:
    return _referrals_page(request, here(request, space))


@login_required
@require_POST
def referral_answer(request: HttpRequest, space: str, pk: int, answer: str) -> HttpResponse:
    if answer not in REFERRAL_ANSWERS:
        raise Http404("No such answer.")
    at = here(request, space)
    referral = referral_get(viewer=at.member, pk=pk)
    form = CommentForm(request.POST, auto_id=f"r{pk}_%s")
    form.is_valid()
    comment = form.cleaned_data.get("comment") or ""
    service = {"accept": s.referral_accept, "reject": s.referral_reject, "done": s.referral_done}
    try:
        service[answer](actor=at.member, referral=referral, comment=comment)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        form.apply_error(exc)
        messages.error(request, str(exc.message))
        return _referrals_page(request, at, bound={f"referral-{pk}": form}, status=exc.status)
    done = {"accept": gettext("Referral accepted: %(case)s."),
            "reject": gettext("Referral rejected: %(case)s."),
            "done": gettext("Referral marked as done: %(case)s.")}
    messages.success(request, done[answer] % {"case": referral.case.display_id})
    return redirect("cases:referrals", space=space)


@login_required
@require_POST
def transfer_answer(request: HttpRequest, space: str, pk: int, answer: str) -> HttpResponse:
    if answer not in TRANSFER_ANSWERS:
        raise Http404("No such answer.")
    at = here(request, space)
    transfer = transfers_received(viewer=at.member).filter(pk=pk).first()
    if transfer is None:
        raise Http404("No such transfer.")
    form = CommentForm(request.POST, auto_id=f"t{pk}_%s")
    form.is_valid()
    comment = form.cleaned_data.get("comment") or ""
    try:
        if answer == "accept":
            s.transfer_accept(actor=at.member, transfer=transfer, comment=comment)
        else:
            s.transfer_reject(actor=at.member, transfer=transfer, comment=comment)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        form.apply_error(exc)
        messages.error(request, str(exc.message))
        return _referrals_page(request, at, bound={f"transfer-{pk}": form}, status=exc.status)
    if answer == "accept":
        messages.success(request, gettext("Transfer accepted: the case %(case)s is now yours.")
                         % {"case": transfer.case.display_id})
        return redirect("cases:detail", space=space, display_id=transfer.case.display_id)
    messages.success(request, gettext("Transfer rejected: %(case)s.") % {"case": transfer.case.display_id})
    return redirect("cases:referrals", space=space)


@login_required
@require_POST
def transfer_request_create(request: HttpRequest, space: str) -> HttpResponse:
    """Ask the owner of a case, named by its case ID, to transfer it to oneself."""
    at = here(request, space)
    form = TransferRequestForm(request.POST, auto_id="ask_%s")
    if not form.is_valid():
        return _referrals_page(request, at, bound={"ask": form}, status=400)
    display_id = form.cleaned_data["case_id"].strip().upper()
    try:
        case = case_to_request(viewer=at.member, display_id=display_id)
    except Http404:
        form.add_error("case_id", gettext("No case has this ID in this space."))
        return _referrals_page(request, at, bound={"ask": form}, status=400)
    try:
        s.transfer_request_create(actor=at.member, case=case, reason=form.cleaned_data["reason"])
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        form.apply_error(exc)
        return _referrals_page(request, at, bound={"ask": form}, status=exc.status)
    messages.success(request, gettext("Transfer requested: %(case)s. Its owner will accept or decline.")
                     % {"case": case.display_id})
    return redirect("cases:referrals", space=space)


@login_required
@require_POST
def transfer_request_answer(request: HttpRequest, space: str, pk: int, answer: str) -> HttpResponse:
    """The owner (or their supervisor) hands the case over, or declines with a reason."""
    if answer not in REQUEST_ANSWERS:
        raise Http404("No such answer.")
    at = here(request, space)
    transfer_request = transfer_request_get(viewer=at.member, pk=pk)
    form = AnswerForm(request.POST, auto_id=f"q{pk}_%s")
    form.is_valid()
    comment = form.cleaned_data.get("comment") or ""
    try:
        if answer == "accept":
            s.transfer_request_accept(
                actor=at.member, transfer_request=transfer_request, comment=comment,
                consent_override_reason=form.cleaned_data.get("consent_override_reason") or "")
        else:
            s.transfer_request_decline(actor=at.member, transfer_request=transfer_request,
                                       comment=comment)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        form.apply_error(exc)
        messages.error(request, str(exc.message))
        return _referrals_page(request, at, bound={f"request-{pk}": form}, status=exc.status)
    case_id = transfer_request.case.display_id
    if answer == "accept":
        messages.success(request, gettext("Transfer request accepted: %(case)s now belongs to %(name)s.")
                         % {"case": case_id, "name": transfer_request.created_by.name
                            if transfer_request.created_by else ""})
    else:
        messages.success(request, gettext("Transfer request declined: %(case)s.") % {"case": case_id})
    return redirect("cases:referrals", space=space)
