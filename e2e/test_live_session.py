"""The trainer's live session in the browser: a late joiner gets a space, a countdown
ends with the attempt submitted, the presenter view hides names, and a look at a
trainee's space changes nothing in it.

Workshops, trainees and exercises are made with the services in the test process (the
live server shares the database); what the trainer and the trainee do happens in the
browser."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from sandbox.accounts.models import User
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.models import Progress
from sandbox.simulation.services import play_solution
from sandbox.simulation.snapshot import TABLES
from sandbox.spaces.models import Space
from sandbox.workshops import services
from sandbox.workshops.models import Attempt, Exercise, Observation, Workshop
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-live-e2e-1"
SCENARIO = "uasc-market-separation"


@pytest.fixture
def session(transactional_db: None) -> dict[str, object]:
    load_bundle(DEFAULT_BUNDLE)
    trainer = User.objects.create_user("tomas", password=PASSWORD, first_name="Tomas",
                                       last_name="Trainer", kind=User.Kind.TRAINER)
    trainee = User.objects.create_user("amani", password=PASSWORD, first_name="Amani",
                                       last_name="Okello", kind=User.Kind.TRAINEE)
    day = dt.date(2026, 3, 2)
    workshop = services.workshop_create(trainer=trainer, title="Live ToT", starts_on=day, ends_on=day)
    services.join_with_code(user=trainee, code=workshop.join_code)
    return {"trainer": trainer, "trainee": trainee, "workshop": workshop}


def _start(workshop: Workshop, trainer: User, **options: object) -> Exercise:
    exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO,
                                        **options)  # type: ignore[arg-type]
    services.exercise_start(by=trainer, exercise=exercise)
    exercise.refresh_from_db()
    return exercise


def _second_browser(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    return context.new_page()


def test_a_late_joiner_gets_a_space_from_the_board(page: Page, browser: Browser, live_server,
                                                   session) -> None:
    base = live_server.url
    workshop, trainer = session["workshop"], session["trainer"]
    exercise = _start(workshop, trainer)  # type: ignore[arg-type]
    User.objects.create_user("lina", password=PASSWORD, first_name="Lina", last_name="Late",
                             kind=User.Kind.TRAINEE)
    late = _second_browser(browser)
    login(late, base, "lina", PASSWORD)
    late.goto(f"{base}/join/?code={workshop.join_code}")  # type: ignore[attr-defined]
    late.locator("form button[type=submit]").last.click()
    expect(late.locator(f'.assignment[data-exercise="{exercise.pk}"]')).to_contain_text(
        "your trainer can give you a practice space")

    login(page, base, "tomas", PASSWORD)
    page.goto(f"{base}/workshops/{workshop.pk}/exercises/{exercise.pk}/")  # type: ignore[attr-defined]
    page.locator('#board-waiting form[data-trainee="lina"] button').click()
    expect(page.locator('#board tr[data-trainee="lina"]')).to_be_visible()
    expect(page.locator("#board-waiting")).to_have_count(0)

    late.reload()
    late.locator(".open-space").click()
    expect(late.locator("#brief")).to_be_visible()
    late.context.close()


def test_the_countdown_ends_with_the_attempt_submitted(page: Page, live_server, session) -> None:
    base = live_server.url
    exercise = _start(session["workshop"], session["trainer"], time_limit_minutes=30,  # type: ignore[arg-type]
                      submit_when_time_is_up=True)
    attempt = Attempt.objects.get(exercise=exercise, enrolment__user=session["trainee"])
    login(page, base, "amani", PASSWORD)
    # The server's deadline, a few seconds ahead: the countdown runs out in the page.
    Space.objects.filter(pk=attempt.space_id).update(
        writing_ends_at=timezone.now() + dt.timedelta(seconds=6))
    page.goto(f"{base}/spaces/{attempt.space.slug}/exercise/")  # type: ignore[union-attr]
    expect(page.locator("#space-countdown .countdown")).to_have_text(re.compile(r"^0:0\d$"))
    page.wait_for_url("**/reports/*/", timeout=20_000)
    expect(page.locator("#space-stopped")).to_have_attribute("data-reason", "time_up")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.report_id is not None


def test_the_presenter_view_shows_numbers_instead_of_names(page: Page, live_server, session) -> None:
    base = live_server.url
    exercise = _start(session["workshop"], session["trainer"])  # type: ignore[arg-type]
    login(page, base, "tomas", PASSWORD)
    page.goto(f"{base}/workshops/{exercise.workshop_id}/exercises/{exercise.pk}/presenter/")
    expect(page.locator("#presenter-trainees")).to_contain_text("Amani Okello")
    expect(page.locator(".presenter-step").first).to_be_visible()
    font = page.locator(".trainee-label").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 24  # large type, readable on a shared screen
    page.locator("#presenter-numbers").click()
    expect(page.locator("#presenter-trainees .trainee-label").first).to_have_text("1")
    expect(page.locator("#presenter")).not_to_contain_text("Amani Okello")


def _digest(space_id: int) -> str:
    """The trainee's world. The board's kept progress is left out: the trainer's board
    writes it (what the scorer reads from the world), whoever looks."""
    rows = [repr(list(Space.objects.filter(pk=space_id).values()))]
    rows += [repr(list(model.objects.filter(space_id=space_id).order_by("pk").values()))
             for model in TABLES if model is not Progress]
    rows.append(repr(list(Attempt.objects.filter(space_id=space_id).order_by("pk").values())))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_looking_at_a_trainees_space_changes_nothing(page: Page, live_server, session) -> None:
    base = live_server.url
    exercise = _start(session["workshop"], session["trainer"])  # type: ignore[arg-type]
    attempt = Attempt.objects.get(exercise=exercise, enrolment__user=session["trainee"])
    play_solution(attempt.space)  # type: ignore[arg-type]
    before = _digest(attempt.space_id)  # type: ignore[arg-type]
    login(page, base, "tomas", PASSWORD)
    page.goto(f"{base}/workshops/{exercise.workshop_id}/exercises/{exercise.pk}/")
    page.locator('#board tr[data-trainee="amani"] .board-observe').click()
    expect(page.locator("#observe-read-only")).to_be_visible()
    expect(page.locator("#observe-cases article").first).to_be_visible()
    expect(page.locator("#observe-looks li")).to_have_count(1)
    assert _digest(attempt.space_id) == before  # type: ignore[arg-type]
    assert Observation.objects.filter(attempt=attempt, observer=session["trainer"]).count() == 1
