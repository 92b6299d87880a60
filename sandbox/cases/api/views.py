"""Reading views of the case API, and the writes that are not a case action:
registration, the duplicate search and editing a form section."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.configuration.api.shared import (
    AUTHENTICATION_CLASSES,
    GONE_BY_RESET,
    RENDERER_CLASSES,
    errors,
)

from .. import services
from ..models import CaseView, Stage, Status
from ..selectors import (
    CaseFilters,
    approvals_waiting,
    case_events,
    case_get,
    case_list,
    referrals_received,
    tasks_for,
    transfer_requests_sent,
    transfer_requests_to_answer,
    transfers_received,
)
from ..services._core import space_was_reset
from . import bodies as rq
from . import serializers as s
from .base import DISPLAY_ID, SLUG, SpaceView, body_reference
from .lookups import members_of, spaces_with_member

READ_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404)


def _flag(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, description=description)


CASE_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words of the child's names, or a case ID."),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values),
    OpenApiParameter("risk_level", OpenApiTypes.STR, description="An option of the risk level lookup."),
    OpenApiParameter("location", OpenApiTypes.STR,
                     description="A location code; cases in places under it match too."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    _flag("overdue", "Only cases with an open task past due on the simulated clock."),
    _flag("flagged", "Only flagged cases."),
    _flag("mine", "Only the cases you own."),
]


class SpaceListView(GenericAPIView):
    """The spaces you are a member of. Every other URL of the case API starts with one
    of their slugs; a space you are not in answers 404."""

    authentication_classes = AUTHENTICATION_CLASSES
    renderer_classes = RENDERER_CLASSES

    @extend_schema(operation_id="spaces_list", tags=["spaces"],
                   summary="Your spaces, each with your member (role, agency) in it.",
                   responses={200: s.SpaceSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        rows = self.paginate_queryset(spaces_with_member(request.user))
        return self.get_paginated_response(s.SpaceSerializer(rows, many=True).data)


class MemberListView(SpaceView):
    """Members are the people of the space's world, trainees and simulated actors; their
    `id` is what `to_member` takes in referrals, transfers and assignments."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="members_list", tags=["spaces"], parameters=[SLUG],
                   summary="Everyone in the space's world: whom to refer, transfer or assign to.",
                   responses={200: s.MemberSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return self.page(s.MemberSerializer, members_of(self.member))


class CaseListView(SpaceView):
    """The cases of the space within your role's scope (own, group, agency or all), and the
    cases referred or being transferred to you. Registering writes the case.register event."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="cases_list", tags=["cases"], parameters=[SLUG, *CASE_FILTERS],
                   summary="The cases you may see, most recently changed first, with filters.",
                   responses={200: s.CaseListItemSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        self.may_view()
        cases = case_list(viewer=self.member, filters=CaseFilters.from_params(request.query_params))
        return self.page(s.CaseListItemSerializer, cases)

    @extend_schema(operation_id="cases_register", tags=["cases"], parameters=[SLUG],
                   summary="Register a child (action case.register): a new case, or one identified "
                           "earlier.",
                   request=rq.CaseRegisterSerializer,
                   responses={201: s.CaseDetailSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        body = self.body(rq.CaseRegisterSerializer)
        identified = body_reference(case_get, "case", viewer=self.member,
                                    display_id=body["case"]) if body["case"] else None
        case = services.case_register(actor=self.member, data=body["data"], case=identified)
        return self.answer(s.CaseDetailSerializer, case, status=201)


class CaseIdentifyView(SpaceView):
    """A child reported by a hotline, a volunteer or a partner is recorded first, with
    what is known; registering the case later (POST cases/ with "case") completes it."""

    @extend_schema(operation_id="cases_identify", tags=["cases"], parameters=[SLUG],
                   summary="Record a child who was identified or reported (action case.identify).",
                   request=rq.CaseIdentifySerializer,
                   responses={201: s.CaseDetailSerializer, **WRITE_ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        body = self.body(rq.CaseIdentifySerializer)
        case = services.case_identify(actor=self.member, data=body["data"], summary=body["summary"])
        return self.answer(s.CaseDetailSerializer, case, status=201)


class CaseSearchView(SpaceView):
    """Search before you register: duplicates are a real problem. The search looks at every
    case of the space, whoever owns it, and is recorded as a case.search event."""

    @extend_schema(operation_id="cases_search", tags=["cases"], parameters=[SLUG],
                   summary="The duplicate check before registering (action case.search): every case "
                           "of the space by names, case ID, age and place; at most 50.",
                   request=rq.CaseSearchSerializer,
                   responses={200: s.CaseSummarySerializer(many=True), **WRITE_ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        body = self.body(rq.CaseSearchSerializer)
        found = services.case_search(actor=self.member, query=body["query"], age=body["age"],
                                     location=body["location"])
        return self.answer(s.CaseSummarySerializer, found, many=True)


class CaseDetailView(SpaceView):
    """A case within your scope; any other case answers 404, as if it did not exist."""

    @extend_schema(operation_id="cases_retrieve", tags=["cases"], parameters=[SLUG, DISPLAY_ID],
                   summary="A case: core columns, the form data your role may read, its records.",
                   responses={200: s.CaseDetailSerializer, **READ_ERRORS, **GONE_BY_RESET})
    def get(self, request: Request, slug: str, display_id: str) -> Response:
        case = self.case(display_id)
        self.may_view(case)
        if not CaseView.record(self.member, case, via=CaseView.Via.API):
            raise space_was_reset()  # a reset removed the case after it was read: 409
        return self.answer(s.CaseDetailSerializer, case)


SECTION = OpenApiParameter("section", OpenApiTypes.STR, OpenApiParameter.PATH,
                           description="A form section code (see the configuration's forms).")


class CaseSectionView(SpaceView):
    """Editing one form section, validated against the configuration: types, lookup
    options, required fields and skip logic (hidden fields are cleared)."""

    def _save(self, display_id: str, section: str, *, partial: bool) -> Response:
        case = self.case(display_id)
        body = self.body(rq.SectionUpdateSerializer, partial=partial)
        case = services.case_update(actor=self.member, case=case, section=section,
                                    data=body.get("data", {}), partial=partial)
        return self.answer(s.CaseDetailSerializer, case)

    @extend_schema(operation_id="cases_section_replace", tags=["cases"],
                   parameters=[SLUG, DISPLAY_ID, SECTION],
                   summary="Save a whole form section (action case.update): fields left out are "
                           "cleared.",
                   request=rq.SectionUpdateSerializer,
                   responses={200: s.CaseDetailSerializer, **WRITE_ERRORS})
    def put(self, request: Request, slug: str, display_id: str, section: str) -> Response:
        return self._save(display_id, section, partial=False)

    @extend_schema(operation_id="cases_section_update", tags=["cases"],
                   parameters=[SLUG, DISPLAY_ID, SECTION],
                   summary="Change some fields of a form section (action case.update).",
                   request=rq.SectionUpdateSerializer,
                   responses={200: s.CaseDetailSerializer, **WRITE_ERRORS})
    def patch(self, request: Request, slug: str, display_id: str, section: str) -> Response:
        return self._save(display_id, section, partial=True)


class CaseEventsView(SpaceView):
    """The event log of one case: who did what, when on the simulated clock and in the
    real world, and which fields changed."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="cases_events", tags=["cases"], parameters=[SLUG, DISPLAY_ID],
                   summary="The case's history: every action on it, in order.",
                   responses={200: s.EventSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, slug: str, display_id: str) -> Response:
        case = self.case(display_id)
        self.may_view(case)
        return self.page(s.EventSerializer, case_events(viewer=self.member, case=case))


class TaskListView(SpaceView):
    """Deadlines come from the SOP policy, per risk level; a task is upcoming within the
    policy's window (7 days by default) and overdue after its due time."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="tasks_list", tags=["work"], parameters=[SLUG],
                   summary="Open tasks of your cases, most urgent first, with their state on the "
                           "simulated clock.",
                   responses={200: s.TaskSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return self.page(s.TaskSerializer, tasks_for(viewer=self.member))


class ApprovalListView(SpaceView):
    """Decide them with POST approvals/<id>/decide/."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="approvals_list", tags=["work"], parameters=[SLUG],
                   summary="Approvals waiting for your decision (empty if your role does not decide).",
                   responses={200: s.ApprovalSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return self.page(s.ApprovalSerializer, approvals_waiting(viewer=self.member)
                         .select_related("decided_by"))


class ReferralListView(SpaceView):
    """Answer them with POST referrals/<id>/accept/ or reject/, and later done/."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="referrals_list", tags=["work"], parameters=[SLUG],
                   summary="Referrals sent to you (or to your agency, if your role receives them).",
                   responses={200: s.ReferralSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return self.page(s.ReferralSerializer, referrals_received(viewer=self.member)
                         .select_related("to_member"))


class TransferRequestListView(SpaceView):
    """Answer them with POST transfer-requests/<id>/accept/ or decline/."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="transfer_requests_list", tags=["work"], parameters=[SLUG,
                   OpenApiParameter("sent", OpenApiTypes.BOOL, description="true: the requests "
                                    "you made, with their answers")],
                   summary="Requests to hand over cases you may answer (or, with sent=true, yours).",
                   responses={200: s.TransferRequestSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        sent = request.query_params.get("sent", "").lower() in ("1", "true", "yes")
        rows = transfer_requests_sent(viewer=self.member) if sent \
            else transfer_requests_to_answer(viewer=self.member)
        return self.page(s.TransferRequestSerializer, rows.select_related("answered_by"))


class TransferListView(SpaceView):
    """Answer them with POST transfers/<id>/accept/ or reject/."""

    pagination_class = GenericAPIView.pagination_class

    @extend_schema(operation_id="transfers_list", tags=["work"], parameters=[SLUG],
                   summary="Transfers of cases to you, waiting for your answer.",
                   responses={200: s.TransferSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return self.page(s.TransferSerializer, transfers_received(viewer=self.member)
                         .select_related("to_member").order_by("created_at", "pk"))
