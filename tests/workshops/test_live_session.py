"""The live session: what closing an exercise does to trainees' spaces, late joiners,
time limits, and the trainer's presenter and observer views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sandbox.cases.models import Case
from sandbox.cases.services.notes import note_add
from sandbox.common.errors import Conflict
from sandbox.scoring.models import Report
from sandbox.scoring.services import submit_for
from sandbox.spaces.models import Member
from sandbox.workshops import services
from sandbox.workshops.models import Attempt

from .conftest import Cast, attempt_of, start

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _member(attempt: Attempt) -> Member:
    return Member.objects.get(space=attempt.space, user=attempt.enrolment.user)


# -- closing reaches trainees --------------------------------------------------------------


def test_closing_scores_an_untouched_attempt_zero(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    report = attempt_of(exercise, cast.classmate).report
    assert report is not None and report.score == 0 and report.percent == 0


def test_after_closing_nobody_writes_or_submits_in_the_space(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    member = _member(mine)
    case = Case.objects.filter(space=mine.space).first()
    reports = Report.objects.count()
    with pytest.raises(Conflict) as refused:
        note_add(actor=member, case=case, subject="late", text="after closing")  # type: ignore[arg-type]
    assert refused.value.code == "space_closed"
    with pytest.raises(Conflict):
        submit_for(member)
    assert Report.objects.count() == reports  # no stray report the results would ignore


def test_closed_space_refuses_api_writes_with_409_and_the_error_shape(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    client = client_for(cast.trainee)
    slug = mine.space.slug  # type: ignore[union-attr]
    for url, body in ((f"/api/v1/spaces/{slug}/cases/", {"data": {}}),
                      (f"/api/v1/spaces/{slug}/exercise/clock/", {"by": "1h"}),
                      (f"/api/v1/spaces/{slug}/score/submit/", {})):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 409, (url, response.content)
        assert response.json()["error"]["code"] == "space_closed"
        assert "closed" in response.json()["error"]["message"]
    response = client.post(f"/api/v1/attempts/{mine.pk}/submit/")
    assert response.status_code == 409


def test_closed_exercise_is_shown_closed_to_the_trainee(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    mine.refresh_from_db()
    client = client_for(cast.trainee)
    page = client.get(reverse("workshops:mine", kwargs={"pk": cast.workshop.pk})).content.decode()
    assert "exercise-closed" in page and "submit-attempt" not in page
    space_page = client.get(reverse("simulation:exercise", kwargs={"space": mine.space.slug})).content.decode()  # type: ignore[union-attr]
    assert "space-stopped" in space_page and 'id="submit-attempt"' not in space_page
    report = client.get(reverse("scoring:report", kwargs={"space": mine.space.slug,  # type: ignore[union-attr]
                                                         "pk": mine.report_id}))
    assert "space-stopped" in report.content.decode()
    assert "report-try-again" not in report.content.decode()
    refused = client.post(reverse("scoring:try_again", kwargs={"space": mine.space.slug}))  # type: ignore[union-attr]
    assert refused.status_code == 302
    assert Case.objects.filter(space=mine.space).exists()
