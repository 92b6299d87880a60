"""The Help link of a page opens the guide's page for it, in the user's language, from the
guide the sandbox serves itself: a trainee's case page in French, a trainer's live board in
Arabic, an implementer's configuration page in Khmer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.world import seed_from_file
from sandbox.workshops.services import exercise_create, workshop_create
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-e2e-help-1"
UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"

def open_help(page: Page) -> Page:
    """Click Help (it opens a new tab) and return the guide's tab, loaded."""
    with page.context.expect_page() as opened:
        page.locator("#help-link").click()
    guide = opened.value
    guide.wait_for_load_state("load")
    return guide


def test_help_opens_the_right_page_in_the_users_language(
        page: Page, live_server: object, transactional_db: None) -> None:
    load_bundle(DEFAULT_BUNDLE)
    base = live_server.url  # type: ignore[attr-defined]

    # A trainee in French, on a case page: the guide's page on the case system, in French.
    trainee = User.objects.create_user("claire", password=PASSWORD, language="fr")
    space = seed_from_file(UASC, slug="help-e2e", trainees={"caseworker": trainee})
    amina = Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["amina"])
    login(page, base, "claire", PASSWORD)
    page.goto(f"{base}/spaces/{space.slug}/cases/{amina.display_id}/")
    guide = open_help(page)
    assert guide.url == f"{base}/help/fr/case-system/"
    expect(guide.locator("html")).to_have_attribute("lang", "fr")
    expect(guide.locator("h1").first).to_contain_text("système")
    guide.close()

    # A trainer in Arabic, on the exercise and its live board: running a session, right to left.
    page.context.clear_cookies()
    trainer = User.objects.create_user("tomas", password=PASSWORD, language="ar",
                                       kind=User.Kind.TRAINER)
    workshop = workshop_create(trainer=trainer, title="ToT", starts_on=dt.date(2026, 3, 2),
                               ends_on=dt.date(2026, 3, 6), language="ar")
    exercise = exercise_create(by=trainer, workshop=workshop, scenario_id="uasc-market-separation")
    login(page, base, "tomas", PASSWORD)
    page.goto(f"{base}/workshops/{workshop.pk}/exercises/{exercise.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    guide = open_help(page)
    assert guide.url == f"{base}/help/ar/trainers/running-a-session/"
    expect(guide.locator("html")).to_have_attribute("lang", "ar")
    expect(guide.locator("body")).to_have_attribute("dir", "rtl")
    guide.close()

    # An implementer in Khmer, on the configurations page: reviewing a configuration.
    page.context.clear_cookies()
    User.objects.create_user("ada", password=PASSWORD, language="km",
                             kind=User.Kind.ADMINISTRATOR, is_staff=True)
    login(page, base, "ada", PASSWORD)
    page.goto(f"{base}/configurations/")
    guide = open_help(page)
    assert guide.url == f"{base}/help/km/implementers/go-live-review/"
    expect(guide.locator("html")).to_have_attribute("lang", "km")
    # The guide's search and scripts run: its content security policy lets its theme work.
    expect(guide.locator(".md-search__input")).to_be_visible()
