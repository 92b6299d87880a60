"""The incident record of a GBV case: what happened, when, where (an area, not an
address), to whom by age group and sex, by whom by relationship (no names), and the
services offered. No free text: nothing here can carry a name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.cases.models import Case
from sandbox.spaces.models import Member, Space

from .vocabulary import GbvType, PerpetratorRelationship


class Incident(models.Model):
    """One incident of gender-based violence reported by a survivor whose case it belongs to."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="gbv_incidents")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="gbv_incidents")
    display_id = models.CharField(_("incident ID"), max_length=20)
    incident_date = models.DateField(_("date of the incident"))
    #: A location code of the bundle (a commune); exports give its district only.
    location = models.CharField(_("area"), max_length=40)
    #: Every core type that applied, in the classification order.
    acts = models.JSONField(_("what happened"), default=list)
    gbv_type = models.CharField(_("type of GBV"), max_length=30, choices=GbvType.choices)
    perpetrator_relationship = models.CharField(
        _("alleged perpetrator's relationship to the survivor"), max_length=30,
        choices=PerpetratorRelationship.choices)
    context = models.JSONField(_("context"), default=list, blank=True)
    services_provided = models.JSONField(_("services provided"), default=list, blank=True)
    referred_to = models.JSONField(_("referrals"), default=list, blank=True)
    #: The survivor at the time of the report (copied from the case: the case may change).
    survivor_age = models.PositiveSmallIntegerField(_("survivor's age"), null=True, blank=True)
    survivor_sex = models.CharField(_("survivor's sex"), max_length=200, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("reported (simulated time)"))
    updated_at = models.DateTimeField(_("last change (simulated time)"))

    class Meta:
        verbose_name = _("GBV incident")
        verbose_name_plural = _("GBV incidents")
        constraints = [
            models.UniqueConstraint("space", "display_id", name="gbv_incident_unique_display_id"),
        ]
        indexes = [models.Index(fields=["space", "incident_date"])]

    def __str__(self) -> str:
        return self.display_id
