"""A child's case through every SOP step in a real browser, in English and in Arabic.

A case worker, a supervisor and a service provider take turns in one space. The
test finds elements by ids, names and data attributes, never by translated
text, so the same scenario runs in every language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.configuration.bundle.load import load_bundle
from sandbox.spaces.models import Member, Space
from sandbox.spaces.services import member_add, space_create
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-e2e-12345"


@dataclass
class Cast:
    space: Space
    worker: Member
    supervisor: Member
    provider: Member


@pytest.fixture
def cast(transactional_db: None, request: pytest.FixtureRequest) -> Cast:
    language = request.node.callspec.params["language"]
    load_bundle(DEFAULT_BUNDLE)
    # The case worker picks the language in the top bar; the others have it as their preference.
    worker = User.objects.create_user("worker", password=PASSWORD, first_name="Amani",
                                      last_name="Okello")
    supervisor = User.objects.create_user("supervisor", password=PASSWORD, first_name="Grace",
                                          last_name="Mensah", language=language)
    provider = User.objects.create_user("provider", password=PASSWORD, first_name="Yusuf",
                                        last_name="Haddad", language=language)
    space = space_create(slug="belmar-a", title="Belmar workshop, group A", bundle="default")
    return Cast(
        space=space,
        worker=member_add(space=space, role="caseworker", user=worker, user_groups=["dsw_north"]),
        supervisor=member_add(space=space, role="supervisor", user=supervisor,
                              user_groups=["dsw_north"]),
        provider=member_add(space=space, role="service_provider", user=provider, agency="lcs"),
    )


def sign_in(page: Page, base: str, username: str, language: str) -> None:
    login(page, base, username, PASSWORD)
    expect(page.locator("#current-user")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)


def sign_out(page: Page) -> None:
    page.locator("form[action$='/accounts/logout/'] button[type=submit]").click()
    expect(page.locator("#id_username")).to_be_visible()


def open_case(page: Page, base: str, cast: Cast, display_id: str) -> None:
    page.goto(f"{base}/spaces/{cast.space.slug}/cases/{display_id}/")
    expect(page.locator("#case-id")).to_have_text(display_id)


def approve_in_queue(page: Page, base: str, cast: Cast, display_id: str, kind: str,
                     language: str) -> None:
    sign_in(page, base, "supervisor", language)
    page.goto(f"{base}/")
    page.locator(f"[data-space='{cast.space.slug}']").click()
    page.locator("#nav-approvals").click()
    card = page.locator(f".approval-card[data-case='{display_id}'][data-kind='{kind}']")
    card.locator("textarea[name=comment]").fill("Checked with the case worker.")
    card.locator("[data-decision=approve]").click()
    expect(page.locator(f".approval-card[data-case='{display_id}']")).to_have_count(0)
    expect(page.locator(".alert-success")).to_be_visible()
    sign_out(page)


def request_approval(page: Page, kind: str) -> None:
    page.locator("#action-approval-request").click()
    dialog = page.locator("#dialog-approval-request")
    dialog.locator("select[name=kind]").select_option(kind)
    dialog.locator("textarea[name=comment]").fill("Ready for review.")
    dialog.locator("[data-submit=approval-request]").click()
    expect(page.locator(f"#case-approvals tr[data-kind='{kind}'][data-status='pending']")).to_be_visible()


def expect_rtl(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_case_from_registration_to_closure(page: Page, live_server, cast: Cast, screenshot,
                                           language: str) -> None:
    base = live_server.url
    login(page, base, "worker", PASSWORD)
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    expect_rtl(page, language)
    page.locator(f"[data-space='{cast.space.slug}']").click()
    expect(page.locator("#space-title")).to_have_text(cast.space.title)

    # 1. Identification and registration: the duplicate search first.
    page.locator("#nav-register").click()
    page.fill("#search_q", "Amina Diallo")
    page.fill("#search_age", "11")
    page.locator("#search-submit").click()
    expect(page.locator("#no-duplicates")).to_be_visible()
    form = page.locator("#register-form")
    expect(form.locator("#id_name_first")).to_have_value("Amina")
    form.locator("input[name=sex][value=female]").check()
    form.locator("#id_location_current").select_option("LR010101")
    form.locator("#id_date_identified").fill("2026-03-01")
    form.locator("#id_identified_by").select_option("community_volunteer")
    form.locator("input[name=protection_concerns][value=separated]").check()
    form.locator("#id_risk_level").select_option("high")
    # Skip logic: the type of disability shows only when the child has one.
    disability = form.locator(".cfield[data-field=disability_type]")
    expect(disability).to_be_hidden()
    form.locator("#id_has_disability").check()
    expect(disability).to_be_visible()
    form.locator("#id_disability_type").select_option("physical")
    # A subform: add two caregiver rows, remove one.
    form.locator("[data-subform-add=caregivers]").click()
    form.locator("[data-subform-add=caregivers]").click()
    rows = form.locator("[data-subform=caregivers] [data-subform-row]")
    expect(rows).to_have_count(2)
    rows.nth(1).locator("[data-subform-remove]").click()
    expect(rows).to_have_count(1)
    form.locator("[name=caregivers__0__caregiver_name]").fill("Salma Diallo")
    form.locator("[name=caregivers__0__caregiver_relationship]").select_option("aunt")
    form.locator("#register-submit").click()
    expect(page.locator("#case-stage")).to_have_attribute("data-stage", "new")
    display_id = page.locator("#case-id").inner_text().strip()
    expect_rtl(page, language)

    # 2. Consent: services and sharing information.
    page.locator("#action-consent").click()
    dialog = page.locator("#dialog-consent")
    dialog.locator("input[name=consent__services][value=yes]").check()
    dialog.locator("input[name=consent__share_information][value=yes]").check()
    dialog.locator("select[name=given_by]").select_option("both")
    dialog.locator("[data-submit=consent]").click()
    expect(page.locator("[data-consent=share_information][data-given=yes]")).to_be_visible()

    # 3. Assessment: start, complete, request approval.
    page.locator("#action-assessment-request").click()
    expect(page.locator("#case-stage")).to_have_attribute("data-stage", "assessment")
    page.locator("#action-assessment-complete").click()
    page.locator("#id_safety_rating_0").check()
    page.locator("#id_assessment_summary").fill("Safe with a neighbour; needs family tracing.")
    page.locator("input[name=assessed_needs][value=family_tracing]").check()
    page.locator("#page-submit").click()
    expect(page.locator("#case-header")).to_be_visible()
    request_approval(page, "assessment")
    sign_out(page)

    approve_in_queue(page, base, cast, display_id, "assessment", language)

    # 4. Case plan: one row, then its approval.
    sign_in(page, base, "worker", language)
    open_case(page, base, cast, display_id)
    expect(page.locator("#case-stage")).to_have_attribute("data-stage", "case_plan")
    page.locator("#action-case-plan").click()
    row = page.locator("[data-subform=case_plan_items] [data-subform-row]").first
    row.locator("[name=case_plan_items__0__plan_need]").select_option("family_tracing")
    row.locator("[name=case_plan_items__0__plan_goal]").fill("Amina lives with her family again")
    row.locator("[name=case_plan_items__0__plan_action]").fill("Refer to the Crescent Society")
    row.locator("[name=case_plan_items__0__plan_responsible]").fill("Case worker")
    row.locator("[name=case_plan_items__0__plan_target_date]").fill("2026-03-20")
    page.locator("#page-submit").click()
    expect(page.locator("#case-header")).to_be_visible()
    request_approval(page, "case_plan")
    sign_out(page)

    approve_in_queue(page, base, cast, display_id, "case_plan", language)

    # 5. Implementation: refer to the service provider, who accepts.
    sign_in(page, base, "worker", language)
    open_case(page, base, cast, display_id)
    expect(page.locator("#case-stage")).to_have_attribute("data-stage", "service_provision")
    page.locator("#action-refer").click()
    dialog = page.locator("#dialog-refer")
    dialog.locator("select[name=service_type]").select_option("family_tracing")
    dialog.locator("select[name=reason]").select_option(index=1)
    dialog.locator("select[name=to_member]").select_option(str(cast.provider.pk))
    dialog.locator("select[name=urgency]").select_option("immediate")
    dialog.locator("textarea[name=notes]").fill("Family last seen in Tazrit.")
    dialog.locator("[data-submit=refer]").click()
    expect(page.locator("#case-referrals [data-status=pending]")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "provider", language)
    page.goto(f"{base}/spaces/{cast.space.slug}/")
    page.locator("#nav-referrals").click()
    card = page.locator(f".referral-card[data-case='{display_id}']")
    card.locator("textarea[name=comment]").fill("We can start tomorrow.")
    card.locator("[data-answer=accept]").click()
    expect(page.locator(f".referral-card[data-case='{display_id}']")).to_have_attribute(
        "data-status", "accepted")
    expect_rtl(page, language)
    sign_out(page)

    # 6. Follow-up by phone, then closure with the supervisor's approval.
    sign_in(page, base, "worker", language)
    open_case(page, base, cast, display_id)
    page.locator("#action-followup").click()
    dialog = page.locator("#dialog-followup")
    expect(dialog.locator("input[name=date]")).to_have_value("2026-03-02")
    dialog.locator("select[name=followup_type]").select_option("phone_call")
    dialog.locator("textarea[name=findings]").fill("Spoke with the aunt; Amina is safe.")
    dialog.locator("select[name=risk_level]").select_option("low")
    dialog.locator("[data-submit=followup]").click()
    expect(page.locator("#case-followups [data-type=phone_call]")).to_be_visible()
    expect(page.locator("#case-risk")).to_have_attribute("data-risk", "low")
    expect(page.locator("#action-close")).to_be_disabled()
    request_approval(page, "closure")
    sign_out(page)

    approve_in_queue(page, base, cast, display_id, "closure", language)

    sign_in(page, base, "worker", language)
    open_case(page, base, cast, display_id)
    page.locator("#action-close").click()
    page.locator("#id_closure_reason").select_option("reunified")
    page.locator("#id_closure_date").fill("2026-03-02")
    page.locator("#id_closure_final_situation").fill("Living with her aunt; safe; at school.")
    page.locator("#page-submit").click()
    expect(page.locator("#case-stage")).to_have_attribute("data-stage", "closed")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "closed")
    expect_rtl(page, language)
    if language == "ar":
        screenshot("case-ar")

    # The history tab lists every step, newest first.
    page.locator("#menu-history").click()
    events = page.locator(".history-event")
    expect(events.first).to_have_attribute("data-action", "case.close")
    for action in ("case.register", "consent.record", "assessment.complete", "approval.decide",
                   "case_plan.save", "referral.create", "referral.accept", "followup.record"):
        expect(page.locator(f".history-event[data-action='{action}']").first).to_be_visible()
    expect(events.last).to_have_attribute("data-action", "case.register")
    expect_rtl(page, language)
    screenshot(f"case-history-{language}")
