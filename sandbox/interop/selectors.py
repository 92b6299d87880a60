"""Reads of the exchange, scoped to the viewer's space and the cases they may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sandbox.cases.selectors import visible_cases
from sandbox.spaces.models import Member

from .models import OutboxMessage, Partner


def outbox_list(*, viewer: Member) -> QuerySet[OutboxMessage]:
    """The space's outgoing messages about cases the viewer sees, newest first."""
    return (OutboxMessage.objects.filter(space_id=viewer.space_id)
            .filter(Q(case__in=visible_cases(viewer)) | Q(case__isnull=True))
            .select_related("partner", "case").order_by("-created_at", "-pk"))


def outbox_get(*, viewer: Member, pk: int) -> OutboxMessage | None:
    return outbox_list(viewer=viewer).filter(pk=pk).first()


def partner_list(*, viewer: Member) -> QuerySet[Partner]:
    return Partner.objects.filter(space_id=viewer.space_id).order_by("name", "pk")
