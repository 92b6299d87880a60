"""The debrief of an exercise and the workshop's summary, computed from a seeded workshop.

A scenario `talk` (the mini world, with step titles, feedback and discussion
questions) is played by three trainees: Amani follows the whole model answer,
Zanele registers the child only (and tries once to refer without consent, which
the policy refuses), Grace never submits. A second exercise is never started.
The expected figures are counted here by hand from that story, not by the code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sandbox.common.errors import SandboxError
from sandbox.simulation.dispatch import context_of, perform
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import play_solution
from sandbox.workshops import services
from sandbox.workshops.debrief import (
    NOT_STARTED,
    NOT_SUBMITTED,
    SUBMITTED,
    debrief,
    latest_submitted,
    summary,
)
from sandbox.workshops.models import Exercise
from sandbox.workshops.summary_files import summary_csv, summary_xlsx
from tests.simulation.conftest import scenario_text

from .conftest import Cast, attempt_of, enrol, make_user, start

pytestmark = pytest.mark.django_db

EXPECTED = """expected:
  - id: register
    rule: happened
    action: case.register
    case: amina
    points: 10
    title: {en: "Register Amina", fr: "Enregistrer Amina"}
    feedback: {en: "A registered case is followed up.", fr: "Un cas enregistré est suivi."}
  - id: consent
    rule: before
    first: consent.record
    then: referral.create
    case: amina
    points: 10
    title: {en: "Consent before the referral", fr: "Consentement avant la référence"}
    feedback: {en: "Information is shared only with consent.", fr: "On ne partage qu'avec le consentement."}
solution:"""

DISCUSSION = """
discussion:
  - en: "What did Amina need to hear before you shared her story?"
    fr: "Que devait entendre Amina avant le partage ?"
  - {en: "Who decides on the referral?", fr: "Qui décide de la référence ?"}
