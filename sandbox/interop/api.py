"""API of the exchange: the space's outbox (list, retry now) and its partner systems.

The rules of the pages: a space the user is not in answers 404, a role that does not
refer cases answers 403, the outbox lists the messages about cases the member sees,
and a partner's shared secret is never shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sandbox.cases.api.base import SLUG, SpaceView
from sandbox.common.errors import NotAllowed, NotFound
from sandbox.configuration.api.shared import errors

from . import outbox
from .models import OutboxMessage, Partner
from .selectors import outbox_get, outbox_list, partner_list

PK = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The message's ID.")


class OutboxMessageSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.code", read_only=True)
    case = serializers.CharField(source="case.display_id", read_only=True, allow_null=True, default=None)

    class Meta:
        model = OutboxMessage
        fields = ["id", "partner", "kind", "case", "referral", "idempotency_key", "status", "tries",
                  "next_try_at", "last_error", "created_at", "sent_at", "body", "answer"]
        # Read, never written here: no limit taken from the database's integer ranges (which
        # differ between SQLite and PostgreSQL, and would make two schemas).
        extra_kwargs = {"tries": {"read_only": True}}


class PartnerSerializer(serializers.ModelSerializer):
    endpoint = serializers.CharField(read_only=True)

    class Meta:
        model = Partner
        fields = ["code", "name", "agency", "endpoint", "simulated"]


class InteropView(SpaceView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        role = self.member.space.config.roles.get(self.member.role)
        if role is None or not role.can("referral.create"):
            raise NotAllowed(_("The outbox is for roles that refer cases."), code="forbidden_by_role")


class OutboxView(InteropView):
    serializer_class = OutboxMessageSerializer

    @extend_schema(operation_id="interop_outbox", tags=["interop"], summary="The outbox", parameters=[SLUG],
                   responses={200: OutboxMessageSerializer(many=True), **errors(401, 403, 404)},
                   description="The space's messages to partner systems about the cases you see, "
                               "newest first: status, tries, last error.")
    def get(self, request: Request, slug: str) -> Response:
        return self.answer(OutboxMessageSerializer, list(outbox_list(viewer=self.member)[:500]), many=True)


class OutboxRetryView(InteropView):
    serializer_class = OutboxMessageSerializer

    @extend_schema(operation_id="interop_outbox_retry", tags=["interop"], summary="Retry a message now",
                   parameters=[SLUG, PK],
                   request=None, responses={200: OutboxMessageSerializer, **errors(400, 401, 403, 404)},
                   description="Try a message again now (pending or given up).")
    def post(self, request: Request, slug: str, pk: int) -> Response:
        message = outbox_get(viewer=self.member, pk=pk)
        if message is None:
            raise NotFound(_("No such message in this space."))
        return self.answer(OutboxMessageSerializer, outbox.retry_now(space_id=message.space_id, pk=pk))


class PartnersView(InteropView):
    serializer_class = PartnerSerializer

    @extend_schema(operation_id="interop_partners", tags=["interop"], summary="Partner systems",
                   parameters=[SLUG],
                   responses={200: PartnerSerializer(many=True), **errors(401, 403, 404)},
                   description="The partner systems of the space (their secrets are not shown).")
    def get(self, request: Request, slug: str) -> Response:
        return self.answer(PartnerSerializer, list(partner_list(viewer=self.member)), many=True)
