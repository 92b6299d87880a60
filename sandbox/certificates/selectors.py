"""Who meets a workshop's certificate criteria, and the certificates there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404

from sandbox.accounts.models import User
from sandbox.quizzes.selectors import post_test_percent
from sandbox.workshops.models import Attempt, Enrolment, Workshop

from .models import Certificate, Criteria, PresentDay


def criteria_of(workshop: Workshop) -> Criteria:
    """The workshop's criteria (the defaults, unsaved, until the trainer sets them)."""
    return Criteria.objects.filter(workshop=workshop).first() or Criteria(workshop=workshop)


@dataclass
class Standing:
    enrolment: Enrolment
    days: int
    joined: int
    passed: int
    post_test: float | None
    criteria: Criteria
    certificate: Certificate | None

    @property
    def meets(self) -> bool:
        c = self.criteria
        post_ok = c.min_post_test_percent == 0 or (
            self.post_test is not None and self.post_test >= c.min_post_test_percent)
        return (self.days >= c.min_days_present and self.joined >= c.min_exercises_joined
                and self.passed >= c.min_exercises_passed and post_ok)


def standings(workshop: Workshop) -> list[Standing]:
    """Every trainee against the criteria, in a constant number of queries."""
    criteria = criteria_of(workshop)
    joined: dict[int, set[int]] = defaultdict(set)
    passed: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, exercise_id, report_passed in Attempt.objects.filter(
            exercise__workshop=workshop).values_list("enrolment_id", "exercise_id", "report__passed"):
        joined[enrolment_id].add(exercise_id)
        if report_passed:
            passed[enrolment_id].add(exercise_id)
    posts = post_test_percent(workshop)
    days: dict[int, int] = defaultdict(int)
    for user_id in PresentDay.objects.filter(
            user__enrolments__workshop=workshop, day__gte=workshop.starts_on,
            day__lte=workshop.ends_on).values_list("user_id", flat=True):
        days[user_id] += 1
    valid = {c.enrolment_id: c for c in Certificate.objects.filter(workshop=workshop,
                                                                   revoked_at=None)}
    return [Standing(e, days[e.user_id], len(joined[e.pk]), len(passed[e.pk]), posts.get(e.pk), criteria,
                     valid.get(e.pk)) for e in workshop.enrolments.select_related("user")]


def issued(workshop: Workshop) -> list[Certificate]:
    return list(Certificate.objects.filter(workshop=workshop).order_by("holder_name", "-issued_at"))


def certificate_in(workshop: Workshop, pk: int) -> Certificate:
    found = Certificate.objects.filter(workshop=workshop, pk=pk).first()
    if found is None:
        raise Http404("No such certificate.")
    return found


def my_certificate(user: User, workshop_pk: int) -> Certificate | None:
    """The trainee's own valid certificate of the workshop, if one was issued."""
    return Certificate.objects.filter(workshop_id=workshop_pk, enrolment__user=user,
                                      revoked_at=None).first()


def normalise_code(text: str) -> str:
    """What a person typed, as codes are stored: capitals, dashes every five characters."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(raw[i:i + 5] for i in range(0, len(raw), 5))


def by_code(text: str) -> Certificate | None:
    code = normalise_code(text)
    return Certificate.objects.filter(code=code).first() if code else None
