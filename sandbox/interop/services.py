"""Writes of the exchange's configuration: adding a partner system to a space."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.spaces.models import Member, Space

from .models import Partner


@transaction.atomic
def partner_add(*, space: Space, code: str, name: str, agency: str, member: Member,
                url: str = "", secret: str = "", simulated: bool = False,
                rules: dict[str, Any] | None = None, receiver: Member | None = None) -> Partner:
    """A partner system of the space: referrals to `agency` leave through it, its answers act
    as `member`. Without a secret, a random one is drawn."""
    if member.space_id != space.pk or (receiver is not None and receiver.space_id != space.pk):
        raise ValidationFailed(_("Choose a person in this space."))
    if agency not in space.config.agencies:
        raise ValidationFailed(_("Unknown agency '%(agency)s'.") % {"agency": agency})
    if member.agency != agency:
        raise ValidationFailed(_("The partner's account must belong to the partner's agency."))
    if not simulated and not url.startswith(("http://", "https://")):
        raise ValidationFailed(_("Give the partner's address (http:// or https://)."))
    if Partner.objects.filter(space=space, code=code).exists():
        raise ValidationFailed(_("This space already has a partner with this ID."))
    return Partner.objects.create(space=space, code=code, name=name, agency=agency, url=url,
                                  secret=secret or secrets.token_hex(32), simulated=simulated,
                                  rules=rules or {}, member=member, receiver=receiver)
