"""Pages and endpoints of the exchange: the outbox page, the space's inbound endpoint and
the simulated partner's endpoint (both signed, without a login)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from sandbox.cases.views.base import Here, here, page
from sandbox.spaces.models import Space

from . import inbound, outbox, partner, signing
from .inbound import Outcome
from .models import OutboxStatus
from .selectors import outbox_get, outbox_list, partner_list


def may_see_outbox(at: Here) -> bool:
    return at.role.can("referral.create")


def _outbox_here(request: HttpRequest, space: str) -> Here:
    at = here(request, space)
    if not may_see_outbox(at):
        raise PermissionDenied(_("The outbox is for roles that refer cases."))
    return at


@login_required
@require_safe
def outbox_page(request: HttpRequest, space: str) -> HttpResponse:
    at = _outbox_here(request, space)
    rows = list(outbox_list(viewer=at.member)[:200])
    return page(request, at, "interop/outbox.html", {
        "rows": rows, "partners": list(partner_list(viewer=at.member)), "statuses": OutboxStatus,
    }, nav="outbox")


@login_required
@require_POST
def outbox_retry(request: HttpRequest, space: str, pk: int) -> HttpResponse:
    at = _outbox_here(request, space)
    message = outbox_get(viewer=at.member, pk=pk)
    if message is None:
        raise Http404(_("No such message in this space."))
    if message.status == OutboxStatus.SENT:
        flash.info(request, _("This message was already delivered."))
    else:
        sent = outbox.retry_now(space_id=at.space.pk, pk=message.pk)
        if sent.status == OutboxStatus.SENT:
            flash.success(request, _("The message was delivered."))
        else:
            flash.warning(request, _("The message could not be delivered: %(error)s")
                          % {"error": sent.last_error})
    return redirect("interop:outbox", space=at.space.slug)


def _answer(outcome: Outcome, headers: dict[str, str] | None = None) -> JsonResponse:
    response = JsonResponse(outcome.body, status=outcome.status,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _space(slug: str) -> Space | None:
    return Space.objects.select_related("bundle").filter(slug=slug).first()


def _no_partner() -> JsonResponse:
    # A space that does not exist answers like one without this partner: the endpoint
    # does not tell strangers which spaces exist.
    return _answer(inbound.error(401, "unknown_partner", str(inbound.SIGNATURE_ERRORS["unknown_partner"])))


@csrf_exempt
@require_POST
def inbound_endpoint(request: HttpRequest, space: str) -> HttpResponse:
    """Messages from partners to the space: signed, no login (see docs/reference/interop.md)."""
    found = _space(space)
    if found is None:
        return _no_partner()
    outcome = inbound.receive(
        space=found, partner_code=request.headers.get(signing.HEADER_PARTNER, ""),
        body=request.body, timestamp=request.headers.get(signing.HEADER_TIMESTAMP),
        signature=request.headers.get(signing.HEADER_SIGNATURE),
        key=request.headers.get(signing.HEADER_KEY))
    return _answer(outcome)


@csrf_exempt
@require_POST
def partner_endpoint(request: HttpRequest, space: str, code: str) -> HttpResponse:
    """The simulated partner system's endpoint (an NGO's tool), served by the sandbox."""
    found = _space(space)
    if found is None:
        return _no_partner()
    outcome, headers = partner.receive(
        space=found, partner_code=code, body=request.body,
        timestamp=request.headers.get(signing.HEADER_TIMESTAMP),
        signature=request.headers.get(signing.HEADER_SIGNATURE),
        key=request.headers.get(signing.HEADER_KEY))
    return _answer(outcome, headers)
