"""Phones and tablets: at 390×844 and 768×1024 no page scrolls sideways (the dashboard, a
case page, the registration form with its subforms, a score report), and on the case page
the actions come before the record's sections, on the first screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import login
from .seat import PASSWORD, PHONE, TABLET, Seat, new_page, overflow, too_wide


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_no_page_scrolls_sideways_and_actions_come_first(browser: Browser, live_server, seat: Seat,
                                                         viewport: dict[str, int]) -> None:
    base = live_server.url
    page = new_page(browser, viewport)
    login(page, base, "trainee", PASSWORD)
    space = f"{base}/spaces/{seat.practice.slug}"
    case_url = f"{space}/cases/{seat.case.display_id}/"

    page.goto(f"{space}/")
    assert overflow(page) == 0, ("dashboard", too_wide(page))
    page.goto(f"{space}/cases/")
    assert overflow(page) == 0, ("case list", too_wide(page))

    page.goto(case_url)
    assert overflow(page) == 0, ("case page", too_wide(page))
    actions = page.locator("#action-panel").bounding_box()
    sections = page.locator("#case-menu").bounding_box()
    assert actions and sections and actions["y"] < sections["y"]
    # The first action is on the first screen, without scrolling.
    first = page.locator("#action-panel [data-action]").first.bounding_box()
    assert first and first["y"] + first["height"] <= viewport["height"], first

    page.goto(f"{space}/cases/new/")
    form = page.locator("#register-form")
    if form.count() == 0:  # the duplicate search comes first
        page.fill("#search_q", "Amina Diallo")
        page.locator("#search-submit").click()
    expect(page.locator("#register-form")).to_be_visible()
    page.locator("[data-subform-add=caregivers]").click()
    page.locator("[data-subform-add=caregivers]").click()
    assert overflow(page) == 0, ("registration form with subform rows", too_wide(page))
    row = page.locator("[data-subform=caregivers] [data-subform-row]").first
    cell = row.locator("select, input").first.bounding_box()
    assert cell and cell["x"] >= 0 and cell["x"] + cell["width"] <= viewport["width"]

    page.goto(base + seat.report_url)
    expect(page.locator("#report-timeline")).to_be_visible()
    assert overflow(page) == 0, ("report", too_wide(page))
    page.context.close()
