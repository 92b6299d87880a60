"""What a trainee has to do: the exercises of their workshops and their attempts.

Reads for the trainee's pages and the home page; every query starts from the
trainee's own enrolments, so nobody else's attempt can come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.accounts.models import User

from ..models import Attempt, Enrolment, Exercise


@dataclass
class Assignment:
    """An exercise of the trainee's workshop, with every attempt they made at it."""

    exercise: Exercise
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def current(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def running(self) -> bool:
        return self.exercise.status == Exercise.Status.RUNNING

    @property
    def can_work(self) -> bool:
        current = self.current
        return self.running and current is not None and current.space is not None

    @property
    def can_submit(self) -> bool:
        return self.can_work and self.current is not None \
            and self.current.status == Attempt.Status.IN_PROGRESS

    @property
    def can_retry(self) -> bool:
        return self.can_work and self.exercise.allow_retry and self.current is not None \
            and self.current.status == Attempt.Status.SUBMITTED

    @property
    def best(self) -> float | None:
        scores = [a.report.percent for a in self.attempts if a.report is not None]
        return max(scores) if scores else None


def assignments(enrolment: Enrolment) -> list[Assignment]:
    """The workshop's exercises (not started ones too: trainees see what is coming)."""
    found = {e.pk: Assignment(e) for e in enrolment.workshop.exercises.order_by("pk")}
    for attempt in (enrolment.attempts.select_related("space", "report")
                    .order_by("exercise_id", "number")):
        if attempt.exercise_id in found:
            attempt.exercise = found[attempt.exercise_id].exercise
            found[attempt.exercise_id].attempts.append(attempt)
    return list(found.values())


@dataclass
class EnrolledWorkshop:
    enrolment: Enrolment
    assignments: list[Assignment]


def enrolled_workshops(user: User) -> list[EnrolledWorkshop]:
    """The workshops a trainee is enrolled in, newest first, with their assignments."""
    enrolments = (Enrolment.objects.filter(user=user).select_related("workshop")
                  .order_by("-workshop__starts_on", "workshop__title"))
    return [EnrolledWorkshop(e, assignments(e)) for e in enrolments]
