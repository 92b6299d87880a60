"""A long operation a trainer started (starting an exercise for a large cohort, resetting
every space, importing trainees, issuing certificates, sending xAPI statements), run by a
worker or in-process, with its progress and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One run of a job kind on one target. At most one job per (kind, target) is queued
    or running at a time: the partial unique constraint makes a double click, or a second
    trainer starting the same thing, find the first job instead of starting another."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=60)
    #: What the job is about, as "exercise:12" or "workshop:3": the key of the one-active rule.
    target = models.CharField(_("target"), max_length=100)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("started by"))
    workshop = models.ForeignKey("workshops.Workshop", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="jobs",
                                 verbose_name=_("workshop"))
    exercise = models.ForeignKey("workshops.Exercise", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="jobs",
                                 verbose_name=_("exercise"))
    #: The job's input (an imported file's rows, chosen ids): read by whichever server runs it.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    #: The job's outcome for the page (counts; an import's new credentials until shown once).
    result = models.JSONField(_("result"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    #: The language of whoever started it: messages and errors are written in it.
    language = models.CharField(_("language"), max_length=10, default="en")
    #: Shown to the user when the job failed: a sentence, never a traceback.
    error = models.TextField(_("error"), blank=True)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: Last sign of life of the worker running it: a running job silent for longer than
    #: JOBS_STALE_SECONDS was interrupted (worker killed, server restarted).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "target"],
                                    condition=Q(status__in=["queued", "running"]),
                                    name="jobs_one_active_per_target"),
        ]
        indexes = [models.Index(fields=["workshop", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
