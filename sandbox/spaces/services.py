"""Creating spaces and their members."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.accounts.models import User
from sandbox.common.errors import Conflict, ValidationFailed
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import get_config

from .models import Member, Space

DEFAULT_START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # a Monday morning


def space_create(*, slug: str, title: str, bundle: Bundle | str, module: str = "cp",
                 clock: dt.datetime | None = None) -> Space:
    return spaces_create(names=[(slug, title)], bundle=bundle, module=module, clock=clock)[0]


@transaction.atomic
def spaces_create(*, names: list[tuple[str, str]], bundle: Bundle | str, module: str = "cp",
                  clock: dt.datetime | None = None) -> list[Space]:
    """Spaces of one bundle and module, one per (slug, title) of `names`, in that order:
    the module and the slugs checked once for all, one INSERT."""
    if isinstance(bundle, str):
        bundle = Bundle.objects.get(code=bundle)
    if module not in get_config(bundle).modules:
        raise ValidationFailed(_("Unknown module '%(module)s'.") % {"module": module})
    slugs = [slug for slug, _title in names]
    twice = [slug for slug, count in Counter(slugs).items() if count > 1]
    taken = twice[0] if twice else \
        Space.objects.filter(slug__in=slugs).values_list("slug", flat=True).first()
    if taken is not None:
        raise ValidationFailed(_("A space named '%(slug)s' already exists.") % {"slug": taken})
    return Space.objects.bulk_create([
        Space(slug=slug, title=title, bundle=bundle, module=module, clock=clock or DEFAULT_START)
        for slug, title in names])


@transaction.atomic
def member_add(*, space: Space, role: str, name: str = "", user: User | None = None,
               agency: str = "", user_groups: list[str] | None = None, is_simulated: bool = False,
               ref: str = "") -> Member:
    """Add a real user or a simulated actor to a space, with an in-world role."""
    config = space.config
    if role not in config.roles:
        raise ValidationFailed(_("Unknown role '%(role)s'.") % {"role": role})
    groups = list(user_groups or [])
    for group in groups:
        if group not in config.user_groups:
            raise ValidationFailed(_("Unknown user group '%(group)s'.") % {"group": group})
    if not agency and groups:
        agency = config.user_groups[groups[0]]["agency"] or ""  # a group may have no agency
    if agency and agency not in config.agencies:
        raise ValidationFailed(_("Unknown agency '%(agency)s'.") % {"agency": agency})
    if user is not None and not name:
        name = user.display_name
    return Member.objects.create(space=space, user=user, name=name or role, role=role,
                                 agency=agency, user_groups=groups, is_simulated=is_simulated,
                                 ref=ref)


def require_writable(space: Space) -> None:
    """Refuse people's writing in a space that was closed or whose time is up."""
    reason = space.stopped()
    if reason == "closed":
        raise Conflict(_("This exercise is closed: your space can be read but no longer changed."),
                       code="space_closed")
    if reason == "time_up":
        raise Conflict(_("Time is up for this exercise: your space can be read but no longer "
                         "changed."), code="time_up")
