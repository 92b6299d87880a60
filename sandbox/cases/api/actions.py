"""One endpoint per action of the case system, named by the action's contract name:

    POST /api/v1/spaces/<slug>/cases/<display_id>/actions/<action>/
    POST /api/v1/spaces/<slug>/<records>/<id>/<verb>/   (approvals, referrals, services, transfers)

Each endpoint is a row of a table below: its request body, the service it calls
and what it answers. `case_action_views()` and `record_action_views()` make one
view class per row, so the OpenAPI schema documents each body on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.common.actions import ACTIONS
from sandbox.configuration.api.shared import errors
from sandbox.spaces.models import Member

from .. import services as sv
from ..models import Case, Service
from ..selectors import (
    approval_get,
    case_to_request,
    record_get,
    referral_get,
    transfer_request_get,
    transfer_sent_get,
)
from . import bodies as rq
from . import serializers as s
from .base import DISPLAY_ID, SLUG, SpaceView, body_field_names, body_reference
from .lookups import service_get, transfer_get

SUMMARIES = {action.name: action.summary for action in ACTIONS}
Body = dict[str, Any]


@dataclass(frozen=True)
class CaseAction:
    name: str
    run: Callable[[Member, Case, Body], Any]
    request: type[serializers.Serializer] | None
    response: type[serializers.Serializer] = s.CaseDetailSerializer
    created: bool = False
    #: Service error field -> request body field, where they differ.
    field_names: dict[str, str] = field(default_factory=dict)
    #: The case is found in the whole space, not the actor's scope (a transfer request).
    any_case: bool = False


def _referral_create(member: Member, case: Case, body: Body) -> Any:
    service = body_reference(record_get, "service", viewer=member, case=case, model=Service,
                             pk=body["service"]) if body["service"] else None
    return sv.referral_create(
        actor=member, case=case, service_type=body["service_type"], reason=body["reason"],
        to_member=body["to_member"], to_agency=body["to_agency"], urgency=body["urgency"],
        notes=body["notes"], service=service, consent_override_reason=body["consent_override_reason"],
        disclosed=body["disclosed"])


CASE_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction("consent.record", lambda m, c, b: sv.consent_record(actor=m, case=c, **b),
               rq.ConsentRecordSerializer),
    CaseAction("assessment.request", lambda m, c, b: sv.assessment_request(actor=m, case=c, **b),
               rq.AssessmentRequestSerializer),
    CaseAction("assessment.complete",
               lambda m, c, b: sv.assessment_complete(actor=m, case=c, data=b["data"]),
               rq.AssessmentCompleteSerializer),
    CaseAction("case_plan.save", lambda m, c, b: sv.case_plan_save(actor=m, case=c, data=b["data"]),
               rq.CasePlanSaveSerializer),
    CaseAction("approval.request", lambda m, c, b: sv.approval_request(actor=m, case=c, **b),
               rq.ApprovalRequestSerializer, s.ApprovalSerializer, created=True),
    CaseAction("service.add", lambda m, c, b: sv.service_add(actor=m, case=c, **b),
               rq.ServiceAddSerializer, s.ServiceSerializer, created=True),
    CaseAction("referral.create", _referral_create, rq.ReferralCreateSerializer,
               s.ReferralSerializer, created=True, field_names={"recipient": "to_member"}),
    CaseAction("followup.record", lambda m, c, b: sv.followup_record(actor=m, case=c, **b),
               rq.FollowupRecordSerializer, s.FollowUpSerializer, created=True),
    CaseAction("case.close", lambda m, c, b: sv.case_close(actor=m, case=c, data=b["data"]),
               rq.CaseCloseSerializer),
    CaseAction("case.reopen", lambda m, c, b: sv.case_reopen(actor=m, case=c, **b),
               rq.CaseReopenSerializer),
    CaseAction("transfer.create", lambda m, c, b: sv.transfer_create(actor=m, case=c, **b),
               rq.TransferCreateSerializer, s.TransferSerializer, created=True,
               field_names={"recipient": "to_member"}),
    CaseAction("case.assign", lambda m, c, b: sv.case_assign(actor=m, case=c, **b),
               rq.CaseAssignSerializer, field_names={"assignee": "to_member"}),
    CaseAction("transfer.request", lambda m, c, b: sv.transfer_request_create(actor=m, case=c, **b),
               rq.TransferRequestCreateSerializer, s.TransferRequestSerializer, created=True,
               any_case=True),
    CaseAction("note.add", lambda m, c, b: sv.note_add(actor=m, case=c, **b),
               rq.NoteAddSerializer, s.NoteSerializer, created=True),
    CaseAction("case.flag", lambda m, c, b: sv.case_flag(actor=m, case=c, **b),
               rq.CaseFlagSerializer, s.FlagSerializer, created=True),
    CaseAction("case.unflag", lambda m, c, b: sv.case_unflag(actor=m, case=c), None),
)


@dataclass(frozen=True)
class RecordAction:
    name: str
    records: str  # the URL segment: approvals, referrals...
    get: Callable[..., models.Model]  # a selector: (viewer=, pk=) -> record, or Http404
    run: Callable[[Member, Any, Body], Any]
    request: type[serializers.Serializer]
    response: type[serializers.Serializer]

    @property
    def verb(self) -> str:
        return self.name.split(".", 1)[1]


RECORD_ACTIONS: tuple[RecordAction, ...] = (
    RecordAction("approval.decide", "approvals", approval_get,
                 lambda m, r, b: sv.approval_decide(actor=m, approval=r, **b),
                 rq.ApprovalDecideSerializer, s.ApprovalSerializer),
    RecordAction("referral.accept", "referrals", referral_get,
                 lambda m, r, b: sv.referral_accept(actor=m, referral=r, **b),
                 rq.ReferralAcceptSerializer, s.ReferralSerializer),
    RecordAction("referral.reject", "referrals", referral_get,
                 lambda m, r, b: sv.referral_reject(actor=m, referral=r, **b),
                 rq.ReferralRejectSerializer, s.ReferralSerializer),
    RecordAction("referral.done", "referrals", referral_get,
                 lambda m, r, b: sv.referral_done(actor=m, referral=r, **b),
                 rq.ReferralDoneSerializer, s.ReferralSerializer),
    RecordAction("service.implement", "services", service_get,
                 lambda m, r, b: sv.service_implement(actor=m, service=r, **b),
                 rq.ServiceImplementSerializer, s.ServiceSerializer),
    RecordAction("transfer.accept", "transfers", transfer_get,
                 lambda m, r, b: sv.transfer_accept(actor=m, transfer=r, **b),
                 rq.TransferAcceptSerializer, s.TransferSerializer),
    RecordAction("transfer.reject", "transfers", transfer_get,
                 lambda m, r, b: sv.transfer_reject(actor=m, transfer=r, **b),
                 rq.TransferRejectSerializer, s.TransferSerializer),
    RecordAction("transfer.revoke", "transfers", transfer_sent_get,
                 lambda m, r, b: sv.transfer_revoke(actor=m, transfer=r, **b),
                 rq.RevokeSerializer, s.TransferSerializer),
    RecordAction("referral.revoke", "referrals", referral_get,
                 lambda m, r, b: sv.referral_revoke(actor=m, referral=r, **b),
                 rq.RevokeSerializer, s.ReferralSerializer),
    RecordAction("transfer_request.accept", "transfer-requests", transfer_request_get,
                 lambda m, r, b: sv.transfer_request_accept(actor=m, transfer_request=r, **b),
                 rq.TransferRequestAcceptSerializer, s.TransferRequestSerializer),
    RecordAction("transfer_request.decline", "transfer-requests", transfer_request_get,
                 lambda m, r, b: sv.transfer_request_decline(actor=m, transfer_request=r, **b),
                 rq.TransferRequestDeclineSerializer, s.TransferRequestSerializer),
)


def _class_name(action: str) -> str:
    return "".join(part.title() for part in re.split(r"[._]", action)) + "View"


def _operation_id(action: str) -> str:
    return action.replace(".", "_")


PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


def case_action_view(spec: CaseAction) -> type[SpaceView]:
    status = 201 if spec.created else 200

    @extend_schema(operation_id=_operation_id(spec.name), tags=["case actions"],
                   summary=SUMMARIES[spec.name],
                   description=f"Action `{spec.name}`. Answers the "
                               + ("record created." if spec.created else "case, as it is now."),
                   parameters=[SLUG, DISPLAY_ID], request=spec.request,
                   responses={status: spec.response, **errors(400, 401, 403, 404)})
    def post(self: SpaceView, request: Request, slug: str, display_id: str) -> Response:
        case = case_to_request(viewer=self.member, display_id=display_id) if spec.any_case \
            else self.case(display_id)
        body = self.body(spec.request) if spec.request else {}
        with body_field_names(spec.field_names):
            result = spec.run(self.member, case, body)
        return self.answer(spec.response, result, status=status)

    return type(_class_name(spec.name), (SpaceView,),
                {"post": post, "__doc__": SUMMARIES[spec.name], "__module__": __name__})


def record_action_view(spec: RecordAction) -> type[SpaceView]:
    @extend_schema(operation_id=_operation_id(spec.name), tags=["record actions"],
                   summary=SUMMARIES[spec.name], description=f"Action `{spec.name}`.",
                   parameters=[SLUG, PK], request=spec.request,
                   responses={200: spec.response, **errors(400, 401, 403, 404)})
    def post(self: SpaceView, request: Request, slug: str, id: int) -> Response:
        record = spec.get(viewer=self.member, pk=id)
        body = self.body(spec.request)
        return self.answer(spec.response, spec.run(self.member, record, body))

    return type(_class_name(spec.name), (SpaceView,),
                {"post": post, "__doc__": SUMMARIES[spec.name], "__module__": __name__})
