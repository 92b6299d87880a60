"""A GBV case in the browser, in English and in French: the case page names the survivor
(not the child); the GBV case worker records an incident from the survivor's case (the
GBVIMS classification picks rape over the physical assault that came with it), and the
health provider, whom the survivor did not allow to know who she is, sees the case
without her name.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sandbox.cases import services as s
from sandbox.configuration.bundle.load import load_bundle
from sandbox.gbv.models import Incident
from tests.conftest import DEFAULT_BUNDLE
from tests.factories import MemberFactory, SpaceFactory, UserFactory

from .conftest import login

PASSWORD = "pw-test-123"
SURVIVOR = {"en": "Survivor", "fr": "Survivante / survivant"}


@pytest.fixture
def world(transactional_db: None, request: pytest.FixtureRequest) -> dict[str, object]:
    language = request.node.callspec.params["language"]
    load_bundle(DEFAULT_BUNDLE)
    space = SpaceFactory(module="gbv")
    worker_user = UserFactory(username=f"gbv-worker-{language}", language=language)
    health_user = UserFactory(username=f"gbv-health-{language}", language=language)
    worker = MemberFactory(space=space, user=worker_user, role="gbv_caseworker", agency="amal",
                           user_groups=["amal_centre"])
    health = MemberFactory(space=space, user=health_user, role="gbv_provider_health", agency="lcs",
                           user_groups=[])
    case = s.case_register(actor=worker, data={
        "name_first": "Nadira", "name_last": "Belkacem", "phone": "+000 555 0142",
        "survivor_type": "adult", "sex": "female", "age": 31, "location_current": "LR010101",
        "risk_level": "high"})
    s.consent_record(actor=worker, case=case, consent_type="services", given=True)
    s.consent_record(actor=worker, case=case, consent_type="share_information", given=False)
    case.refresh_from_db()
    s.case_update(actor=worker, case=case, section="gbv_consent", data={
        "gbv_consent_services": True, "gbv_consent_share_identified": False,
        "gbv_consent_providers": ["health"]})
    case.refresh_from_db()
    s.referral_create(actor=worker, case=case, service_type="health_care", reason="medical_emergency",
                      to_member=health.pk)
    return {"space": space.slug, "case": case.display_id, "worker": worker_user.username,
            "health": health_user.username}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_incident_from_the_case_and_the_name_withheld(page: Page, live_server,  # type: ignore[no-untyped-def]
                                                      world: dict[str, object], language: str) -> None:
    base = live_server.url
    case_url = f"{base}/spaces/{world['space']}/cases/{world['case']}/"
    login(page, base, str(world["worker"]), PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(case_url)
    expect(page.locator("#case-name")).to_contain_text("Nadira Belkacem")
    # GBVIMS+ speaks of the survivor (the module's `person`), in the page's language.
    expect(page.locator("#case-person")).to_have_text(SURVIVOR[language])
    page.click("#menu-incident")
    page.fill("#id_incident_date", "2026-02-27")
    page.select_option("#id_location", "LR010101")
    page.check("input[name=acts][value=physical_assault]")
    page.check("input[name=acts][value=rape]")
    page.select_option("#id_perpetrator_relationship", "intimate_partner")
    # Incident from case: the referral to the health provider is already ticked.
    expect(page.locator("input[name=referred_to][value=health]")).to_be_checked()
    page.click("#incident-submit")
    expect(page.locator("#incident-type")).to_have_attribute("data-value", "rape")
    assert Incident.objects.get().acts == ["rape", "physical_assault"]

    page.context.clear_cookies()
    login(page, base, str(world["health"]), PASSWORD)
    page.goto(case_url)
    expect(page.locator("#case-name [data-identity-hidden]")).to_be_visible()
    content = page.content()
    assert "Nadira" not in content and "Belkacem" not in content and "0142" not in content
