"""The screenshots of the guide, taken by the browser on the real pages, in every language.

`make screenshots` runs this test with SCREENSHOTS_DIR=docs/assets/screenshots, which
refreshes the images the guide shows (docs/assets/screenshots/<language>/<name>.png); in
`make test` it writes them to .e2e-artifacts/ instead, so every page pictured in the guide
is still drawn, in every language, and `tests/docs/test_screenshots.py` checks that the
guide shows only screenshots this test takes.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import play_solution
from sandbox.workshops.models import Attempt
from sandbox.workshops.services import (
    attempt_submit,
    exercise_create,
    exercise_start,
    trainee_add,
    workshop_create,
)
from tests.conftest import DEFAULT_BUNDLE

from .conftest import ARTIFACTS, login
from .shots import SHOTS

PASSWORD = "pw-e2e-shots-1"
SCENARIO = "uasc-market-separation"
LANGUAGES = [code for code, _ in settings.LANGUAGES]
OUT = Path(os.environ.get("SCREENSHOTS_DIR") or ARTIFACTS / "screenshots")
NAMES = ["Amani Okello", "Claire Dubois", "Layla Haddad"]


def shoot(page: Page, language: str, name: str) -> None:
    assert name in SHOTS
    folder = OUT / language
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guides_screenshots(page: Page, browser: Browser, live_server: object,
                                transactional_db: None, language: str) -> None:
    load_bundle(DEFAULT_BUNDLE)
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1280, "height": 800})
    trainer = User.objects.create_user("trainer", password=PASSWORD, first_name="Tomas",
                                       last_name="Banda", kind=User.Kind.TRAINER, language=language)
    workshop = workshop_create(trainer=trainer, title="ToT", starts_on=dt.date(2026, 3, 2),
                               ends_on=dt.date(2026, 3, 6), language=language)
    for i, name in enumerate(NAMES):
        trainee_add(by=trainer, workshop=workshop, name=name, email=f"t{i}@example.org",
                    language=language)
    exercise = exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO)
    exercise_start(by=trainer, exercise=exercise)
    attempts = list(Attempt.objects.filter(exercise=exercise).select_related("space", "enrolment__user")
                    .order_by("pk"))
    # One trainee has finished, one is half-way, one has just started.
    play_solution(attempts[0].space)
    report = attempt_submit(user=attempts[0].enrolment.user, attempt=attempts[0]).report
    play_solution(attempts[1].space, upto=4)
    user = attempts[1].enrolment.user
    user.set_password(PASSWORD)
    user.save()
    finished = attempts[0].enrolment.user
    finished.set_password(PASSWORD)
    finished.save()

    # The trainee half-way through.
    space = attempts[1].space
    login(page, base, user.username, PASSWORD)
    page.goto(f"{base}/spaces/{space.slug}/exercise/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    shoot(page, language, "exercise")
    amina = Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["amina"])
    page.goto(f"{base}/spaces/{space.slug}/cases/{amina.display_id}/")
    shoot(page, language, "case-page")
    page.locator("#action-consent").click()
    expect(page.locator("#dialog-consent")).to_be_visible()
    page.wait_for_timeout(400)  # the dialog's fade-in
    shoot(page, language, "consent-dialog")

    # The trainee who finished: their report.
    page.context.clear_cookies()
    login(page, base, finished.username, PASSWORD)
    page.goto(f"{base}/spaces/{attempts[0].space.slug}/reports/{report.pk}/")
    expect(page.locator("#report-verdict")).to_be_visible()
    shoot(page, language, "report")

    # The trainer's board.
    page.context.clear_cookies()
    login(page, base, "trainer", PASSWORD)
    page.goto(f"{base}/workshops/{workshop.pk}/exercises/{exercise.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    shoot(page, language, "trainer-board")
    for name in SHOTS:
        assert (OUT / language / f"{name}.png").stat().st_size > 5_000, name
