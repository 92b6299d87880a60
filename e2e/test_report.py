"""A trainee reads their score report in a real browser, in French and in Arabic: the
page speaks the trainee's language, and no action code, step id or internal case key
shows anywhere on it (nor when printed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.configuration.bundle.load import load_bundle
from sandbox.scoring.services import submit
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import read_scenario
from sandbox.simulation.services import play_solution
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-e2e-12345"
UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_report_reads_without_codes_in_french_and_arabic(
        page: Page, live_server: object, transactional_db: None, language: str) -> None:
    load_bundle(DEFAULT_BUNDLE)
    user = User.objects.create_user("trainee", password=PASSWORD, first_name="Amani",
                                    last_name="Okello", language=language)
    space = seed_from_file(UASC, slug="report-e2e", trainees={"caseworker": user})
    play_solution(space)
    report = submit(member=Member.objects.get(space=space, user=user))
    amina = Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["amina"])

    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "trainee", PASSWORD)
    page.goto(f"{base}/spaces/{space.slug}/reports/{report.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(page.locator("#report-verdict")).to_have_attribute("data-passed", "true")
    expect(page.locator("#report-timeline")).to_contain_text(amina.display_id)

    for media in ("screen", "print"):
        page.emulate_media(media=media)
        text = page.locator("body").inner_text()
        for row in report.timeline:
            assert row["action"] not in text, (media, row["action"])
        for rule in read_scenario(UASC).scenario.expected:
            assert re.search(rf"(?<![\w-]){re.escape(rule.id)}(?![\w-])", text) is None, rule.id
        assert not re.search(r"\bamina\b", text), "the scenario's case key is shown"
        assert not re.search(r"\d{4}-\d{2}-\d{2}T?\s?\d{2}:\d{2}", text), "an ISO time is shown"
    assert amina.name_first in text
    # printed: the top bar and the buttons are left out
    expect(page.locator("#report-actions")).to_be_hidden()
