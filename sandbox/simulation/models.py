"""What the simulation keeps for a space: how it was seeded, its injects and messages."""

from __future__ import annotations

import threading
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.common.i18n import pick
from sandbox.spaces.models import Member, Space

#: The seeded worlds whose spaces this thread's transaction deleted, checked once it commits.
_pending = threading.local()


class SeededWorld(models.Model):
    """A seeded world that spaces were copied from (an exercise's first space): its
    snapshot and scenario, kept once for all its copies, whose seeds record only what
    differs (see snapshot.clone_many). It outlives the space it was taken from, so that
    the copies still reset when that space is deleted."""

    snapshot = models.BinaryField(_("snapshot"))
    scenario_data = models.JSONField(_("scenario as seeded"), default=dict, blank=True)
    scenario_sha256 = models.CharField(_("fingerprint of the scenario as seeded"), max_length=64,
                                       blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("seeded world")
        verbose_name_plural = _("seeded worlds")

    def __str__(self) -> str:
        return f"{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


#: A shared world's scenario, per world and fingerprint (a world never changes).
_world_scenarios: dict[tuple[int, str], dict[str, Any]] = {}


class SpaceSeed(models.Model):
    """How a space was seeded, and a snapshot of its rows right after seeding.

    Resetting a space restores the snapshot: the same rows with the same ids, so
    that links a trainee kept still lead to the same case.
    """

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="seed")
    scenario_id = models.CharField(_("scenario"), max_length=100)
    scenario_version = models.PositiveIntegerField(_("scenario version"))
    scenario_path = models.CharField(_("scenario file"), max_length=500)
    #: The scenario exactly as it was seeded (portable form, before the bundle's mapping):
    #: scoring and the exercise always read this, never the file again, so that editing or
    #: deleting the file changes no score. Upgrading to the file's new content is explicit
    #: (`manage.py upgrade_scenario`).
    #: A copy's is empty while it is its world's (see `scenario_data`).
    own_scenario_data = models.JSONField(_("scenario as seeded"), default=dict, blank=True,
                                         db_column="scenario_data")
    scenario_sha256 = models.CharField(_("fingerprint of the scenario as seeded"), max_length=64,
                                       blank=True)
    seed = models.BigIntegerField(_("random seed"))
    roles = models.JSONField(_("roles to members"), default=dict)
    cases = models.JSONField(_("case references"), default=dict)
    snapshot = models.BinaryField(_("snapshot"))
    #: Events up to this sequence number are the seeded history, not the trainee's work.
    seeded_events = models.PositiveIntegerField(_("events written by seeding"), default=0)
    seeded_at = models.DateTimeField(_("seeded"), auto_now=True)
    #: The world the space was copied from (or, for the space it was taken from, the world
    #: its copies share): a copy's `snapshot` holds only what differs from it.
    world = models.ForeignKey(SeededWorld, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="seeds", verbose_name=_("seeded world"))

    class Meta:
        verbose_name = _("space seed")
        verbose_name_plural = _("space seeds")

    def __str__(self) -> str:
        return f"{self.space} ← {self.scenario_id} v{self.scenario_version}"

    @property
    def scenario_data(self) -> dict[str, Any]:
        """The scenario exactly as it was seeded: the space's own (a first space, or an
        upgraded one), else its world's (read once per process)."""
        if self.own_scenario_data or self.world_id is None:
            return self.own_scenario_data
        key = (self.world_id, self.scenario_sha256)
        data = _world_scenarios.get(key)
        if data is None:
            data = SeededWorld.objects.filter(pk=self.world_id).values_list(
                "scenario_data", flat=True).get()
            if self.scenario_sha256:
                _world_scenarios[key] = data
        return data

    @scenario_data.setter
    def scenario_data(self, value: dict[str, Any]) -> None:
        self.own_scenario_data = value

    @property
    def pinned(self) -> bool:
        """Whether the scenario was kept with the space (told without reading it)."""
        return bool(self.own_scenario_data) or (self.world_id is not None
                                                and bool(self.scenario_sha256))


class Inject(models.Model):
    """A timeline event of the scenario, due at a simulated time (or after an action)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="injects")
    ref = models.CharField(_("reference"), max_length=100)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    trigger = models.JSONField(_("trigger"), default=dict, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    fired_at = models.DateTimeField(_("fired"), null=True, blank=True)

    class Meta:
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        indexes = [models.Index(fields=["space", "fired_at", "due_at"])]

    def __str__(self) -> str:
        return self.ref


class Message(models.Model):
    """A message to trainees in a space: an inject, a supervisor's comment, a phone call."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="messages")
    to_member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="messages")
    sender = models.JSONField(_("sender"), default=dict)
    body = models.JSONField(_("message"), default=dict)
    sim_time = models.DateTimeField(_("simulated time"))
    inject_ref = models.CharField(_("inject"), max_length=100, blank=True)
    case_display_id = models.CharField(_("case"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-sim_time", "-pk"]

    def __str__(self) -> str:
        return pick(self.body)[:60]


class Progress(models.Model):
    """A space's attempt as the live board shows it: steps met, stage, last action, score
    so far. Written when a board finds the space moved since (its event counter or its
    clock changed), read as it is otherwise: a poll reads, it does not score again.

    Written by `sandbox.scoring.progress`; kept here, with the space's other rows
    (`snapshot.TABLES`): a reset removes it with them, and the next board scores the
    fresh start.
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


def forget_unused_worlds(pks: set[int]) -> int:
    """Delete those of these seeded worlds that no space was copied from any more."""
    if not pks:
        return 0
    deleted, _by_model = SeededWorld.objects.filter(pk__in=pks, seeds__isnull=True).delete()
    return deleted


def seed_deleted(sender: type[SpaceSeed], instance: SpaceSeed, **kwargs: Any) -> None:
    """When a space copied from a seeded world goes, its world goes with the last of them,
    once the deletion commits: the first check after the commit takes every world noted
    (one query, whatever the number of spaces); a rolled back deletion's are checked at
    the next, harmlessly."""
    from django.db import transaction

    if instance.world_id is None:
        return
    _pending.__dict__.setdefault("worlds", set()).add(instance.world_id)
    transaction.on_commit(_check_pending)


def _check_pending() -> None:
    forget_unused_worlds(_pending.__dict__.pop("worlds", set()))
