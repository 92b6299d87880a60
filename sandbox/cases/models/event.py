"""The event log: one append-only row per action.

The event log is the single source for audit, a case's history and scoring. No
interface updates or deletes an event: the model refuses to save an existing
row, the queryset refuses `update()` and `delete()`, and the admin is read-only.
The only way out is the purge of a whole space, used when a space is reset.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Member, Space

from .case import Case


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an event."""


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("events cannot be deleted")

    def purge_space(self, space: Space) -> int:
        """Remove every event of one space (resetting a space, nothing else)."""
        return models.QuerySet(self.model, using=self.db).filter(space=space)._raw_delete(self.db)


class Event(models.Model):
    """Something a member did (or the simulation did) in a space, at a simulated time."""

    space = models.ForeignKey(Space, on_delete=models.DO_NOTHING, related_name="events",
                              db_constraint=True)
    sequence = models.PositiveIntegerField(_("sequence"))
    case = models.ForeignKey(Case, on_delete=models.DO_NOTHING, null=True, blank=True,
                             related_name="events", db_constraint=False)
    actor = models.ForeignKey(Member, on_delete=models.DO_NOTHING, null=True, blank=True,
                              related_name="+", db_constraint=False)
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    role = models.CharField(_("in-world role"), max_length=80, blank=True)
    action = models.CharField(_("action"), max_length=60)
    record_type = models.CharField(_("record type"), max_length=30, blank=True)
    record_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    sim_time = models.DateTimeField(_("simulated time"))
    real_time = models.DateTimeField(_("real time"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["space", "sequence"]
        constraints = [models.UniqueConstraint("space", "sequence", name="event_unique_sequence")]
        indexes = [models.Index(fields=["space", "case", "sequence"]),
                   models.Index(fields=["space", "action"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("events cannot be changed")
        # Always an INSERT: a new object carrying an existing id must fail, not overwrite.
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("events cannot be deleted")
