"""Guidance in a real browser: the step bar and the next-step hint agree with the case's
state through a whole case; waiting for the next event works from the case page; and a
keyboard alone (Tab, arrows, Enter and the skip link) signs in, opens a case and records
consent."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from sandbox.cases import services as s
from sandbox.cases.models import Approval, Case, Service
from sandbox.simulation.engine import next_due
from sandbox.simulation.models import SpaceSeed
from tests.cases.conftest import assessment_data, case_plan_data, closure_data

from .conftest import login
from .seat import PASSWORD, Seat


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"{selector} not reached with Tab")


def skip_to_main(page: Page) -> None:
    page.keyboard.press("Tab")
    expect(page.locator("#skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_keyboard_only_sign_in_open_a_case_record_consent(page: Page, live_server, seat: Seat) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("trainee")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "/terms/" in page.url:
        tab_to(page, "#accept-terms")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    skip_to_main(page)
    tab_to(page, f"[data-space='{seat.practice.slug}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    skip_to_main(page)
    tab_to(page, f"a[href$='/cases/{seat.case.display_id}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#case-id")).to_have_text(seat.case.display_id)

    skip_to_main(page)
    tab_to(page, "#action-consent", limit=10)  # the actions come right after the header
    page.keyboard.press("Enter")
    dialog = page.locator("#dialog-consent")
    expect(dialog).to_be_visible()
    # The dialog takes the focus once it is open (Bootstrap keeps it inside).
    page.wait_for_function("() => document.getElementById('dialog-consent').contains(document.activeElement)")
    for kind in ("services", "share_information"):
        tab_to(page, f"input[name=consent__{kind}]", limit=15)
        # From "Not asked" up to "Given", with the arrows as a radio group moves.
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        expect(dialog.locator(f"input[name=consent__{kind}][value=yes]")).to_be_checked()
    tab_to(page, "[data-submit=consent]", limit=15)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("[data-consent=share_information][data-given=yes]")).to_be_visible()
    expect(page.locator(".sop-step[data-step=consent]")).to_have_attribute("data-state", "done")


def expect_guidance(page: Page, url: str, step: str, action: str, done: list[str]) -> None:
    page.goto(url)
    current = page.locator(".sop-step[data-state=current]")
    expect(current).to_have_attribute("data-step", step)
    expect(page.locator("#next-step")).to_have_attribute("data-step", step)
    expect(page.locator("#next-step")).to_have_attribute("data-action", action)
    for code in ("registration", "consent", "assessment", "case_plan", "services", "closure"):
        expect(page.locator(f".sop-step[data-step={code}]")).to_have_attribute(
            "data-state", "done" if code in done else ("current" if code == step else "todo"))
    if action:  # the hint's action is a button of the panel, on the page
        expect(page.locator(f"#action-panel [data-action='{action}']")).to_be_visible()


def test_hint_and_step_bar_agree_with_the_case_through_a_whole_case(
        page: Page, live_server, seat: Seat) -> None:
    base = live_server.url
    login(page, base, "trainee", PASSWORD)
    case, worker, boss = seat.case, seat.worker, seat.supervisor
    url = f"{base}/spaces/{seat.practice.slug}/cases/{case.display_id}/"

    def approve(kind: str) -> None:
        approval = s.approval_request(actor=worker, case=Case.objects.get(pk=case.pk), kind=kind)
        expect_guidance(page, url, step, "", done)  # waiting for the supervisor
        s.approval_decide(actor=boss, approval=Approval.objects.get(pk=approval.pk), approve=True,
                          comment="Fine.")

    done = ["registration"]
    step = "consent"
    expect_guidance(page, url, step, "consent", done)
    for kind in ("services", "share_information"):
        s.consent_record(actor=worker, case=case, consent_type=kind, given=True, given_by="both")
    done.append("consent")
    step = "assessment"
    expect_guidance(page, url, step, "assessment-request", done)
    s.assessment_request(actor=worker, case=Case.objects.get(pk=case.pk))
    expect_guidance(page, url, step, "assessment-complete", done)
    s.assessment_complete(actor=worker, case=Case.objects.get(pk=case.pk), data=assessment_data())
    expect_guidance(page, url, step, "approval-request", done)
    approve("assessment")
    done.append("assessment")
    step = "case_plan"
    expect_guidance(page, url, step, "case-plan", done)
    s.case_plan_save(actor=worker, case=Case.objects.get(pk=case.pk), data=case_plan_data())
    expect_guidance(page, url, step, "approval-request", done)
    approve("case_plan")
    done.append("case_plan")
    step = "services"
    expect_guidance(page, url, step, "refer", done)
    s.service_add(actor=worker, case=Case.objects.get(pk=case.pk), service_type="education")
    expect_guidance(page, url, step, "followup", done)
    s.service_implement(actor=worker, service=Service.objects.get(case=case))
    done.append("services")
    step = "closure"
    expect_guidance(page, url, step, "approval-request", done)
    approve("closure")
    expect_guidance(page, url, step, "close", done)
    s.case_close(actor=worker, case=Case.objects.get(pk=case.pk), data=closure_data())
    page.goto(url)
    expect(page.locator(".sop-step[data-state=done]")).to_have_count(6)
    expect(page.locator("#next-step")).to_have_attribute("data-action", "reopen")


def test_waiting_for_the_next_event_from_the_case_page(page: Page, live_server, seat: Seat) -> None:
    base = live_server.url
    login(page, base, "trainee", PASSWORD)
    space = seat.exercise
    case_id = next(iter(SpaceSeed.objects.get(space=space).cases.values()))
    display_id = Case.objects.get(pk=case_id).display_id
    url = f"{base}/spaces/{space.slug}/cases/{display_id}/"
    page.goto(url)
    due = next_due(space)
    assert due is not None
    before = page.locator("#space-clock time").get_attribute("datetime")
    with page.expect_navigation():
        page.locator("#header-wait").click()
    assert page.url == url  # back on the case page, not on the Exercise page
    after = page.locator("#space-clock time").get_attribute("datetime")
    assert after != before and after is not None and after.startswith(due.date().isoformat())
    expect(page.locator(".alert-info").first).to_be_visible()
    space.refresh_from_db()
    assert space.clock == due
