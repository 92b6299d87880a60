"""Reading family tracing: every query is scoped to one space and one viewer, with the scope
of the viewer's role (own, group, agency or all), as cases are."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from sandbox.cases.permissions import role_of
from sandbox.spaces.models import Member

from .models import TracingMatch, TracingRequest


def visible_requests(viewer: Member) -> QuerySet[TracingRequest]:
    """The tracing requests of the viewer's space that their role's scope lets them see;
    none without `tracing_request.view`."""
    role = role_of(viewer, viewer.space.config)
    requests = TracingRequest.objects.filter(space_id=viewer.space_id)
    if not role.can("tracing_request.view"):
        return requests.none()
    if role.scope == "all":
        return requests
    if role.scope == "agency":
        scope = Q(agency=viewer.agency) if viewer.agency else Q(pk__in=[])
    elif role.scope == "group":
        scope = Q(pk__in=[])
        for group in viewer.user_groups:
            scope |= Q(user_groups__contains=group) if connection.vendor == "postgresql" else Q(
                user_groups__icontains=f'"{group}"')
    else:
        scope = Q(pk__in=[])
    return requests.filter(Q(owner=viewer) | scope)


def request_list(*, viewer: Member, status: str = "") -> QuerySet[TracingRequest]:
    requests = visible_requests(viewer).select_related("owner")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-updated_at", "-pk")


def request_get(*, viewer: Member, display_id: str) -> TracingRequest:
    """One tracing request the viewer may see, or 404 (never another space's)."""
    request = visible_requests(viewer).select_related("owner").filter(display_id=display_id).first()
    if request is None:
        raise Http404("No such tracing request.")
    return request


def matches_of(*, viewer: Member, request: TracingRequest) -> QuerySet[TracingMatch]:
    """The matches of a tracing request the viewer may see (checked by `request_get`)."""
    return TracingMatch.objects.filter(space_id=viewer.space_id, tracing_request=request) \
        .select_related("case", "decided_by").order_by("-score", "pk")


def match_get(*, viewer: Member, request: TracingRequest, pk: int) -> TracingMatch:
    match = matches_of(viewer=viewer, request=request).filter(pk=pk).first()
    if match is None:
        raise Http404("No such match.")
    match.tracing_request = request
    return match
