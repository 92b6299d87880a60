"""The model answer: released (and withdrawn) by the trainer, shown step by step in the
trainees' reports only then, in their language, with no action code; a trainee can
neither release it nor read another trainee's report."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.common.errors import NotAllowed
from sandbox.simulation.services import play_solution
from sandbox.workshops import services
from sandbox.workshops.models import Attempt, Exercise

from .conftest import Cast, attempt_of, start

pytestmark = pytest.mark.django_db


def _submitted(cast: Cast) -> tuple[Exercise, Attempt]:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    return exercise, services.attempt_submit(user=cast.trainee, attempt=mine)


def _report_page(client: Client, attempt: Attempt, language: str = "en") -> tuple[int, str]:
    report = attempt.report
    assert report is not None and attempt.space is not None
    response = client.get(reverse("scoring:report", kwargs={"space": attempt.space.slug,
                                                            "pk": report.pk}),
                          HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, response.content.decode()


def _release(client: Client, exercise: Exercise, release: str) -> int:
    url = reverse("workshops:solution", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    return client.post(url, {"release": release}).status_code


def test_the_model_answer_shows_only_once_released(client: Client, cast: Cast,
                                                   scenarios: Path) -> None:
    exercise, mine = _submitted(cast)
    client.force_login(cast.trainee)
    status, page = _report_page(client, mine)
    assert status == 200 and 'id="model-answer"' not in page
    assert _release(client, exercise, "yes") == 404  # a trainee cannot release it

    trainer = Client()
    trainer.force_login(cast.trainer)
    assert _release(trainer, exercise, "yes") == 302
    exercise.refresh_from_db()
    assert exercise.solution_released_at is not None
    status, page = _report_page(client, mine)
    assert status == 200 and 'id="model-answer"' in page
    steps = page[page.index('id="model-answer"'):]
    assert "Case registered" in steps and "Case referred" in steps
    assert "case.register" not in steps and "referral.create" not in steps

    assert _release(trainer, exercise, "no") == 302
    status, page = _report_page(client, mine)
    assert 'id="model-answer"' not in page


def test_the_model_answer_reads_in_the_trainees_language(client: Client, cast: Cast,
                                                         scenarios: Path) -> None:
    exercise, mine = _submitted(cast)
    services.solution_release(by=cast.trainer, exercise=exercise, released=True)
    cast.trainee.language = "fr"
    cast.trainee.save(update_fields=["language"])
    client.force_login(cast.trainee)
    status, page = _report_page(client, mine, "fr")
    assert status == 200
    steps = page[page.index('id="model-answer"'):]
    assert "Cas enregistré" in steps and "Cas référé" in steps
    assert "case.register" not in steps


def test_a_trainee_cannot_release_and_others_reports_stay_private(client: Client, cast: Cast,
                                                                  scenarios: Path) -> None:
    exercise, mine = _submitted(cast)
    with pytest.raises(NotAllowed):
        services.solution_release(by=cast.trainee, exercise=exercise, released=True)
    services.solution_release(by=cast.trainer, exercise=exercise, released=True)
    for outsider in (cast.classmate, cast.other_trainee):
        client.force_login(outsider)
        status, page = _report_page(client, mine)
        assert status == 404 and "model-answer" not in page
        client.logout()


def test_the_trainer_reads_the_model_answer_with_each_report(client: Client, cast: Cast,
                                                             scenarios: Path) -> None:
    exercise, mine = _submitted(cast)
    client.force_login(cast.trainer)
    page = client.get(reverse("workshops:report", kwargs={
        "pk": exercise.workshop_id, "ex": exercise.pk, "attempt": mine.pk})).content.decode()
    assert 'id="model-answer"' in page
    detail = client.get(reverse("workshops:exercise", kwargs={
        "pk": exercise.workshop_id, "ex": exercise.pk})).content.decode()
    assert 'id="solution-release"' in detail
