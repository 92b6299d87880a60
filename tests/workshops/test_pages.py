"""The workshop pages: they render, their forms work, and errors show on the page."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.simulation.models import Message
from sandbox.simulation.services import play_solution
from sandbox.workshops import services
from sandbox.workshops.models import Attempt, Enrolment, Exercise, Pair, Workshop

from .conftest import TITLE, Cast, attempt_of, start

pytestmark = pytest.mark.django_db


def body(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.fixture
def as_trainer(client: Client, cast: Cast) -> Client:
    client.force_login(cast.trainer)
    return client


def detail(cast: Cast) -> str:
    return reverse("workshops:detail", kwargs={"pk": cast.workshop.pk})


def ex_url(name: str, exercise: Exercise, **kwargs: object) -> str:
    return reverse(f"workshops:{name}", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk,
                                                **kwargs})


# -- the list and a new workshop ----------------------------------------------------------


def test_list_shows_my_workshops_and_the_new_workshop_form(as_trainer: Client, cast: Cast) -> None:
    page = body(as_trainer.get(reverse("workshops:list")))
    assert TITLE in page and 'id="workshop-form"' in page
    assert "Tazrit" not in page  # another trainer's workshop


def test_create_a_workshop(as_trainer: Client, cast: Cast) -> None:
    response = as_trainer.post(reverse("workshops:list"), {
        "title": "Kenya DCS refresher", "language": "fr", "starts_on": "2026-04-01",
        "ends_on": "2026-04-03", "organisations": "DCS"})
    workshop = Workshop.objects.get(title="Kenya DCS refresher")
    assert response.status_code == 302 and response["Location"] == reverse(
        "workshops:detail", kwargs={"pk": workshop.pk})
    assert workshop.trainer == cast.trainer and workshop.language == "fr"


def test_create_errors_are_shown_and_the_form_kept(as_trainer: Client) -> None:
    response = as_trainer.post(reverse("workshops:list"), {
        "title": "Backwards", "language": "en", "starts_on": "2026-04-03", "ends_on": "2026-04-01"})
    assert response.status_code == 400
    page = body(response)
    assert "The last day is before the first day." in page or "Before the first day." in page
    assert 'value="Backwards"' in page
    assert not Workshop.objects.filter(title="Backwards").exists()


def test_a_trainee_sees_their_workshops_but_cannot_create(client: Client, cast: Cast) -> None:
    client.force_login(cast.trainee)
    page = body(client.get(reverse("workshops:list")))
    assert reverse("workshops:mine", kwargs={"pk": cast.workshop.pk}) in page
    assert 'id="workshop-form"' not in page
    response = client.post(reverse("workshops:list"), {
        "title": "Mine", "language": "en", "starts_on": "2026-04-01", "ends_on": "2026-04-02"})
    assert response.status_code == 403
    assert "Only trainers can create workshops." in body(response)
    assert not Workshop.objects.filter(title="Mine").exists()


# -- one workshop -------------------------------------------------------------------------


def test_workshop_page_shows_trainees_code_and_forms(as_trainer: Client, cast: Cast) -> None:
    page = body(as_trainer.get(detail(cast)))
    assert cast.workshop.join_code in page
    assert 'data-trainee="amani"' in page and 'data-trainee="zanele"' in page
    for form in ("trainee-form", "import-form", "pair-form", "exercise-form"):
        assert f'id="{form}"' in page
    assert 'value="mini"' in page  # the scenario select


def test_joining_can_be_closed_and_opened(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:joining", kwargs={"pk": cast.workshop.pk})
    assert as_trainer.post(url, {"open": "no"}).status_code == 302
    cast.workshop.refresh_from_db()
    assert not cast.workshop.joining_open
    as_trainer.post(url, {"open": "yes"})
    cast.workshop.refresh_from_db()
    assert cast.workshop.joining_open


def test_add_a_trainee_shows_the_password_once(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:trainee_add", kwargs={"pk": cast.workshop.pk})
    response = as_trainer.post(url, {"name": "Grace Mensah", "email": "grace@example.org",
                                     "organisation": "DSW", "language": "en"}, follow=True)
    page = body(response)
    assert 'data-new-account="grace"' in page
    password = re.search(r'class="new-password[^"]*">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    assert User.objects.get(username="grace").check_password(password)
    assert 'data-new-account="grace"' not in body(as_trainer.get(detail(cast)))
    # Shown in that answer only: stored nowhere on the server, not even in the session.
    assert "no-store" in response["Cache-Control"]
    from django.contrib.sessions.models import Session

    assert not any(password in str(s.get_decoded()) for s in Session.objects.all())


def test_add_a_trainee_errors_are_shown(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:trainee_add", kwargs={"pk": cast.workshop.pk})
    response = as_trainer.post(url, {"name": "Grace", "email": "not-an-address"})
    assert response.status_code == 400
    assert 'value="Grace"' in body(response) and "is-invalid" in body(response)


def _upload(text: str | bytes, name: str = "cohort.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_import_a_csv_file(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:trainees_import", kwargs={"pk": cast.workshop.pk})
    text = ("\ufeffname,email,organisation,language\n"
            "Grace Mensah,grace@example.org,DSW,en\nClaire Dubois,claire@example.org,Crescent,fr\n")
    response = as_trainer.post(url, {"file": _upload(text)}, follow=True)
    page = body(response)
    assert "2 trainees added from the file." in page
    assert page.count('class="new-password') == 2
    assert cast.workshop.enrolments.count() == 4


def test_import_shows_every_problem_and_adds_nobody(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:trainees_import", kwargs={"pk": cast.workshop.pk})
    text = ("name,email,organisation,language\nGrace Mensah,nope,DSW,en\n"
            "Claire Dubois,claire@example.org,Crescent,xx\n")
    response = as_trainer.post(url, {"file": _upload(text)})
    assert response.status_code == 400
    page = body(response)
    assert 'id="import-problems"' in page
    assert "cohort.csv:2: email:" in page and "cohort.csv:3: language:" in page
    assert "nobody was added" in page
    assert cast.workshop.enrolments.count() == 2


def test_import_refuses_a_file_that_is_not_utf8(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:trainees_import", kwargs={"pk": cast.workshop.pk})
    response = as_trainer.post(url, {"file": _upload("name,email\nRen\xe9e,r@example.org\n"
                                                     .encode("latin-1"))})
    assert response.status_code == 400 and "CSV UTF-8" in body(response)


def test_pairs_form(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:pair_add", kwargs={"pk": cast.workshop.pk})
    amani = Enrolment.objects.get(workshop=cast.workshop, user=cast.trainee)
    zanele = Enrolment.objects.get(workshop=cast.workshop, user=cast.classmate)
    same = as_trainer.post(url, {"first": amani.pk, "second": amani.pk})
    assert same.status_code == 400 and "A pair needs two different trainees." in body(same)
    assert as_trainer.post(url, {"first": amani.pk, "second": zanele.pk}).status_code == 302
    assert Pair.objects.filter(workshop=cast.workshop).count() == 1
    assert 'data-pair="' in body(as_trainer.get(detail(cast)))


def test_assign_an_exercise(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:exercise_add", kwargs={"pk": cast.workshop.pk})
    response = as_trainer.post(url, {"scenario_id": "mini", "mode": "individual",
                                     "time_limit_minutes": "45", "allow_retry": "on"})
    exercise = Exercise.objects.get(workshop=cast.workshop)
    assert response.status_code == 302 and response["Location"] == ex_url("exercise", exercise)
    assert exercise.allow_retry and exercise.time_limit_minutes == 45
    assert exercise.status == Exercise.Status.DRAFT


def test_the_assign_page_shows_each_scenarios_languages(as_trainer: Client, cast: Cast) -> None:
    page = body(as_trainer.get(detail(cast)))
    start = page.index('<li data-scenario="mini"')
    row = page[start:page.index("</li>", start)]
    assert '<span class="badge text-bg-light" lang="en">English</span>' in row
    assert '<span class="badge text-bg-light" lang="fr">Français</span>' in row
    assert "Not in" not in row  # the workshop is in English
    assert re.search(r'<option value="mini"[^>]*>[^<]* · en, fr \(\w+\)</option>', page)
    cast.workshop.language = "km"
    cast.workshop.save()
    page = body(as_trainer.get(detail(cast)))
    start = page.index('<li data-scenario="mini"')
    assert "Not in ខ្មែរ" in page[start:page.index("</li>", start)]


def test_assign_errors_are_shown(as_trainer: Client, cast: Cast) -> None:
    url = reverse("workshops:exercise_add", kwargs={"pk": cast.workshop.pk})
    response = as_trainer.post(url, {"scenario_id": "mini", "mode": "individual",
                                     "opens_at": "2026-03-02T10:00", "closes_at": "2026-03-02T09:00"})
    assert response.status_code == 400
    assert "The exercise closes before it opens." in body(response) or \
        "Before the opening time." in body(response)
    assert not Exercise.objects.exists()


# -- the exercise and its board -----------------------------------------------------------


def test_start_from_the_exercise_page(as_trainer: Client, cast: Cast) -> None:
    exercise = services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini")
    page = body(as_trainer.get(ex_url("exercise", exercise)))
    assert 'id="exercise-start"' in page and 'hx-get' not in page
    response = as_trainer.post(ex_url("start", exercise), follow=True)
    page = body(response)
    assert "2 practice spaces are ready" in page
    assert 'hx-trigger="every 5s"' in page and 'data-trainee="amani"' in page
    assert 'id="exercise-close"' in page


def test_board_partial_shows_each_trainee(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    play_solution(attempt_of(exercise, cast.trainee).space)  # type: ignore[arg-type]
    services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    response = as_trainer.get(ex_url("board", exercise))
    assert response.status_code == 200
    page = body(response)
    assert page.lstrip().startswith('<section class="card mb-3" id="board"')
    assert "<html" not in page
    assert f'hx-get="{ex_url("board", exercise)}?v=' in page and 'hx-swap="outerHTML"' in page
    amani = page[page.index('data-trainee="amani"'):page.index('data-trainee="zanele"')]
    assert 'data-status="submitted"' in amani and "2 / 2" in amani and "100%" in amani
    report = attempt_of(exercise, cast.trainee)
    assert ex_url("report", exercise, attempt=report.pk) in amani
    assert "/spaces/" not in page  # the trainer is not a member of the trainees' spaces
    zanele = page[page.index('data-trainee="zanele"'):]
    assert 'data-status="in_progress"' in zanele and "0 / 2" in zanele
    assert "Last updated" in page


def test_message_to_all_and_to_one(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    url = ex_url("message", exercise)
    assert as_trainer.post(url, {"to": "", "text": "The aunt calls back."}).status_code == 302
    assert as_trainer.post(url, {"to": str(mine.pk), "text": "Check consent."}).status_code == 302
    assert Message.objects.filter(inject_ref="trainer", space=mine.space).count() == 2
    assert Message.objects.filter(inject_ref="trainer").count() == 3
    empty = as_trainer.post(url, {"to": "", "text": ""})
    assert empty.status_code == 400 and 'id="message_text"' in body(empty)
    # A row's "Message" link preselects the trainee.
    page = body(as_trainer.get(ex_url("exercise", exercise) + f"?to={mine.pk}"))
    assert f'<option value="{mine.pk}" selected>' in page


def test_clocks_from_the_board(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine, theirs = attempt_of(exercise, cast.trainee), attempt_of(exercise, cast.classmate)
    before = mine.space.clock  # type: ignore[union-attr]
    as_trainer.post(ex_url("clock", exercise), {"by": "1d"})
    as_trainer.post(ex_url("clock", exercise), {"by": "1h", "attempt": mine.pk})
    bad = as_trainer.post(ex_url("clock", exercise), {"by": "1y"}, follow=True)
    assert "Choose how far to move the clock." in body(bad)
    mine.space.refresh_from_db()  # type: ignore[union-attr]
    theirs.space.refresh_from_db()  # type: ignore[union-attr]
    assert (mine.space.clock - before).total_seconds() == 25 * 3600  # type: ignore[union-attr]
    assert (theirs.space.clock - before).total_seconds() == 24 * 3600  # type: ignore[union-attr]


def test_reset_all_needs_a_confirmation(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    response = as_trainer.post(ex_url("reset", exercise), follow=True)
    assert "Confirm that you want to reset" in body(response)
    assert attempt_of(exercise, cast.trainee).pk == mine.pk
    response = as_trainer.post(ex_url("reset", exercise), {"confirm": "yes"}, follow=True)
    assert "2 attempts reset." in body(response)
    assert attempt_of(exercise, cast.trainee).number == 2


def test_reset_one_trainee(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    response = as_trainer.post(ex_url("reset", exercise), {"attempt": mine.pk}, follow=True)
    assert "Amani Okello starts again from the beginning." in body(response)
    assert attempt_of(exercise, cast.trainee).number == 2
    assert attempt_of(exercise, cast.classmate).number == 1


def test_close_then_results_and_downloads(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    play_solution(attempt_of(exercise, cast.trainee).space)  # type: ignore[arg-type]
    services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    response = as_trainer.post(ex_url("close", exercise))
    assert response["Location"] == ex_url("results", exercise)
    page = body(as_trainer.get(ex_url("results", exercise)))
    assert page.count("<tr data-trainee=") == 2
    assert 'data-rule="register" data-percent="50"' in page and 'style="width: 50%"' in page
    assert 'aria-valuetext="1 of 2 trainees (50%)"' in page

    csv = as_trainer.get(ex_url("results_csv", exercise))
    assert csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"].startswith("attachment; filename=") and ".csv" in csv[
        "Content-Disposition"]
    assert len(body(csv).strip().splitlines()) == 3

    xapi = as_trainer.get(ex_url("xapi", exercise))
    assert xapi["Content-Type"] == "application/json"
    assert xapi["Content-Disposition"].startswith("attachment; filename=")
    statements = json.loads(body(xapi))
    assert sum(s["verb"]["id"].endswith("/completed") for s in statements) == 2
    assert len(statements) > 2  # and one statement per step of each attempt


def test_the_trainer_reads_a_trainees_report(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    play_solution(attempt_of(exercise, cast.trainee).space)  # type: ignore[arg-type]
    mine = services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    page = body(as_trainer.get(ex_url("report", exercise, attempt=mine.pk)))
    assert "Amani Okello, attempt 1" in page and "(100%)" in page
    # Read for people, as the trainee reads it: no action code, the case by its number.
    assert 'id="report-timeline"' in page and "case.register" not in page
    amina = Case.objects.get(space=attempt_of(exercise, cast.trainee).space, name_first="Amina")
    assert amina.display_id in page
    theirs = attempt_of(exercise, cast.classmate)
    assert as_trainer.get(ex_url("report", exercise, attempt=theirs.pk)).status_code == 404


def test_results_right_to_left(as_trainer: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    as_trainer.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = body(as_trainer.get(ex_url("results", exercise)))
    assert 'dir="rtl"' in page and "bootstrap.rtl.min.css" in page
    assert 'class="rule-bar' in page


# -- trainees -----------------------------------------------------------------------------


def test_join_with_a_code(client: Client, cast: Cast) -> None:
    client.force_login(cast.other_trainee)
    code = cast.workshop.join_code
    page = body(client.get(reverse("workshops:join") + f"?code={code}"))
    assert f'value="{code}"' in page
    wrong = client.post(reverse("workshops:join"), {"code": "NOPE2345"})
    assert wrong.status_code == 400 and "No open workshop has this code." in body(wrong)
    response = client.post(reverse("workshops:join"), {"code": code.lower()})
    assert response["Location"] == reverse("workshops:mine", kwargs={"pk": cast.workshop.pk})
    assert Enrolment.objects.filter(workshop=cast.workshop, user=cast.other_trainee).exists()


def test_join_asks_anonymous_visitors_to_log_in_first(client: Client, cast: Cast) -> None:
    response = client.get(reverse("workshops:join") + "?code=ABC")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/join/")


def test_my_workshop_open_submit_retry(client: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop, allow_retry=True)
    services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini")  # a draft
    client.force_login(cast.trainee)
    url = reverse("workshops:mine", kwargs={"pk": cast.workshop.pk})
    page = body(client.get(url))
    mine = attempt_of(exercise, cast.trainee)
    assert f'href="/spaces/{mine.space.slug}/exercise/"' in page  # type: ignore[union-attr]
    assert "Your trainer has not started this exercise yet." in page
    assert 'class="btn btn-success submit-attempt"' in page and "retry-attempt" not in page
    assert attempt_of(exercise, cast.classmate).space.slug not in page  # type: ignore[union-attr]

    play_solution(mine.space)  # type: ignore[arg-type]
    response = client.post(reverse("workshops:submit", kwargs={"attempt": mine.pk}))
    mine.refresh_from_db()
    assert mine.status == Attempt.Status.SUBMITTED
    assert response["Location"] == f"/spaces/{mine.space.slug}/reports/{mine.report_id}/"  # type: ignore[union-attr]
    report = client.get(response["Location"])
    assert report.status_code == 200 and "(100%)" in body(report)

    again = client.post(reverse("workshops:submit", kwargs={"attempt": mine.pk}), follow=True)
    assert "already been submitted" in body(again)

    page = body(client.get(url))
    assert "retry-attempt" in page and "100%" in page
    client.post(reverse("workshops:retry", kwargs={"attempt": mine.pk}))
    assert attempt_of(exercise, cast.trainee).number == 2


def test_retry_refused_when_not_allowed(client: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    client.force_login(cast.trainee)
    assert "retry-attempt" not in body(client.get(reverse("workshops:mine",
                                                          kwargs={"pk": cast.workshop.pk})))
    response = client.post(reverse("workshops:retry", kwargs={"attempt": mine.pk}), follow=True)
    assert "Your trainer has not opened this exercise for another try." in body(response)


# -- the home page ------------------------------------------------------------------------


def test_home_for_a_trainer(as_trainer: Client, cast: Cast) -> None:
    page = body(as_trainer.get(reverse("home")))
    assert 'id="my-workshops"' in page and TITLE in page and 'id="home-new-workshop"' in page
    assert 'id="my-spaces"' in page  # what the home showed before stays


def test_home_for_a_trainee(client: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainee)
    page = body(client.get(reverse("home")))
    assert 'id="my-training"' in page and TITLE in page
    assert reverse("workshops:mine", kwargs={"pk": cast.workshop.pk}) in page
    assert f'data-exercise="{exercise.pk}"' in page
    assert f"/spaces/{attempt_of(exercise, cast.trainee).space.slug}/exercise/" in page  # type: ignore[union-attr]
    assert 'id="my-workshops"' not in page and 'id="my-spaces"' in page


def test_submitting_from_the_exercise_page_submits_the_workshop_attempt(client: Client,
                                                                          cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    client.force_login(cast.trainee)
    client.post(reverse("scoring:submit", kwargs={"space": mine.space.slug}))  # type: ignore[union-attr]
    mine.refresh_from_db()
    assert mine.status == Attempt.Status.SUBMITTED
