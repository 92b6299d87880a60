"""A trainee's journey in French, Arabic and Khmer, and a page in Spanish and Swahili.

The trainer runs a workshop in the trainee's language; the trainee, whose account takes
the workshop's language, signs in, finds their assignment, opens their space and reads
the exercise. Expected words come from the catalogues (gettext in the page's language),
so the test proves the page is translated, not that a sentence is spelt one way.
Screenshots of the main pages land in .e2e-artifacts/ (lang-<language>-<page>.png).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.common.i18n import format_date
from sandbox.configuration.bundle.load import load_bundle
from sandbox.workshops import services
from sandbox.workshops.models import Workshop
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-trainer-langs-1"
#: Written in English and French only: an Arabic or Khmer trainee reads its texts in
#: English, marked up with their own language and direction.
SCENARIO = "uasc-market-separation"
STARTS = dt.date(2026, 3, 2)


@dataclass
class Session:
    workshop: Workshop
    username: str
    password: str


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def translated(language: str, text: str) -> str:
    """The catalogue's translation, which must differ from the English."""
    found = in_language(language, text)
    assert found != text, f"'{text}' is not translated in {language}"
    return found


@pytest.fixture
def session(transactional_db: None, request: pytest.FixtureRequest) -> Session:
    language = request.node.callspec.params["language"]
    load_bundle(DEFAULT_BUNDLE)
    trainer = User.objects.create_user("tomas", password=PASSWORD, kind=User.Kind.TRAINER)
    workshop = services.workshop_create(trainer=trainer, title="Training, week 1", language=language,
                                        starts_on=STARTS, ends_on=STARTS + dt.timedelta(days=4))
    new = services.trainee_add(by=trainer, workshop=workshop, name="Sokha Chan",
                               email="sokha.chan@example.org", organisation="DSW")
    assert new.user.language == language and new.password
    exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO)
    services.exercise_start(by=trainer, exercise=exercise)
    return Session(workshop, new.user.username, new.password)


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("km", "ltr")])
def test_a_trainees_journey(page: Page, live_server, session: Session, screenshot,  # type: ignore[no-untyped-def]
                            language: str, direction: str) -> None:
    base = live_server.url
    login(page, base, session.username, session.password)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.locator("#training-banner")).to_have_text(translated(
        language, "Training instance — synthetic data only. Never enter information about real people."))
    # The workshop's dates as the language writes them.
    expect(page.locator("main")).to_contain_text(format_date(STARTS, language=language))
    # A title typed in another language is isolated, so the dates beside it keep their order
    # (without it, "02" of the Arabic date jumped to the other side of an English title).
    expect(page.locator(f"[data-workshop='{session.workshop.pk}'] a bdi")).to_have_text("Training, week 1")
    screenshot(f"lang-{language}-home")

    page.locator(f"a[href$='/workshops/mine/{session.workshop.pk}/']").first.click()
    open_space = page.locator("a.open-space")
    expect(open_space).to_have_text(translated(language, "Open my space"))
    screenshot(f"lang-{language}-workshop")

    open_space.click()
    expect(page.locator("#brief")).to_contain_text(translated(language, "Learning objectives"))
    scenario_level = page.locator("#brief p.text-muted").first
    brief = page.locator("#brief .brief-text")
    # The scenario is written in every language of the interface: the brief and the title in
    # the trainee's own, in its own direction, with nothing marked as another language.
    expect(brief).to_have_attribute("lang", language)
    expect(brief).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(page.locator("#brief h1 span.other-language")).to_have_count(0)
    if language == "ar":
        expect(scenario_level).not_to_contain_text("beginner")
        expect(scenario_level).to_contain_text(translated(language, "beginner"))
    screenshot(f"lang-{language}-exercise")

    if language == "km":
        # The shipped Khmer webfont draws the page's Khmer text.
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Noto Sans Khmer"')
        assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ខ្មែរ')")

    # Nothing spills out sideways: no horizontal scroll in either direction.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("language", ["es", "sw"])
def test_the_login_page_in_spanish_and_swahili(page: Page, live_server, language: str,  # type: ignore[no-untyped-def]
                                               screenshot) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#language-select").select_option(language)
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#training-banner")).to_have_text(translated(
        language, "Training instance — synthetic data only. Never enter information about real people."))
    expect(page.locator("button[type=submit]").last).to_have_text(translated(language, "Log in"))
    screenshot(f"lang-{language}-login")
