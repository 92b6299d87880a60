"""Tasks: what is due on a case and when, on the space's simulated clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Space

from .case import Case
from .records import Referral


class TaskKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    FOLLOWUP = "followup", _("Follow-up")
    SERVICE = "service", _("Service (referral response)")


class Task(models.Model):
    """A deadline from the SOP policy: due `started_at` + the deadline for the risk level."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("type"), max_length=20, choices=TaskKind.choices)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="tasks")
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["space", "completed_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case.display_id}"

    def state(self, now: datetime, upcoming_days: int) -> str:
        """'done', 'overdue', 'upcoming' or 'later'."""
        if self.completed_at:
            return "done"
        if self.due_at < now:
            return "overdue"
        if self.due_at <= now + timedelta(days=upcoming_days):
            return "upcoming"
        return "later"
