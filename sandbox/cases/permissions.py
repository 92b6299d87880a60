"""Who may do what to which case: role × scope × form section.

Checked in the services (not only in views), so that the web pages, the API and
the simulation are held to the same rules.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed
from sandbox.configuration.runtime import BundleConfig, ModuleDef, RoleDef
from sandbox.spaces.models import Member

from .models import Case


def role_of(member: Member, config: BundleConfig) -> RoleDef:
    role = config.roles.get(member.role)
    if role is None:
        raise NotAllowed(_("Your role '%(role)s' is not in this configuration.") % {"role": member.role})
    return role


def in_scope(member: Member, case: Case, role: RoleDef, *, related: bool = False) -> bool:
    """Is the case within the member's scope?

    `related` is true when the member is the recipient of a referral or a
    transfer of this case: recipients see the cases sent to them.
    """
    if related:
        return True
    if role.scope == "all":
        return True
    if case.owner_id == member.pk:
        return True
    if role.scope == "agency":
        return bool(case.agency) and case.agency == member.agency
    if role.scope == "group":
        return bool(set(case.user_groups) & set(member.user_groups))
    return False


def is_related(member: Member, case: Case) -> bool:
    """Is the member a recipient of a referral or pending transfer of this case?"""
    from .models import Referral, ReferralStatus, Transfer, TransferStatus

    return (
        Referral.objects.filter(case=case, to_member=member).exclude(
            status=ReferralStatus.REVOKED).exists()
        or Transfer.objects.filter(case=case, to_member=member,
                                   status=TransferStatus.PENDING).exists()
    )


def can_see(member: Member, case: Case, config: BundleConfig) -> bool:
    role = role_of(member, config)
    return in_scope(member, case, role) or is_related(member, case)


def require(member: Member, action: str, case: Case | None, config: BundleConfig,
            *, related: bool | None = None) -> RoleDef:
    """Raise NotAllowed unless the member's role permits `action` on `case`."""
    role = role_of(member, config)
    if not role.can(action):
        raise NotAllowed(
            _("Your role (%(role)s) does not allow this action: %(action)s.")
            % {"role": member.role_name(config), "action": action},
            code="forbidden_by_role",
        )
    if case is not None:
        if related is None:
            related = in_scope(member, case, role) is False and is_related(member, case)
        if not in_scope(member, case, role, related=related):
            raise NotAllowed(
                _("This case is outside the cases you can act on (scope: %(scope)s).")
                % {"scope": role.scope},
                code="forbidden_by_scope",
            )
    return role


def section_access(member: Member, section: str, config: BundleConfig) -> str | None:
    return role_of(member, config).section_access(section)


def require_section_write(member: Member, section: str, config: BundleConfig) -> None:
    if section_access(member, section, config) != "read_write":
        raise NotAllowed(
            _("Your role may not edit the form section '%(section)s'.") % {"section": section},
            code="forbidden_section",
        )


def case_section_access(role: RoleDef, section: str, case: Case, module: ModuleDef) -> str | None:
    """The role's access to a form section of this case: its form access, where a
    consent-gated section (`read_if_consented:KIND`) opens only with the survivor's
    recorded consent for the role's provider."""
    return role.section_access_on(section, case.data, module.policy)


def identity_visible(role: RoleDef, case: Case, module: ModuleDef) -> bool:
    """May the role see who the person is? Only if it may read a form section holding the
    module's name field: the GBV survivor's name stays hidden from providers she did not
    agree to share it with, in lists, headers and the API alike."""
    code = module.core_fields.get("name_first")
    if not code:
        return True
    return any(case_section_access(role, s, case, module) for s in module.sections_of(code))
