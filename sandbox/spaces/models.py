"""Spaces: the unit of isolation. One space holds one practice world.

Every row of case data carries its space, and every read goes through the
space-scoped selectors of `sandbox.cases.selectors`. A space has its own
simulated clock, which moves only when someone advances it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sandbox.common.i18n import pick
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import BundleConfig, ModuleDef, RoleDef, get_config


class Space(models.Model):
    """A practice world: its cases, events, members and simulated clock."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="spaces",
                               verbose_name=_("configuration bundle"))
    module = models.CharField(_("module"), max_length=100, default="cp")
    clock = models.DateTimeField(_("simulated time"))
    case_counter = models.PositiveIntegerField(_("cases numbered so far"), default=0)
    event_counter = models.PositiveIntegerField(_("events so far"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: Set by the layer that lends the space out (a workshop closing its exercise):
    #: nobody writes in a closed space any more; simulated actors and resets are not writing.
    closed_at = models.DateTimeField(_("closed for writing"), null=True, blank=True)
    #: A time limit, in real time: after it, people no longer write in the space.
    writing_ends_at = models.DateTimeField(_("writing ends"), null=True, blank=True)
    submit_when_time_is_up = models.BooleanField(_("submitted when the time is up"), default=False)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def config(self) -> BundleConfig:
        return get_config(self.bundle)

    @property
    def module_config(self) -> ModuleDef:
        return self.config.modules[self.module]

    def stopped(self, now: datetime | None = None) -> str:
        """Why people may no longer write here: "closed", "time_up", or "" (they may)."""
        if self.closed_at is not None:
            return "closed"
        if self.writing_ends_at is not None and (now or timezone.now()) >= self.writing_ends_at:
            return "time_up"
        return ""

    def advance_clock(self, delta: timedelta) -> datetime:
        """Move the simulated clock forward (never back)."""
        if delta.total_seconds() <= 0:
            raise ValueError("the clock only moves forward")
        self.clock = self.clock + delta
        Space.objects.filter(pk=self.pk).update(clock=self.clock)
        return self.clock


class Member(models.Model):
    """Someone who acts in a space's world, with an in-world role.

    A member is a real user (a trainee playing the case worker, say) or a
    simulated actor (a scripted supervisor, a service provider). Cases are owned
    by members, and every event names the member who acted.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                             blank=True, related_name="memberships")
    name = models.CharField(_("name in the world"), max_length=200)
    role = models.CharField(_("role"), max_length=100)
    agency = models.CharField(_("agency"), max_length=100)
    user_groups = models.JSONField(_("user groups"), default=list, blank=True)
    is_simulated = models.BooleanField(_("simulated actor"), default=False)
    ref = models.SlugField(_("reference"), max_length=80, blank=True,
                           help_text=_("How scenario files name this member."))

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint("space", "user", name="member_unique_user",
                                    condition=models.Q(user__isnull=False)),
        ]
        indexes = [models.Index(fields=["space", "role"])]

    def __str__(self) -> str:
        return self.name

    def role_def(self, config: BundleConfig) -> RoleDef:
        return config.roles[self.role]

    def role_name(self, config: BundleConfig) -> str:
        role = config.roles.get(self.role)
        return pick(role.name) if role else self.role
