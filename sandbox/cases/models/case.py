"""The case record: indexed core columns, and the configured form data as JSON."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Member, Space


class RegistrationStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    REGISTERED = "registered", _("Registered")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    """The workflow stage, as Primero shows it on every case."""

    NEW = "new", _("New")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    SERVICE_PROVISION = "service_provision", _("Service provision")
    SERVICES_IMPLEMENTED = "services_implemented", _("Services implemented")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class Case(models.Model):
    """A child's case in one space.

    `data` holds the values of the configured form fields, keyed by field id and
    validated against the configuration on every write. The core columns (names,
    sex, age, location, risk) copy the fields the module names as core, so that
    lists, searches and filters run on indexes.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="cases")
    display_id = models.CharField(_("case ID"), max_length=20)
    module = models.CharField(_("module"), max_length=100)
    registration_status = models.CharField(_("registration"), max_length=20,
                                           choices=RegistrationStatus.choices,
                                           default=RegistrationStatus.REGISTERED)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    stage = models.CharField(_("workflow stage"), max_length=30, choices=Stage.choices,
                             default=Stage.NEW)
    risk_level = models.CharField(_("risk level"), max_length=200, blank=True)
    owner = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_cases", verbose_name=_("case worker"))
    agency = models.CharField(_("agency"), max_length=100, blank=True)
    user_groups = models.JSONField(_("user groups"), default=list, blank=True)
    location = models.CharField(_("location"), max_length=40, blank=True)
    name_first = models.CharField(_("first name"), max_length=120, blank=True)
    name_last = models.CharField(_("last name"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=200, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    data = models.JSONField(_("form data"), default=dict, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    assessment_started = models.BooleanField(_("assessment started"), default=False)
    assessment_completed_at = models.DateTimeField(_("assessment completed"), null=True, blank=True)
    case_plan_saved_at = models.DateTimeField(_("case plan saved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created (simulated time)"))
    registered_at = models.DateTimeField(_("registered (simulated time)"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed (simulated time)"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened (simulated time)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change (simulated time)"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint("space", "display_id", name="case_unique_display_id"),
        ]
        indexes = [
            models.Index(fields=["space", "status", "stage"]),
            models.Index(fields=["space", "owner"]),
            models.Index(fields=["space", "name_last", "name_first"]),
            models.Index(fields=["space", "location"]),
            models.Index(fields=["space", "risk_level"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_id} {self.full_name}".strip()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.name_first, self.name_last) if p)

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN
