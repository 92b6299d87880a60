"""Only the trainer of a job's workshop (and administrators) see it: the fixed cast."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.jobs.models import Job
from tests.workshops.conftest import OTHER_TITLE, TITLE, Cast

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_trainer", "trainee", "other_trainee")


@pytest.fixture
def job(cast: Cast) -> Job:
    return Job.objects.create(kind="trainees.import", target=f"workshop:{cast.workshop.pk}",
                              workshop=cast.workshop, started_by=cast.trainer, status=Job.Status.DONE,
                              result={"count": 1, "credentials": [
                                  {"name": "Grace Mensah", "username": "grace", "email": "g@example.org",
                                   "password": "secret-pw-123", "language": "en"}]})


def _url(name: str, cast: Cast, job: Job) -> str:
    return reverse(name, kwargs={"pk": cast.workshop.pk, "job": job.pk})


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_not_found_and_learn_nothing(client: Client, cast: Cast, job: Job, who: str) -> None:
    client.force_login(getattr(cast, who))
    for response in (client.get(_url("jobs:progress", cast, job)),
                     client.post(_url("workshops:import_credentials", cast, job))):
        assert response.status_code == 404
        assert "secret-pw-123" not in response.content.decode()
        assert TITLE not in response.content.decode()
    job.refresh_from_db()
    assert job.result["credentials"]  # still waiting for its trainer


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, cast: Cast, job: Job) -> None:
    for response in (client.get(_url("jobs:progress", cast, job)),
                     client.post(_url("workshops:import_credentials", cast, job))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_trainer_and_an_administrator_see_the_progress(client: Client, cast: Cast, job: Job) -> None:
    for who in ("trainer", "administrator"):
        client.force_login(getattr(cast, who))
        response = client.get(_url("jobs:progress", cast, job))
        assert response.status_code == 200 and "1 trainee added from the file." in response.content.decode()


def test_only_the_importing_trainer_gets_the_passwords(client: Client, cast: Cast, job: Job) -> None:
    client.force_login(cast.administrator)
    response = client.post(_url("workshops:import_credentials", cast, job), follow=True)
    assert "secret-pw-123" not in response.content.decode()
    client.force_login(cast.trainer)
    response = client.post(_url("workshops:import_credentials", cast, job))
    assert response.status_code == 200 and "secret-pw-123" in response.content.decode()
    job.refresh_from_db()
    assert job.result["credentials"] == []


def test_a_job_of_another_workshop_is_not_found_through_this_one(client: Client, cast: Cast) -> None:
    other = Job.objects.create(kind="exercise.reset", target="exercise:0", workshop=cast.other_workshop,
                               started_by=cast.other_trainer)
    client.force_login(cast.trainer)
    response = client.get(reverse("jobs:progress", kwargs={"pk": cast.workshop.pk, "job": other.pk}))
    assert response.status_code == 404 and OTHER_TITLE not in response.content.decode()
