"""Services in the case plan, and referrals to other workers or agencies."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.configuration.runtime import CONSENTED_PREFIX
from sandbox.spaces.models import Member

from ..models import (
    DEFAULT_DISCLOSED,
    Case,
    Disclosure,
    Referral,
    ReferralStatus,
    Service,
    ServiceStatus,
    Stage,
    TaskKind,
)
from ._core import (
    Action,
    check_consent,
    member_in_space,
    require_open,
    require_option,
    require_text,
)
from .refusals import records_refusal
from .tasks import complete_tasks, open_task


@records_refusal("service.add")
@transaction.atomic
def service_add(*, actor: Member, case: Case, service_type: str, description: str = "",
                provider_agency: str = "", due_date: dt.date | None = None,
                consent_override_reason: str = "") -> Service:
    """Add a service to the case plan (with the consent the policy names for it, if any)."""
    act = Action(actor, "service.add", case)
    require_open(case)
    require_option(act.config, act.require_lookup("service_type"), service_type, "service_type")
    if provider_agency and provider_agency not in act.config.agencies:
        raise ValidationFailed(_("Unknown agency '%(agency)s'.") % {"agency": provider_agency},
                               details={"fields": {"provider_agency": [_("Unknown agency.")]}})
    due_at = None
    if isinstance(due_date, str) and due_date:
        try:
            due_date = dt.date.fromisoformat(due_date)
        except ValueError:
            due_date = None
            raise ValidationFailed(_("Enter the date as YYYY-MM-DD."),
                                   details={"fields": {"due_date": [_("Enter a valid date.")]}}) from None
    if due_date is not None and not isinstance(due_date, dt.date):
        raise ValidationFailed(_("Enter the date as YYYY-MM-DD."),
                               details={"fields": {"due_date": [_("Enter a valid date.")]}})
    if due_date is not None:
        due_at = dt.datetime.combine(due_date, dt.time(17, 0), tzinfo=act.now.tzinfo)
    consent = check_consent(act, case, consent_override_reason)
    service = Service.objects.create(
        space=act.space, case=case, service_type=service_type, description=description.strip(),
        provider_agency=provider_agency, due_at=due_at, created_by=actor, created_at=act.now)
    act.record(record=service, details={"service_type": service_type,
                                        "provider_agency": provider_agency, **consent})
    return service


@transaction.atomic
def service_implement(*, actor: Member, service: Service, notes: str = "") -> Service:
    """Mark a service as implemented; when every service is, the stage moves on."""
    case = service.case
    act = Action(actor, "service.implement", case,
                 related=service.referrals.filter(to_member=actor).exists() or None)
    act.fresh(service)
    require_open(case)
    if service.status == ServiceStatus.IMPLEMENTED:
        raise ValidationFailed(_("This service is already implemented."), code="already_done")
    service.status = ServiceStatus.IMPLEMENTED
    service.implemented_at = act.now
    service.implementation_notes = notes.strip()
    service.save()
    if not case.service_set.exclude(status=ServiceStatus.IMPLEMENTED).exists() \
            and case.stage == Stage.SERVICE_PROVISION:
        case.stage = Stage.SERVICES_IMPLEMENTED
        case.updated_at = act.now
        case.save()
    act.record(record=service, details={"service_type": service.service_type})
    return service


@records_refusal("referral.create")
@transaction.atomic
def referral_create(*, actor: Member, case: Case, service_type: str, reason: str,
                    to_member: int | None = None, to_agency: str = "", urgency: str = "",
                    notes: str = "", service: Service | None = None,
                    consent_override_reason: str = "",
                    disclosed: list[str] | tuple[str, ...] | None = None) -> Referral:
    """Refer the case for a service, to a worker or an agency.

    `disclosed` is what the referral shares about the child (`Disclosure` values;
    None: `DEFAULT_DISCLOSED`); it is kept on the referral and in its event.

    Refused without the consent the policy names for `referral.create`, unless the
    actor's role may override consent and a reason is given (it is recorded).
    """
    act = Action(actor, "referral.create", case)
    require_open(case)
    require_option(act.config, act.require_lookup("service_type"), service_type, "service_type")
    require_option(act.config, act.require_lookup("referral_reason"), reason, "reason")
    urgency_lookup = act.module.system_lookup("urgency")
    # Without an urgency list the urgency stays free text, as it always has.
    if urgency and urgency_lookup:
        require_option(act.config, urgency_lookup, urgency, "urgency")
    recipient = member_in_space(act.space, to_member, "to_member", can="referral.accept") \
        if to_member else None
    if recipient is None and not to_agency:
        raise ValidationFailed(_("Choose who receives the referral: a person or an agency."),
                               details={"fields": {"to_member": [_("This field is required.")]}})
    if to_agency and to_agency not in act.config.agencies:
        raise ValidationFailed(_("Unknown agency '%(agency)s'.") % {"agency": to_agency},
                               details={"fields": {"to_agency": [_("Unknown agency.")]}})
    if recipient is not None and recipient.pk == actor.pk:
        raise ValidationFailed(_("You cannot refer a case to yourself."))
    if service is not None and service.case_id != case.pk:
        raise ValidationFailed(_("That service belongs to another case."))
    provider = _provider_of(act, case, recipient, to_agency)
    shared = _disclosed(disclosed)
    consent = check_consent(act, case, consent_override_reason, provider=provider)
    shared = _within_consent(act, case, provider, shared, explicit=disclosed is not None,
                             kind=_identity_consent(act, recipient),
                             unknown_agency=recipient is None and not provider)
    if service is None:
        service = Service.objects.create(
            space=act.space, case=case, service_type=service_type,
            provider_agency=to_agency or (recipient.agency if recipient else ""),
            created_by=actor, created_at=act.now)
    service.status = ServiceStatus.REFERRED
    service.save()
    referral = Referral.objects.create(
        space=act.space, case=case, service=service, service_type=service_type, reason=reason,
        urgency=urgency, notes=notes.strip(), to_member=recipient,
        to_agency=to_agency or (recipient.agency if recipient else ""),
        consent_override_reason=consent.get("consent_override_reason", ""), disclosed=shared,
        created_by=actor, created_at=act.now)
    open_task(case, act.module.policy, TaskKind.SERVICE, act.now, referral=referral)
    act.record(record=referral, details={
        "service_type": service_type, "reason": reason, "urgency": urgency,
        "to_member": recipient.name if recipient else "", "to_agency": referral.to_agency,
        "disclosed": shared, **({"to_provider": provider} if provider else {}), **consent})
    return referral


def _disclosed(values: list[str] | tuple[str, ...] | None) -> list[str]:
    """What the referral shares, in the vocabulary's order; refused when empty or unknown."""
    if values is None:
        return [str(v) for v in DEFAULT_DISCLOSED]
    if isinstance(values, str) or not isinstance(values, list | tuple):
        values = [values]  # type: ignore[list-item]
    unknown = [v for v in values if v not in Disclosure.values]
    if unknown:
        message = _("'%(value)s' is not a kind of information a referral can share.") % {
            "value": unknown[0]}
        raise ValidationFailed(message, details={"fields": {"disclosed": [message]}})
    if not values:
        message = _("Choose what the referral shares with the recipient.")
        raise ValidationFailed(message, details={"fields": {"disclosed": [message]}})
    return [v for v in Disclosure.values if v in values]


