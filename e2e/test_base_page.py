"""The base of every page in a real browser: banner, login, language switcher, RTL."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.configuration.bundle.load import load_bundle
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login


@pytest.fixture
def trainee_account(transactional_db: None) -> User:
    load_bundle(DEFAULT_BUNDLE)
    return User.objects.create_user("trainee9", password="pw-trainee-9", first_name="Amani",
                                    kind=User.Kind.TRAINEE)


def test_login_then_arabic_right_to_left(page: Page, live_server, trainee_account, screenshot) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("#training-banner")).to_contain_text("synthetic data only")
    login(page, live_server.url, "trainee9", "pw-trainee-9")
    expect(page.locator("h1")).to_contain_text("Welcome, Amani")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    page.select_option("#language-select", "ar")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_contain_text("مرحباً")
    expect(page.locator("#training-banner")).to_contain_text("بيانات اصطناعية")
    # Right to left for real: the brand sits to the right of the logout button.
    brand = page.locator(".navbar-brand").bounding_box()
    logout = page.get_by_role("button", name="تسجيل الخروج").bounding_box()
    assert brand and logout and brand["x"] > logout["x"]
    screenshot("home-ar")

    page.select_option("#language-select", "fr")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_contain_text("Bienvenue")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_banner_stays_visible_when_scrolling(page: Page, live_server, trainee_account) -> None:
    login(page, live_server.url, "trainee9", "pw-trainee-9")
    page.set_viewport_size({"width": 800, "height": 300})
    page.mouse.wheel(0, 2000)
    box = page.locator("#training-banner").bounding_box()
    assert box is not None and box["y"] <= 1
