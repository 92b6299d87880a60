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


class Progress(models.Model):
    """A space's attempt as the live board shows it: steps met, stage, last action, score
    so far. Written when a board finds the space moved since (its event counter or its
    clock changed), read as it is otherwise: a poll reads, it does not score again.

    A row of the space (`sandbox.simulation.snapshot.TABLES`): a reset removes it with
    the space's other rows, and the next board scores the fresh start.
    """

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="progress")
    #: The space's event counter and clock when this was computed: it holds while both do.
    event_counter = models.PositiveIntegerField(_("events so far"))
    clock = models.DateTimeField(_("simulated time"))
    met = models.PositiveIntegerField(_("Steps met"))
    total = models.PositiveIntegerField(_("Steps"))
    score = models.FloatField(_("score"))
    percent = models.FloatField(_("percent"))
    stage = models.CharField(_("Stage reached"), max_length=50, blank=True)
    last_action = models.CharField(_("Last action"), max_length=100, blank=True)
    last_action_at = models.DateTimeField(_("time of the last action"), null=True, blank=True)
    #: Rule id -> met so far (the presenter's step-by-step chart).
    rules = models.JSONField(_("rules met"), default=dict)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("progress of an attempt")
        verbose_name_plural = _("progress of attempts")

    def __str__(self) -> str:
        return f"{self.space_id}: {self.met}/{self.total}"

    def holds_for(self, space: Space) -> bool:
        return self.event_counter == space.event_counter and self.clock == space.clock
