"""Reads the API needs that `sandbox.cases.selectors` does not offer (yet).

Each one is scoped like the selectors: the viewer's space, and through
`visible_cases` the viewer's scope. Candidates to move into the selectors.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from sandbox.accounts.models import User
from sandbox.spaces.models import Member, Space
from sandbox.spaces.selectors import spaces_of

from ..models import Service, Transfer
from ..selectors import transfers_received, visible_cases


def spaces_with_member(user: User) -> QuerySet[Space]:
    """The user's spaces, each with `my_members`: [the user's member there]."""
    mine = Prefetch("members", queryset=Member.objects.filter(user=user), to_attr="my_members")
    return spaces_of(user).select_related("bundle").prefetch_related(mine)


def members_of(viewer: Member) -> QuerySet[Member]:
    """Everyone in the viewer's space: the people cases are referred, transferred or assigned to."""
    return Member.objects.filter(space_id=viewer.space_id).order_by("name", "pk")


def service_get(*, viewer: Member, pk: int) -> Service:
    service = (Service.objects.filter(space_id=viewer.space_id, pk=pk, case__in=visible_cases(viewer))
               .select_related("case", "created_by").first())
    if service is None:
        raise Http404("No such service.")
    return service


def transfer_get(*, viewer: Member, pk: int) -> Transfer:
    """A transfer waiting for the viewer's answer."""
    transfer = transfers_received(viewer=viewer).filter(pk=pk).first()
    if transfer is None:
        raise Http404("No such transfer.")
    return transfer
