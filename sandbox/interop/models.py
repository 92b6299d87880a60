"""Partner systems of a space, the messages sent to them, and the messages received.

A partner is another case management system (an NGO's tool, say) that exchanges
referrals with the space over signed HTTP (`docs/reference/interop.md`). Partners,
outbox and inbox rows carry their space like every record of the world, so that a
reset or a copy of the space takes them along.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sandbox.cases.models import Case, Referral
from sandbox.spaces.models import Member, Space


class Partner(models.Model):
    """Another system the space exchanges referrals with.

    Referrals to `agency` leave through this partner. `member` is the account in the
    world under which the partner's answers act (a service provider of that agency);
    inbound referrals become identified cases of `receiver`. A simulated partner is
    served by the sandbox itself and follows `rules` (see `sandbox.interop.partner`).
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("partner ID"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    agency = models.CharField(_("agency"), max_length=100)
    url = models.URLField(_("address"), max_length=500, blank=True,
                          help_text=_("Where messages are sent; empty for a simulated partner."))
    secret = models.CharField(_("shared secret"), max_length=200)
    simulated = models.BooleanField(_("simulated by the sandbox"), default=False)
    rules = models.JSONField(_("rules of the simulated partner"), default=dict, blank=True)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("acts in the world as"))
    receiver = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("receives inbound referrals"))

    class Meta:
        verbose_name = _("partner system")
        verbose_name_plural = _("partner systems")
        constraints = [models.UniqueConstraint("space", "code", name="partner_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def endpoint(self) -> str:
        """Where messages to this partner go: a simulated partner answers at the sandbox's
        own address, under its own prefix."""
        if self.simulated:
            return settings.SITE_URL.rstrip("/") + reverse(
                "interop:partner_sim", args=[self.space.slug, self.code])
        return self.url


class Kind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    STATUS = "status", _("Status update")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Given up")


class OutboxMessage(models.Model):
    """A message to a partner, stored before it is sent and kept after.

    Sending retries with a growing delay (real time: networks fail in real time) after
    network errors and 5xx answers; each try sends the same idempotency key, so a
    partner that got it before the answer was lost keeps it once.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="outbox",
                                verbose_name=_("partner system"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("case"))
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("referral"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    body = models.JSONField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices,
                              default=OutboxStatus.PENDING)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    answer = models.JSONField(_("answer"), default=dict, blank=True)
    created_at = models.DateTimeField(_("stored"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.status})"


class InboxMessage(models.Model):
    """A message received from a partner, refused ones included (with why)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    partner_code = models.CharField(_("partner ID"), max_length=80)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    kind = models.CharField(_("type"), max_length=20, blank=True)
    accepted = models.BooleanField(_("accepted"), default=False)
    error = models.CharField(_("error"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    #: What the message did: the case it created or the referral it answered.
    result = models.JSONField(_("result"), default=dict, blank=True)
    #: Received by a simulated partner (its own inbox), not by the space's system.
    at_partner = models.BooleanField(_("received by the simulated partner"), default=False)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        indexes = [models.Index(fields=["space", "partner_code", "idempotency_key"])]

    def __str__(self) -> str:
        return f"{self.partner_code} {self.idempotency_key or '-'} ({self.kind or self.error})"
