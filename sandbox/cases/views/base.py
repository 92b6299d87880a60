"""What every page of a space shares: who is here, in which world, and how a page renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sandbox.common.errors import NotAllowed
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import BundleConfig, ModuleDef, RoleDef
from sandbox.spaces.models import Member, Space
from sandbox.spaces.selectors import membership

from ..permissions import role_of
from ..person import Person, person_of

#: The scopes of roles that oversee other people's cases (see Here.oversees).
OVERSEEING_SCOPES = ("group", "agency", "all")


@dataclass(frozen=True)
class Here:
    """The member viewing a page of their space, with the configuration in memory."""

    member: Member
    space: Space
    config: BundleConfig
    module: ModuleDef
    role: RoleDef

    @property
    def oversees(self) -> bool:
        """Supervisors and managers: a role that sees a group's, an agency's or every case
        reads the indicators, the access log and the returns of the cases it sees."""
        return self.role.scope in OVERSEEING_SCOPES

    @property
    def compiles_returns(self) -> bool:
        """Supervisors and managers compile the national returns the bundle declares."""
        from sandbox.reporting.views import may_compile

        return may_compile(self)

    @property
    def exports_cases(self) -> bool:
        """Roles with the `case.export` permission export lists of cases and case files."""
        return self.role.can("case.export")

    @property
    def person(self) -> Person:
        """What the module calls the person of a case ("child", "survivor"), in the
        active language."""
        return person_of(self.module)

    @property
    def role_name(self) -> str:
        return pick(self.role.name) or self.role.code

    @property
    def agency_name(self) -> str:
        agency = self.config.agencies.get(self.member.agency)
        return (agency.short_name or pick(agency.name)) if agency else self.member.agency


def here(request: HttpRequest, space: str) -> Here:
    """The requesting user's member in `space`; 404 when they are not a member."""
    member = membership(request.user, space)  # type: ignore[arg-type]
    config = member.space.config
    try:
        role = role_of(member, config)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    return Here(member=member, space=member.space, config=config,
                module=config.modules[member.space.module], role=role)


def page(request: HttpRequest, at: Here, template: str, context: dict[str, Any] | None = None,
         *, status: int = 200, nav: str = "") -> HttpResponse:
    """Render a page of the space, with what the space's top bar shows."""
    # The navigation shows only the queues the role can work in.
    can_see = {"approvals": at.role.can("approval.decide"),
               "referrals": any(at.role.can(a) for a in (
                   "referral.accept", "referral.reject", "referral.done", "transfer.accept",
                   "transfer.request", "transfer_request.accept"))}
    values = {"here": at, "space": at.space, "member": at.member, "nav_active": nav,
              "nav_can": can_see}
    values.update(context or {})
    return render(request, template, values, status=status)


def choice_members(members: list[Member], config: BundleConfig, *,
                   exclude: set[int] | None = None) -> list[tuple[str, str]]:
    """(id, "Name — Role, Agency") choices for a select of people in the space."""
    exclude = exclude or set()
    choices = []
    for m in members:
        if m.pk in exclude:
            continue
        role = config.roles.get(m.role)
        agency = config.agencies.get(m.agency)
        label = m.name
        if role:
            label += f" — {pick(role.name)}"
        if agency:
            label += f" ({agency.short_name or pick(agency.name)})"
        choices.append((str(m.pk), label))
    return choices
