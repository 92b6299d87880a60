"""Reading spaces: a user's spaces and their membership in one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from sandbox.accounts.models import User

from .models import Member, Space


def spaces_of(user: User) -> QuerySet[Space]:
    return Space.objects.filter(members__user=user).distinct().order_by("title")


def membership(user: User, slug: str) -> Member:
    """The user's member in the space `slug`; 404 for a space they are not in,
    so that another trainee's space is indistinguishable from no space at all."""
    member = (Member.objects.select_related("space", "space__bundle")
              .filter(space__slug=slug, user=user).first())
    if member is None:
        raise Http404("No such space.")
    return member
