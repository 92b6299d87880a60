"""An implementer reviews their own configuration in a real browser: upload a Primero
configuration, read what the import lost, the validation and the go-live report, and
try it in a trial space."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.configuration.bundle.load import load_bundle
from tests.conftest import DEFAULT_BUNDLE
from tests.golive.conftest import zip_folder

from .conftest import login

SEED = Path(settings.BASE_DIR) / "tests" / "fixtures" / "primero" / "seed"


@pytest.fixture
def implementer(transactional_db: None) -> User:
    load_bundle(DEFAULT_BUNDLE)
    return User.objects.create_user("impl", password="pw-impl-123", first_name="Ines",
                                    kind=User.Kind.ADMINISTRATOR)


def test_review_a_primero_configuration_and_try_it(page: Page, live_server, implementer,
                                                   tmp_path: Path, screenshot) -> None:
    upload = tmp_path / "valdoria.zip"
    upload.write_bytes(zip_folder(SEED, prefix="valdoria/"))
    login(page, live_server.url, "impl", "pw-impl-123")
    page.click("#nav-configurations")
    expect(page.locator("h1")).to_contain_text("Configurations before go-live")
    page.set_input_files("#id_file", str(upload))
    page.click("#upload-submit")

    expect(page.locator("h1")).to_contain_text("valdoria.zip")
    expect(page.locator("#import-report")).to_contain_text("Import from Primero")
    expect(page.locator("#validation")).to_contain_text("No problem blocks loading.")
    golive = page.locator("#golive")
    # Every scenario of the modules this configuration has runs on it (its GBV ones are said
    # not to apply: Primero's child protection configuration has no GBV module).
    expect(golive).to_contain_text(re.compile(r"\b(\d+) of \1 scenarios run"))
    expect(golive).to_contain_text("Scenarios of a module this configuration does not have")
    expect(golive.locator("tr[data-scenario=uasc-market-separation]")).to_contain_text("yes")
    screenshot("configuration-review")

    page.select_option("#language-select", "ar")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#golive tr[data-scenario=uasc-market-separation]")).to_be_visible()
    screenshot("configuration-review-ar")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("load")

    page.click("#trial-submit")
    expect(page).to_have_url(f"{live_server.url}/spaces/trial-1/")
    expect(page.locator("body")).to_contain_text("Running workshops are not affected.")
