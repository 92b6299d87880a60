"""Certificates of completion: the criteria a workshop's trainer sets, and what was issued."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.workshops.models import Enrolment, Workshop

#: No 0/O or 1/I: people type the code from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_check_code() -> str:
    """20 random characters of 32 (100 bits) in groups of five: guessing one that exists
    is impractical, however many certificates there are."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(20))
    return "-".join(raw[i:i + 5] for i in range(0, 20, 5))


class Criteria(models.Model):
    """What a trainee must have done for a certificate; 0 means "not required"."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE,
                                    related_name="certificate_criteria")
    min_days_present = models.PositiveIntegerField(_("days signed in during the workshop, at least"),
                                                   default=0)
    min_exercises_joined = models.PositiveIntegerField(_("exercises joined, at least"), default=1)
    min_exercises_passed = models.PositiveIntegerField(_("exercises passed, at least"), default=0)
    min_post_test_percent = models.PositiveIntegerField(_("post-test score, at least (%)"),
                                                        default=0)

    class Meta:
        verbose_name = _("certificate criteria")
        verbose_name_plural = _("certificate criteria")

    def __str__(self) -> str:
        return str(self.workshop)


class PresentDay(models.Model):
    """A day on which a user used the sandbox while signed in (recorded once a day by
    `middleware.PresenceMiddleware`): the attendance of a remote workshop."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="present_days")
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("day present")
        verbose_name_plural = _("days present")
        constraints = [models.UniqueConstraint("user", "day", name="present_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class Certificate(models.Model):
    """A certificate as issued: the holder's name, the workshop and its dates are copied, so
    that the public check shows what the paper says even if the workshop is renamed."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="certificates")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(_("check code"), max_length=32, unique=True, default=new_check_code)
    holder_name = models.CharField(_("holder"), max_length=300)
    workshop_title = models.CharField(_("workshop"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    issuer_name = models.CharField(_("issued by"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["workshop", "holder_name"]
        constraints = [models.UniqueConstraint("enrolment", condition=models.Q(revoked_at=None),
                                               name="one_valid_certificate")]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.workshop_title}"
