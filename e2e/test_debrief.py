"""The debrief page in the browser: the model answer, the cohort's figures and the
discussion questions on screen; the Print button; and on paper (print media) no menus or
buttons, each section starting a page, nothing cut off at the right edge; right to left
in Arabic; the workshop's summary and its Excel download; no serious axe-core violation.

Two trainees submit: Amani follows the model answer, Bilal submits without acting, so
every step reads "1 of 2"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from sandbox.accounts.models import User
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.services import play_solution
from sandbox.workshops import services
from sandbox.workshops.models import Attempt
from tests.conftest import DEFAULT_BUNDLE

from .conftest import ARTIFACTS, login
from .seat import new_page, serious_violations

PASSWORD = "pw-debrief-e2e-1"
SCENARIO = "uasc-market-separation"


@pytest.fixture
def debriefed(transactional_db: None) -> str:
    load_bundle(DEFAULT_BUNDLE)
    trainer = User.objects.create_user("tomas", password=PASSWORD, first_name="Tomas",
                                       last_name="Trainer", kind=User.Kind.TRAINER)
    day = dt.date(2026, 3, 2)
    workshop = services.workshop_create(trainer=trainer, title="Debrief ToT", starts_on=day,
                                        ends_on=day)
    for username, first, last in (("amani", "Amani", "Okello"), ("bilal", "Bilal", "Haddad")):
        user = User.objects.create_user(username, password=PASSWORD, first_name=first,
                                        last_name=last, kind=User.Kind.TRAINEE)
        services.join_with_code(user=user, code=workshop.join_code)
    exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO)
    services.exercise_start(by=trainer, exercise=exercise)
    for attempt in Attempt.objects.filter(exercise=exercise).select_related("enrolment__user",
                                                                             "space"):
        if attempt.enrolment.user.username == "amani":
            play_solution(attempt.space)  # type: ignore[arg-type]
        services.attempt_submit(user=attempt.enrolment.user, attempt=attempt)
    return f"/workshops/{workshop.pk}/exercises/{exercise.pk}/debrief/"


def test_the_debrief_page_on_screen_and_on_paper(page: Page, live_server, debriefed: str) -> None:
    base = live_server.url
    login(page, base, "tomas", PASSWORD)
    page.goto(base + debriefed)
    expect(page.locator("h1")).to_contain_text("Debrief")
    solution = page.locator("#debrief-solution")
    expect(solution).to_contain_text("Case registered")
    expect(solution).to_contain_text("Case referred")
    register = page.locator('.debrief-step[data-step="register"]')
    expect(register.locator(".step-figure")).to_have_text("1 of 2")
    expect(page.locator("#debrief-mistakes .debrief-mistake").first).to_contain_text(
        "Why it matters")
    expect(page.locator("#debrief-discussion .debrief-question").first).to_contain_text(
        "Why search for an existing record before registering Amina")

    # The Print button opens the browser's print dialog.
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.locator("#print-debrief").click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    for hidden in ("nav.navbar", "#print-debrief", "footer", "nav.breadcrumb"):
        assert not page.locator(hidden).first.is_visible(), hidden
    breaks = page.evaluate("""[...document.querySelectorAll('.debrief-section')].map(
        s => getComputedStyle(s).breakBefore)""")
    assert breaks == ["auto", "page", "page"], breaks
    # Nothing is wider than the page, nor cut off at its right edge.
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    overflowing = page.evaluate("""(width) => [...document.querySelectorAll(
        '#main li, #main h1, #main h2, #main .progress, #main .step-figure')]
        .filter(e => e.getBoundingClientRect().right > width + 1).map(e => e.textContent)""", width)
    assert overflowing == []
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "debrief-print.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page where axe-core may be injected (the site's CSP is bypassed)."""
    page = new_page(browser)
    yield page
    page.context.close()


def test_the_debrief_reads_right_to_left(axe_page: Page, live_server, debriefed: str) -> None:
    page = axe_page
    base = live_server.url
    login(page, base, "tomas", PASSWORD)
    page.goto(base + debriefed)
    page.select_option("#language-select", "ar")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    step = page.locator('.debrief-step[data-step="register"]')
    track = step.locator(".progress").bounding_box()
    bar = step.locator(".progress-bar").bounding_box()
    figure = step.locator(".step-figure").bounding_box()
    assert track and bar and figure
    # The bar fills from the right, and its figure stands to its left (read after it).
    assert abs((bar["x"] + bar["width"]) - (track["x"] + track["width"])) <= 1
    assert 0 < bar["width"] < track["width"]
    assert figure["x"] + figure["width"] <= track["x"] + 1
    expect(page.locator("#debrief-discussion .debrief-question").first).to_contain_text("أمينة")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "debrief-ar.png"), full_page=True)
    assert serious_violations(page) == []


def test_the_workshop_summary_from_the_debrief(axe_page: Page, live_server,
                                               debriefed: str) -> None:
    page = axe_page
    base = live_server.url
    login(page, base, "tomas", PASSWORD)
    page.goto(base + debriefed)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Summary of the workshop").click()
    expect(page.locator('tr[data-trainee="amani"] .summary-cell')).to_contain_text("100")
    expect(page.locator('tr[data-trainee="bilal"] .summary-cell')).to_contain_text("Not passed")
    with page.expect_download() as download:
        page.locator("#download-summary-xlsx").click()
    assert download.value.suggested_filename == "debrief-tot-summary.xlsx"
    assert serious_violations(page) == []