#: What identifies the person: shared with a provider only with consent to share
#: identified information for that provider, where the policy records it per provider.
IDENTIFYING_DISCLOSURES = (Disclosure.IDENTITY, Disclosure.CONTACT, Disclosure.FAMILY)


def _provider_of(act: Action, case: Case, recipient: Member | None, to_agency: str) -> str:
    """The kind of provider (GBV: health, psychosocial...) the referral goes to, or "".

    To a member: the kind its role is. To an agency: the kind the agency declares; of an
    agency of several kinds (a centre with a clinic and counsellors), the first the survivor
    agreed to be referred to (the consent the policy requires for referrals), else its first.
    """
    if recipient is not None:
        role = act.config.roles.get(recipient.role)
        return role.provider or "" if role else ""
    agency = act.config.agencies.get(to_agency)
    kinds = agency.providers if agency else ()
    policy = act.module.policy
    needed = policy.consent_required.get(act.action, [])
    for kind in kinds:
        if all(policy.provider_consented(c, kind, case.data) for c in needed):
            return kind
    return kinds[0] if kinds else ""


def _identity_consent(act: Action, recipient: Member | None) -> str:
    """The consent kind that lets the recipient read who the survivor is: the kind of the
    `read_if_consented:KIND` access of its role to the section holding the first name (the
    bundle names it), else `share_information`."""
    role = act.config.roles.get(recipient.role) if recipient else None
    if role is not None:
        for section in act.module.sections_of(act.module.core_fields.get("name_first", "")):
            access = role.form_access.get(section, role.form_access.get("*")) or ""
            if access.startswith(CONSENTED_PREFIX):
                return access[len(CONSENTED_PREFIX):]
    return "share_information"


