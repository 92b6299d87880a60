"""Reading knowledge checks: whose they are, and the pre/post comparison of a workshop."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.http import Http404

from sandbox.accounts.models import User
from sandbox.workshops.models import Enrolment, Workshop

from .models import QuizAssignment, QuizResponse


def my_assignment(user: User, pk: int) -> tuple[QuizAssignment, Enrolment]:
    """A quiz assigned to a workshop the user is a trainee of; 404 otherwise."""
    found = QuizAssignment.objects.filter(pk=pk, workshop__enrolments__user=user).select_related(
        "workshop").first()
    if found is None:
        raise Http404("No such knowledge check.")
    return found, Enrolment.objects.get(workshop=found.workshop, user=user)


def my_response(assignment: QuizAssignment, enrolment: Enrolment) -> QuizResponse | None:
    return QuizResponse.objects.filter(assignment=assignment, enrolment=enrolment).first()


def assignments_of(workshop: Workshop) -> dict[str, QuizAssignment]:
    return {a.kind: a for a in QuizAssignment.objects.filter(workshop=workshop)}


@dataclass
class Row:
    enrolment: Enrolment
    pre: float | None  # percent
    post: float | None

    @property
    def change(self) -> float | None:
        return None if self.pre is None or self.post is None else self.post - self.pre

    @property
    def change_points(self) -> int | None:
        """The change in whole percentage points, as the page shows it."""
        return None if self.change is None else round(self.change)


@dataclass
class Cohort:
    """Figures over the trainees who took the test (both tests for `improved`)."""

    pre_taken: int
    post_taken: int
    pre_mean: float | None
    post_mean: float | None
    pre_median: float | None
    post_median: float | None
    both: int
    improved: int
    mean_change: float | None


def _stats(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), statistics.median(values)


def comparison(workshop: Workshop) -> tuple[list[Row], Cohort]:
    """Each trainee's pre and post score (percent) and the cohort's figures, in two queries."""
    percents: dict[tuple[int, str], float] = {}
    for response in QuizResponse.objects.filter(assignment__workshop=workshop).select_related(
            "assignment"):
        percents[(response.enrolment_id, response.assignment.kind)] = response.percent
    rows = [Row(e, percents.get((e.pk, "pre")), percents.get((e.pk, "post")))
            for e in workshop.enrolments.select_related("user")]
    pre = [r.pre for r in rows if r.pre is not None]
    post = [r.post for r in rows if r.post is not None]
    changes = [r.change for r in rows if r.change is not None]
    pre_mean, pre_median = _stats(pre)
    post_mean, post_median = _stats(post)
    return rows, Cohort(len(pre), len(post), pre_mean, post_mean, pre_median, post_median,
                        len(changes), sum(1 for c in changes if c > 0),
                        statistics.fmean(changes) if changes else None)


def post_test_percent(workshop: Workshop) -> dict[int, float]:
    """Each enrolment's post-test score (percent), for those who took it."""
    return {r.enrolment_id: r.percent for r in QuizResponse.objects.filter(
        assignment__workshop=workshop, assignment__kind=QuizAssignment.Kind.POST)}
