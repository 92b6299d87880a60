"""WCAG 2.1 AA on the main pages, checked by axe-core (vendored in e2e/vendor) in English
and in Arabic: no serious or critical violation on the login page, the dashboard, a case
page, a case form, a score report and the trainer's live board."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import login
from .seat import PASSWORD, Seat, new_page, serious_violations


@pytest.mark.parametrize("language", ["en", "ar"])
def test_main_pages_have_no_serious_axe_violation(browser: Browser, live_server, seat: Seat,
                                                  language: str) -> None:
    base = live_server.url
    page = new_page(browser)
    page.goto(f"{base}/accounts/login/")
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    found = {"login": serious_violations(page)}

    login(page, base, "trainee", PASSWORD)
    space = f"{base}/spaces/{seat.practice.slug}"
    case = f"{space}/cases/{seat.case.display_id}/"
    pages = {
        "dashboard": f"{space}/",
        "case page": case,
        "case form": f"{case}sections/basic_identity/",
        "register form": f"{space}/cases/new/",
        "report": base + seat.report_url,
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[name] = serious_violations(page)
    page.context.close()

    page = new_page(browser)
    login(page, base, "trainer", PASSWORD)
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    page.goto(base + seat.board_url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    found["trainer board"] = serious_violations(page)
    page.context.close()

    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{name}: {line}" for name, v in problems.items() for line in v)
