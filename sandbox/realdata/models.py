"""Entries the real-data guard flagged, kept for trainers and administrators.

Only a masked excerpt is kept: the list must not become a copy of the real data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FlaggedEntry(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="flagged_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    actor_name = models.CharField(_("entered by"), max_length=200)
    action = models.CharField(_("action"), max_length=80)
    case_id_text = models.CharField(_("case"), max_length=80, blank=True)
    event_sequence = models.PositiveIntegerField(_("event"), null=True)
    findings = models.JSONField(_("what looked real"))
    confirmed_invented = models.BooleanField(_("confirmed invented"), default=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("flagged entry")
        verbose_name_plural = _("flagged entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.space_id}: {self.action} by {self.actor_name}"