"""


def talk_text() -> str:
    text = scenario_text("talk")
    text = text.replace(text[text.index("expected:"):text.index("solution:") + len("solution:")],
                        EXPECTED)
    return text + DISCUSSION


@pytest.fixture
def talk(scenarios: Path) -> Path:
    path = scenarios / "talk.yaml"
    path.write_text(talk_text(), encoding="utf-8")
    return path


@dataclass
class Played:
    cast: Cast
    exercise: Exercise
    later: Exercise  # never started


def refer_without_consent(space) -> None:  # type: ignore[no-untyped-def]
    seed = SpaceSeed.objects.get(space=space)
    ctx = context_of(space, seed)
    with pytest.raises(SandboxError):
        perform(ctx.member("caseworker"), "referral.create", ctx.cases.get("amina"),
                {"service_type": "family_tracing", "reason": "case_plan_service",
                 "to": "tracing", "urgency": "immediate"}, ctx)


@pytest.fixture
def played(cast: Cast, talk: Path) -> Played:
    grace = make_user("grace", name="Grace Mensah")
    enrol(cast.workshop, grace)
    exercise = start(cast.trainer, cast.workshop, "talk", allow_retry=True)
    amani = attempt_of(exercise, cast.trainee)
    # Amani's first attempt misses everything; the second (the one counted) is perfect.
    services.attempt_submit(user=cast.trainee, attempt=amani)
    amani = services.attempt_retry(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    play_solution(amani.space)
    services.attempt_submit(user=cast.trainee, attempt=amani)
    zanele = attempt_of(exercise, cast.classmate)
    play_solution(zanele.space, upto=2)  # search, register
    refer_without_consent(zanele.space)
    services.attempt_submit(user=cast.classmate, attempt=zanele)
    later = services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini")
    return Played(cast, Exercise.objects.get(pk=exercise.pk), later)


def test_the_debrief_counts_the_latest_submitted_attempt_of_each_trainee(played: Played) -> None:
    found = debrief(played.exercise)
    assert sorted(a.enrolment.user.pk for a in found.attempts) == sorted(
        [played.cast.trainee.pk, played.cast.classmate.pk])
    amani = next(a for a in found.attempts if a.enrolment.user == played.cast.trainee)
    assert amani.number == 2
    # Register: both met it; consent before the referral: Amani only.
    figures = {s.id: (s.met, s.total) for s in found.steps}
    assert figures == {"register": (2, 2), "consent": (1, 2)}
    assert [s.id for s in found.steps] == ["register", "consent"]
    assert [(s.id, s.missed) for s in found.mistakes] == [("consent", 1)]
    assert found.mistakes[0].feedback["en"] == "Information is shared only with consent."
    assert found.refused == [("referral.create.refused", 1)]
    assert [q["en"] for q in found.discussion] == [
        "What did Amina need to hear before you shared her story?", "Who decides on the referral?"]
    labels = [step["label"] for step in found.solution]
    assert "Case registered" in labels and "Case referred" in labels


def test_a_pair_counts_once(cast: Cast, scenarios: Path) -> None:
    from sandbox.workshops.models import Pair

    amani = cast.workshop.enrolments.get(user=cast.trainee)
    zanele = cast.workshop.enrolments.get(user=cast.classmate)
    Pair.objects.create(workshop=cast.workshop, first=amani, second=zanele)
    exercise = start(cast.trainer, cast.workshop, "duo", mode="pairs")
    attempt = attempt_of(exercise, cast.trainee)
    play_solution(attempt.space)
    services.attempt_submit(user=cast.trainee, attempt=attempt)
    assert len(latest_submitted(exercise)) == 1
    # In the summary, the pair's work counts for each of them.
    cells = [row.cells[0].state for row in summary(cast.workshop).rows]
    assert cells == [SUBMITTED, SUBMITTED]


def test_the_debrief_with_nothing_submitted(cast: Cast, talk: Path) -> None:
    exercise = start(cast.trainer, cast.workshop, "talk")
    found = debrief(exercise)
    assert found.attempts == [] and found.steps == [] and found.mistakes == []
    assert found.refused == []
    assert len(found.discussion) == 2 and found.solution  # ready before anyone submits


def test_the_summary_per_trainee_and_per_step(played: Played) -> None:
    found = summary(played.cast.workshop)
    assert [item.exercise.pk for item in found.exercises] == [played.exercise.pk, played.later.pk]
    by_name = {row.name: row for row in found.rows}
    amani, zanele, grace = by_name["Amani Okello"], by_name["Zanele Quist"], by_name["Grace Mensah"]
    assert amani.cells[0].state == SUBMITTED and amani.cells[0].attempt == 2
    assert amani.cells[0].percent == 100.0 and amani.cells[0].passed is True
    assert amani.cells[0].missed == [] and (amani.cells[0].met, amani.cells[0].total) == (2, 2)
    assert zanele.cells[0].state == SUBMITTED and zanele.cells[0].missed == ["consent"]
    assert zanele.cells[0].score == 10 and zanele.cells[0].percent == 50.0
    assert zanele.cells[0].passed is False
    assert grace.cells[0].state == NOT_SUBMITTED
    assert [row.cells[1].state for row in found.rows] == [NOT_STARTED] * 3
    steps = {s.id: (s.met, s.total) for s in found.exercises[0].steps}
    assert steps == {"register": (2, 2), "consent": (1, 2)}
    assert found.exercises[1].steps == []


def test_the_summary_csv_has_titles_ids_and_values(played: Played) -> None:
    text = summary_csv(summary(played.cast.workshop)).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    titles, ids = rows[0], rows[1]
    title = played.exercise.title
    assert f"{title}: Register Amina" in titles and f"{title}: Consent before the referral" in titles
    key = f"ex{played.exercise.pk}"
    assert ids[:3] == ["trainee", "username", "organisation"]
    assert f"{key}:register" in ids and f"{key}:consent" in ids and f"{key}:score" in ids
    assert titles.index(f"{title}: Register Amina") == ids.index(f"{key}:register")
    lines = {row[1]: dict(zip(ids, row, strict=True)) for row in rows[2:]}
    assert lines["zanele"][f"{key}:score"] == "10" and lines["zanele"][f"{key}:percent"] == "50"
    assert lines["zanele"][f"{key}:result"] == "Not passed"
    assert (lines["zanele"][f"{key}:register"], lines["zanele"][f"{key}:consent"]) == ("1", "0")
    assert lines[played.cast.trainee.username][f"{key}:result"] == "Passed"
    assert lines["grace"][f"{key}:result"] == "Not submitted"
    assert lines["grace"][f"{key}:register"] == ""
    assert lines["grace"][f"ex{played.later.pk}:result"] == "Not started"


def test_the_summary_workbook_has_titles_ids_and_values(played: Played) -> None:
    book = load_workbook(io.BytesIO(summary_xlsx(summary(played.cast.workshop), language="en")))
    sheet = book.worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    titles, ids = rows[0], rows[1]
    key = f"ex{played.exercise.pk}"
    assert f"{played.exercise.title}: Register Amina" in titles and f"{key}:consent" in ids
    zanele = dict(zip(ids, next(r for r in rows if r[1] == "zanele"), strict=True))
    assert zanele[f"{key}:score"] == 10 and zanele[f"{key}:consent"] == 0
    assert zanele[f"{key}:register"] == 1
    steps = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert [played.exercise.title, "Consent before the referral", 1, 2, key, "consent"] in steps


def test_the_summary_files_in_the_trainers_language(played: Played) -> None:
    client = Client()
    client.force_login(played.cast.trainer)
    url = reverse("workshops:summary_csv", kwargs={"pk": played.cast.workshop.pk})
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode("utf-8")
    assert "Enregistrer Amina" in text and f"ex{played.exercise.pk}:register" in text
    assert "Register Amina" not in text
    url = reverse("workshops:summary_xlsx", kwargs={"pk": played.cast.workshop.pk})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].sheet_view.rightToLeft


def test_the_debrief_page(played: Played) -> None:
    client = Client()
    client.force_login(played.cast.trainer)
    url = reverse("workshops:debrief", kwargs={"pk": played.cast.workshop.pk,
                                               "ex": played.exercise.pk})
    page = client.get(url).content.decode()
    assert 'id="debrief-solution"' in page and "Case referred" in page
    step = page[page.index('data-step="consent"'):]
    assert 'data-met="1" data-total="2"' in step[:60]
    assert "1 of 2" in step
    mistakes = page[page.index('id="debrief-mistakes"'):]
    assert "Consent before the referral" in mistakes and "Information is shared only" in mistakes
    assert "Referral refused: consent missing" in mistakes
    assert "Who decides on the referral?" in page
    assert 'id="print-debrief"' in page and "css/debrief.css" in page


def test_the_debrief_page_in_french_and_arabic(played: Played) -> None:
    client = Client()
    client.force_login(played.cast.trainer)
    url = reverse("workshops:debrief", kwargs={"pk": played.cast.workshop.pk,
                                               "ex": played.exercise.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Qui décide de la référence ?" in page and "Consentement avant la référence" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "bootstrap.rtl.min.css" in page


def test_the_debrief_page_with_nothing_submitted(cast: Cast, talk: Path) -> None:
    exercise = start(cast.trainer, cast.workshop, "talk")
    client = Client()
    client.force_login(cast.trainer)
    page = client.get(reverse("workshops:debrief", kwargs={"pk": cast.workshop.pk,
                                                           "ex": exercise.pk})).content.decode()
    assert 'id="debrief-nothing-submitted"' in page and "Who decides on the referral?" in page
    assert "Case registered" in page


def test_the_summary_page(played: Played) -> None:
    client = Client()
    client.force_login(played.cast.trainer)
    page = client.get(reverse("workshops:summary", kwargs={"pk": played.cast.workshop.pk}),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    row = page[page.index('data-trainee="zanele"'):]
    row = row[:row.index("</tr>")]
    assert "50" in row and "Non réussi" in row and "1 sur 2" not in row
    assert 'data-state="not_submitted"' in page and 'data-state="not_started"' in page
    assert "Bilal Haddad" not in page  # a trainee of another workshop
    missed = page[page.index('id="summary-missed"'):]
    assert "Consentement avant la référence" in missed
    detail = client.get(reverse("workshops:detail", kwargs={"pk": played.cast.workshop.pk}))
    assert reverse("workshops:summary", kwargs={"pk": played.cast.workshop.pk}) in \
        detail.content.decode()


def test_the_summary_api(played: Played) -> None:
    client = Client()
    client.force_login(played.cast.trainer)
    data = client.get(reverse("api-workshop-summary", kwargs={"pk": played.cast.workshop.pk})).json()
    assert [e["id"] for e in data["exercises"]] == [played.exercise.pk, played.later.pk]
    assert data["exercises"][0]["steps"] == [
        {"id": "register", "title": "Register Amina", "met": 2, "total": 2},
        {"id": "consent", "title": "Consent before the referral", "met": 1, "total": 2}]
    zanele = next(t for t in data["trainees"] if t["username"] == "zanele")
    first = zanele["results"][0]
    assert first["state"] == "submitted" and first["score"] == 10 and first["missed"] == ["consent"]
    assert zanele["results"][1]["state"] == "not_started"


def test_the_debrief_of_an_exercise_not_started_has_the_librarys_questions(played: Played,
                                                                          talk: Path) -> None:
    draft = services.exercise_create(by=played.cast.trainer, workshop=played.cast.workshop,
                                     scenario_id="talk")
    found = debrief(draft)
    assert found.solution == [] and found.steps == [] and found.attempts == []
    assert [q["fr"] for q in found.discussion] == ["Que devait entendre Amina avant le partage ?",
                                                    "Qui décide de la référence ?"]


def test_both_pages_are_linked_from_the_exercise_and_workshop_pages(played: Played) -> None:
    client = Client()
    client.force_login(played.cast.trainer)
    kwargs = {"pk": played.cast.workshop.pk, "ex": played.exercise.pk}
    debrief_url = reverse("workshops:debrief", kwargs=kwargs)
    summary_url = reverse("workshops:summary", kwargs={"pk": played.cast.workshop.pk})
    for page in ("workshops:exercise", "workshops:results"):
        assert debrief_url in client.get(reverse(page, kwargs=kwargs)).content.decode(), page
    assert summary_url in client.get(reverse("workshops:exercise", kwargs=kwargs)).content.decode()
    detail = client.get(reverse("workshops:detail", kwargs={"pk": played.cast.workshop.pk}))
    assert debrief_url in detail.content.decode() and summary_url in detail.content.decode()


def test_the_summary_reads_in_a_constant_number_of_queries(played: Played) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            summary(played.cast.workshop)
        return len(queries)

    services.exercise_start(by=played.cast.trainer, exercise=played.later)
    before = count()
    # More trainees, attempts and reports: not one query more.
    for username in ("yusra", "omar"):
        user = make_user(username, name=f"{username.capitalize()} Amrani")
        services.give_space(by=played.cast.trainer, exercise=played.later,
                            enrolment=enrol(played.cast.workshop, user))
        services.attempt_submit(user=user, attempt=attempt_of(played.later, user))
    states = {row.enrolment.user.username: row.cells[1].state
              for row in summary(played.cast.workshop).rows}
    assert states["yusra"] == states["omar"] == SUBMITTED
    assert count() == before


def test_the_debrief_reads_in_a_constant_number_of_queries(played: Played) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            debrief(played.exercise)
        return len(queries)

    before = count()
    for username in ("yusra", "omar"):
        user = make_user(username, name=f"{username.capitalize()} Amrani")
        services.give_space(by=played.cast.trainer, exercise=played.exercise,
                            enrolment=enrol(played.cast.workshop, user))
        services.attempt_submit(user=user, attempt=attempt_of(played.exercise, user))
    assert len(debrief(played.exercise).attempts) == 4
    assert count() == before


def test_text_typed_by_people_is_inert_in_the_files(played: Played) -> None:
    enrol(played.cast.workshop, make_user("mallory", name="=HYPERLINK(\"x\") Sum"), "+Org")
    text = summary_csv(summary(played.cast.workshop)).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    line = next(row for row in rows if row[1] == "mallory")
    assert line[0].startswith("'=") and line[2] == "'+Org"
    book = load_workbook(io.BytesIO(summary_xlsx(summary(played.cast.workshop), language="en")))
    cells = next(r for r in book.worksheets[0].iter_rows(values_only=True) if r[1] == "mallory")
    assert str(cells[0]).startswith("'=") and cells[2] == "'+Org"
