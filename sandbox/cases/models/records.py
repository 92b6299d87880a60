"""The records attached to a case: approvals, services, referrals, transfers,
follow-ups, notes and flags. Each carries its space, like the case itself."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Member, Space

from ..disclosures import DEFAULT_DISCLOSED, Disclosure  # noqa: F401 (exported)
from .case import Case


class CaseRecord(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created (simulated time)"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ApprovalKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    CLOSURE = "closure", _("Closure")
    ACTION_PLAN = "action_plan", _("Action plan")
    GBV_CLOSURE = "gbv_closure", _("Closure (GBV)")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Approval(CaseRecord):
    """A request for a supervisor's approval, and the decision."""

    kind = models.CharField(_("type"), max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    request_comment = models.TextField(_("request comment"), blank=True)
    decided_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided (simulated time)"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    #: A closure approved before the case was reopened no longer allows closing it.
    superseded = models.BooleanField(_("superseded by a reopening"), default=False)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [models.Index(fields=["space", "status"])]


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REFERRED = "referred", _("Referred")
    IMPLEMENTED = "implemented", _("Implemented")


class Service(CaseRecord):
    """A service in the case plan, provided directly or through a referral."""

    service_type = models.CharField(_("service type"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    provider_agency = models.CharField(_("provider agency"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices,
                              default=ServiceStatus.PLANNED)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    implementation_notes = models.TextField(_("implementation notes"), blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Done")
    REVOKED = "revoked", _("Revoked")


class Referral(CaseRecord):
    """A referral of the case to a user or an agency, for a service."""

    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="referrals")
    service_type = models.CharField(_("service type"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200)
    urgency = models.CharField(_("urgency"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    to_member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="referrals_received", verbose_name=_("recipient"))
    to_agency = models.CharField(_("recipient agency"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.PENDING)
    consent_override_reason = models.TextField(_("reason for acting without consent"), blank=True)
    #: The kinds of information shared with the recipient (`Disclosure` values).
    disclosed = models.JSONField(_("information shared"), default=list, blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    response_comment = models.TextField(_("response comment"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["space", "to_member", "status"])]


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class Transfer(CaseRecord):
    """Ownership of the case moving to another worker; they accept or reject it."""

    to_member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers_received",
                                  verbose_name=_("recipient"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PENDING)
    consent_override_reason = models.TextField(_("reason for acting without consent"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    response_comment = models.TextField(_("response comment"), blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")


class TransferRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TransferRequest(CaseRecord):
    """A worker (usually of another agency) asks for the case to be handed over to them.

    `created_by` is the requester; the owner of the case, or a supervisor whose scope
    covers it, accepts (the case becomes the requester's) or declines with a reason.
    """

    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=TransferRequestStatus.choices,
                              default=TransferRequestStatus.PENDING)
    answered_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    consent_override_reason = models.TextField(_("reason for acting without consent"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    response_comment = models.TextField(_("response comment"), blank=True)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        indexes = [models.Index(fields=["space", "status"])]


class FollowUp(CaseRecord):
    """A follow-up: a visit, a phone call or a remote contact, and what was found."""

    date = models.DateField(_("date"))
    followup_type = models.CharField(_("type"), max_length=200)
    findings = models.TextField(_("findings"))
    risk_before = models.CharField(_("risk level before"), max_length=200, blank=True)
    risk_after = models.CharField(_("risk level after"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")


class Note(CaseRecord):
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")


class Flag(CaseRecord):
    reason = models.CharField(_("reason"), max_length=300)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
