"""Knowledge checks assigned to a workshop, and the trainees' answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.workshops.models import Enrolment, Workshop


class QuizAssignment(models.Model):
    """A quiz given to a workshop's trainees as its pre-test or its post-test."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="quizzes")
    quiz_id = models.CharField(_("quiz"), max_length=80)
    kind = models.CharField(_("taken as"), max_length=10, choices=Kind.choices)
    is_open = models.BooleanField(_("trainees may take it"), default=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge check")
        verbose_name_plural = _("knowledge checks")
        ordering = ["workshop", "kind"]
        constraints = [models.UniqueConstraint("workshop", "kind", name="one_quiz_per_kind")]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.get_kind_display()}"


class QuizResponse(models.Model):
    """A trainee's answers to an assigned quiz, scored when submitted (taken once)."""

    assignment = models.ForeignKey(QuizAssignment, on_delete=models.CASCADE,
                                   related_name="responses")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE,
                                  related_name="quiz_responses")
    #: {question id: the option id or true/false chosen}.
    answers = models.JSONField(_("answers"), default=dict)
    correct = models.PositiveIntegerField(_("right answers"))
    total = models.PositiveIntegerField(_("questions"))
    quiz_version = models.PositiveIntegerField(_("quiz version"))
    language = models.CharField(_("language"), max_length=10)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz answers")
        verbose_name_plural = _("quiz answers")
        ordering = ["assignment", "enrolment"]
        constraints = [models.UniqueConstraint("assignment", "enrolment", name="quiz_taken_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.correct}/{self.total}"

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0
