"""Submitted attempts' score reports. Kept outside the space: a reset never removes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Space


class Report(models.Model):
    """The score report of an attempt, as it was when the trainee submitted it."""

    space = models.ForeignKey(Space, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="reports")
    space_slug = models.CharField(_("space"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="score_reports")
    scenario_id = models.CharField(_("scenario"), max_length=100)
    scenario_version = models.PositiveIntegerField(_("scenario version"))
    #: The fingerprint of the scenario content the attempt was scored against (the space's).
    scenario_sha256 = models.CharField(_("fingerprint of the scenario"), max_length=64, blank=True)
    score = models.FloatField(_("score"))
    max_score = models.PositiveIntegerField(_("maximum score"))
    percent = models.FloatField(_("percent"))
    passed = models.BooleanField(_("passed"))
    result = models.JSONField(_("report"))
    timeline = models.JSONField(_("timeline of the attempt"), default=list)
    sim_time = models.DateTimeField(_("simulated time at submission"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("score report")
        verbose_name_plural = _("score reports")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["space_slug", "user"])]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.percent:.0f}%"

