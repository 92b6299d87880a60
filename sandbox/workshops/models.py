"""Remote workshops: cohorts of trainees, role-play pairs, exercises and attempts."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.scoring.models import Report
from sandbox.spaces.models import Space


def new_join_code() -> str:
    # No 0/O or 1/I: trainees type it from a shared screen.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Workshop(models.Model):
    """A training event: a five-day ToT, a two-hour step-down session..."""

    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default="en")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    organisations = models.CharField(_("organisations"), max_length=500, blank=True)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="workshops_led", verbose_name=_("trainer"))
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    joining_open = models.BooleanField(_("trainees may join with the code"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A trainee in a workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="enrolments")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["user__last_name", "user__first_name", "user__username"]
        constraints = [models.UniqueConstraint("workshop", "user", name="enrolment_once")]

    def __str__(self) -> str:
        return str(self.user)


class Pair(models.Model):
    """Two trainees who play together in one space: a case worker and a supervisor."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("plays the first trainee role (case worker)"))
    second = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("plays the second trainee role (supervisor)"))

    class Meta:
        verbose_name = _("role-play pair")
        verbose_name_plural = _("role-play pairs")

    def __str__(self) -> str:
        return f"{self.first} + {self.second}"


class Exercise(models.Model):
    """A scenario assigned to the workshop's trainees, alone or in pairs."""

    class Mode(models.TextChoices):
        INDIVIDUAL = "individual", _("Each trainee alone")
        PAIRS = "pairs", _("Role-play pairs")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not started")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="exercises")
    scenario_id = models.CharField(_("scenario"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.INDIVIDUAL)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    allow_retry = models.BooleanField(_("trainees may try again"), default=False)
    late_joiners = models.BooleanField(
        _("trainees who join after the start get a space at once"), default=False)
    submit_when_time_is_up = models.BooleanField(
        _("submit each attempt automatically when its time is up"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    #: The trainer showed the scenario's model answer in the trainees' reports.
    solution_released_at = models.DateTimeField(_("model answer released"), null=True, blank=True)

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Attempt(models.Model):
    """One go of a trainee (or a pair) at an exercise, in their own space.

    Every attempt is kept: a retry starts a new attempt in the same space, reset.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    pair = models.ForeignKey(Pair, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="attempts")
    space = models.ForeignKey(Space, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="attempts")
    number = models.PositiveIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["exercise", "enrolment", "number"]
        constraints = [models.UniqueConstraint("exercise", "enrolment", "number",
                                               name="attempt_number_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} #{self.number}"


class Observation(models.Model):
    """The trainer looked at a trainee's space from the board (read-only): kept as an audit
    trail that the trainer and administrators can read."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="observations")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="observations")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("observer"))
    at = models.DateTimeField(_("looked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("look at a trainee's space")
        verbose_name_plural = _("looks at trainees' spaces")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.observer} → {self.attempt}"


class QueuedStatement(models.Model):
    """An xAPI statement of a submitted attempt, waiting to reach the learning record store
    (the outbox). Its content is fixed when the attempt is submitted, so that a resend is the
    same statement with the same id, which the store keeps once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the store")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="statements")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.UUIDField(_("statement id"), unique=True)
    verb = models.CharField(_("verb"), max_length=20)
    #: The step the statement is about; empty for the attempt's "completed".
    step = models.CharField(_("step"), max_length=100, blank=True)
    payload = models.JSONField(_("statement"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("xAPI statement in the outbox")
        verbose_name_plural = _("xAPI statements in the outbox")
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.statement_id}"
