"""A referral to a partner's system, in a real browser against a live server: the case worker
refers Joseph to the partner without his contact details; the referral leaves over signed HTTP
to the simulated partner (served by the same live server at SITE_URL), which accepts; the
outbox shows the message delivered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.configuration.bundle.load import load_bundle
from sandbox.interop.models import InboxMessage
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Space
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-e2e-12345"
SCENARIO = Path(settings.BASE_DIR) / "scenarios" / "partner-referral-sharing.yaml"


@pytest.fixture
def world(transactional_db: None, live_server: Any, settings: Any) -> Space:
    settings.SITE_URL = live_server.url
    load_bundle(DEFAULT_BUNDLE)
    user = User.objects.create_user("amani", password=PASSWORD, first_name="Amani", last_name="Okello")
    return seed_from_file(SCENARIO, slug="partner-e2e", trainees={"caseworker": user})


def test_a_referral_leaves_for_the_partner_without_the_address(page: Page, live_server: Any,
                                                               world: Space) -> None:
    base = live_server.url
    joseph = Case.objects.get(pk=SpaceSeed.objects.get(space=world).cases["joseph"])
    login(page, base, "amani", PASSWORD)
    page.goto(f"{base}/spaces/{world.slug}/cases/{joseph.display_id}/")
    page.locator("#action-refer").click()
    dialog = page.locator("#dialog-refer")
    dialog.locator("select[name=service_type]").select_option("psychosocial_support")
    dialog.locator("select[name=reason]").select_option("specialised_care")
    dialog.locator("select[name=to_agency]").select_option("cfi")
    dialog.locator("input[name=disclosed][value=contact]").uncheck()
    dialog.locator("[data-submit=refer]").click()
    # The partner answered over HTTP while the page was answered: accepted.
    page.goto(f"{base}/spaces/{world.slug}/cases/{joseph.display_id}/")
    expect(page.locator("#case-referrals [data-status=accepted]")).to_be_visible()

    page.locator("#nav-outbox").click()
    row = page.locator("#outbox-table tr[data-message]")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "sent")

    received = json.loads(InboxMessage.objects.get(space=world, at_partner=True).body)
    assert received["child"]["name_first"] == "Joseph"
    assert "address_current" not in received["child"] and "phone" not in received["child"]
    assert "Riverside" not in json.dumps(received)
