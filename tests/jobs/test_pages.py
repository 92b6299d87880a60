"""The pages that start jobs, and the progress fragment they poll."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sandbox.accounts.models import User
from sandbox.jobs.models import Job
from sandbox.workshops import services
from sandbox.workshops.models import Attempt, Enrolment, Exercise
from tests.workshops.conftest import Cast

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _exercise(cast: Cast) -> Exercise:
    return services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini")


def test_a_large_cohort_starts_through_a_job_shown_on_the_exercise_page(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_START_THRESHOLD = 2
    exercise = _exercise(cast)
    url = reverse("workshops:start", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk})
    page = _client(cast.trainer).post(url, follow=True).content.decode()
    job = Job.objects.get(kind="exercise.start")
    assert job.status == Job.Status.DONE and job.started_by == cast.trainer
    assert Attempt.objects.filter(exercise=exercise).count() == 2
    assert f'id="job-{job.pk}"' in page and 'data-status="done"' in page
    assert "Exercise started: 2 practice spaces are ready." in page


def test_a_small_cohort_still_starts_in_the_request(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_START_THRESHOLD = 3
    exercise = _exercise(cast)
    _client(cast.trainer).post(reverse("workshops:start", kwargs={"pk": cast.workshop.pk,
                                                                  "ex": exercise.pk}))
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING and not Job.objects.exists()


def test_resetting_everyone_is_a_job(cast: Cast) -> None:
    exercise = _exercise(cast)
    services.exercise_start(by=cast.trainer, exercise=exercise)
    url = reverse("workshops:reset", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk})
    page = _client(cast.trainer).post(url, {"confirm": "yes"}, follow=True).content.decode()
    job = Job.objects.get(kind="exercise.reset")
    assert (job.status, job.result["count"], job.done, job.total) == (Job.Status.DONE, 2, 2, 2)
    assert "2 attempts reset." in page


def test_issuing_certificates_is_a_job_and_a_refusal_shows_its_message(cast: Cast) -> None:
    url = reverse("certificates:issue", kwargs={"pk": cast.workshop.pk})
    enrolment = Enrolment.objects.get(workshop=cast.workshop, user=cast.trainee)
    page = _client(cast.trainer).post(url, {"enrolment": [enrolment.pk]}, follow=True).content.decode()
    job = Job.objects.get(kind="certificates.issue")
    assert job.params == {"enrolment_ids": [enrolment.pk]}
    assert job.status in (Job.Status.DONE, Job.Status.FAILED)
    assert (job.error or str(job.result["count"])) in page


ROWS = "".join(f"Trainee {n},t{n}@example.org,DSW,fr\n" for n in range(4))


def test_a_long_import_runs_as_a_job_and_shows_the_passwords_once(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_IMPORT_THRESHOLD = 3
    client = _client(cast.trainer)
    upload = SimpleUploadedFile("cohort.csv", ("name,email,organisation,language\n" + ROWS).encode())
    response = client.post(reverse("workshops:trainees_import", kwargs={"pk": cast.workshop.pk}),
                           {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="new-accounts"' in page
    job = Job.objects.get(kind="trainees.import")
    assert job.status == Job.Status.DONE and job.result["count"] == 4
    # The job kept the rows it read, not the file; the passwords left it with this page.
    assert [row["email"] for _line, row in job.params["rows"]] == [f"t{n}@example.org" for n in range(4)]
    assert job.result["credentials"] == [] and job.result["credentials_shown"]
    assert User.objects.filter(email__startswith="t", kind=User.Kind.TRAINEE,
                               enrolments__workshop=cast.workshop).count() == 4
    again = client.post(reverse("workshops:import_credentials",
                                kwargs={"pk": cast.workshop.pk, "job": job.pk}), follow=True)
    assert "already shown once" in again.content.decode()


def test_a_bad_long_file_is_refused_at_once_with_its_lines(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_IMPORT_THRESHOLD = 2
    text = "name,email\nA,a@example.org\nB,not-an-address\nC,c@example.org\n"
    response = _client(cast.trainer).post(
        reverse("workshops:trainees_import", kwargs={"pk": cast.workshop.pk}),
        {"file": SimpleUploadedFile("cohort.csv", text.encode())})
    assert response.status_code == 400
    assert "cohort.csv:3: email" in response.content.decode()
    assert not Job.objects.exists()


def _progress(cast: Cast, job: Job) -> str:
    url = reverse("jobs:progress", kwargs={"pk": cast.workshop.pk, "job": job.pk})
    response = _client(cast.trainer).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_fragment_polls_while_the_job_is_active_and_stops_after(cast: Cast) -> None:
    job = Job.objects.create(kind="exercise.reset", target="exercise:0", workshop=cast.workshop,
                             started_by=cast.trainer)
    queued = _progress(cast, job)
    assert 'hx-trigger="every 2s"' in queued and "Waiting for a worker" in queued
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result={"count": 7},
                                         finished_at=timezone.now())
    done = _progress(cast, job)
    assert "hx-trigger" not in done and "7 attempts reset." in done
    polled = Client()
    polled.force_login(cast.trainer)
    response = polled.get(reverse("jobs:progress", kwargs={"pk": cast.workshop.pk, "job": job.pk}),
                          headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"  # the page shows the job's effect


def test_polling_an_interrupted_job_restarts_it_and_says_so(cast: Cast) -> None:
    exercise = _exercise(cast)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    job = Job.objects.create(kind="exercise.start", target=f"exercise:{exercise.pk}",
                             started_by=cast.trainer, workshop=cast.workshop, exercise=exercise,
                             status=Job.Status.RUNNING, tries=1, heartbeat_at=long_ago)
    page = _progress(cast, job)
    assert 'data-status="done"' in page and "The first run was interrupted" in page
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.RUNNING