def _within_consent(act: Action, case: Case, provider: str, shared: list[str], *,
                    explicit: bool, kind: str = "share_information",
                    unknown_agency: bool = False) -> list[str]:
    """What a referral to this provider may share: identifying information only where the
    survivor agreed to share it with this provider (consent of `kind`). Left out of the
    default silently; refused when asked for explicitly.

    An agency that does not say what kind of provider it is (`unknown_agency`) cannot be
    covered by consent given per provider: identifying information is not shared with it.
    """
    policy = act.module.policy
    if kind not in policy.consent_providers or (not provider and not unknown_agency):
        return shared
    if provider and policy.provider_consented(kind, provider, case.data):
        return shared
    identifying = [v for v in shared if v in IDENTIFYING_DISCLOSURES]
    if identifying and explicit:
        if unknown_agency:
            message = _("This agency does not say what kind of provider it is, so the "
                        "survivor's consent, given provider by provider, cannot cover it: "
                        "leave out identity, contact details and family.")
        else:
            message = _("The survivor did not agree to share identified information with this "
                        "provider: leave out identity, contact details and family.")
        raise NotAllowed(message, code="consent_required",
                         details={"consent_missing": [kind],
                                  "fields": {"disclosed": [message]}})
    kept = [v for v in shared if v not in IDENTIFYING_DISCLOSURES]
    return kept or [str(Disclosure.CONCERNS)]


def _recipient_action(actor: Member, referral: Referral, action: str) -> Action:
    act = Action(actor, action, referral.case, related=True)
    act.fresh(referral)
    is_recipient = referral.to_member_id == actor.pk or (
        referral.to_member_id is None and referral.to_agency == actor.agency
        and act.role is not None and act.role.referral_recipient)
    if not is_recipient:
        raise NotAllowed(_("Only the recipient of a referral can answer it."), code="not_recipient")
    return act


@transaction.atomic
def referral_accept(*, actor: Member, referral: Referral, comment: str = "") -> Referral:
    act = _recipient_action(actor, referral, "referral.accept")
    if referral.status != ReferralStatus.PENDING:
        raise ValidationFailed(_("This referral has already been answered."), code="already_answered")
    referral.status = ReferralStatus.ACCEPTED
    referral.to_member = referral.to_member or actor
    referral.responded_at = act.now
    referral.response_comment = comment.strip()
    referral.save()
    complete_tasks(referral.case, [TaskKind.SERVICE], act.now, referral=referral)
    act.record(record=referral, details={"comment": referral.response_comment})
    return referral


@transaction.atomic
def referral_reject(*, actor: Member, referral: Referral, comment: str) -> Referral:
    act = _recipient_action(actor, referral, "referral.reject")
    if referral.status != ReferralStatus.PENDING:
        raise ValidationFailed(_("This referral has already been answered."), code="already_answered")
    if not (comment or "").strip():
        raise ValidationFailed(_("Say why you cannot take this referral."),
                               details={"fields": {"comment": [_("This field is required.")]}})
    referral.status = ReferralStatus.REJECTED
    referral.responded_at = act.now
    referral.response_comment = comment.strip()
    referral.save()
    if referral.service and referral.service.status == ServiceStatus.REFERRED:
        referral.service.status = ServiceStatus.PLANNED
        referral.service.save()
    complete_tasks(referral.case, [TaskKind.SERVICE], act.now, referral=referral)
    act.record(record=referral, details={"comment": referral.response_comment})
    return referral


@transaction.atomic
def referral_done(*, actor: Member, referral: Referral, comment: str = "") -> Referral:
    """Mark an accepted referral as done (by its recipient or the case worker)."""
    related = referral.to_member_id == actor.pk
    act = Action(actor, "referral.done", referral.case, related=related or None)
    act.fresh(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationFailed(_("Only an accepted referral can be marked done."), code="not_accepted")
    referral.status = ReferralStatus.DONE
    referral.done_at = act.now
    if comment.strip():
        referral.response_comment = comment.strip()
    referral.save()
    act.record(record=referral, details={"comment": comment.strip()})
    return referral


@transaction.atomic
def referral_revoke(*, actor: Member, referral: Referral, reason: str) -> Referral:
    """Withdraw a pending referral sent by mistake: the recipient can no longer accept it,
    and the service goes back to planned."""
    from .ownership import may_revoke

    act = Action(actor, "referral.revoke", referral.case)
    act.fresh(referral)
    if referral.to_member_id == actor.pk or act.role is None \
            or not may_revoke(actor, referral.created_by_id, act.role.scope):
        raise NotAllowed(_("Only the sender of a referral, or their supervisor, can revoke it."),
                         code="not_sender")
    if referral.status != ReferralStatus.PENDING:
        raise ValidationFailed(_("This referral has already been answered."), code="already_answered")
    referral.status = ReferralStatus.REVOKED
    referral.responded_at = act.now
    referral.response_comment = require_text(reason, "reason")
    referral.save()
    if referral.service and referral.service.status == ServiceStatus.REFERRED:
        referral.service.status = ServiceStatus.PLANNED
        referral.service.save()
    complete_tasks(referral.case, [TaskKind.SERVICE], act.now, referral=referral)
    act.record(record=referral, details={
        "to_member": referral.to_member.name if referral.to_member else "",
        "to_agency": referral.to_agency, "reason": referral.response_comment})
    return referral
