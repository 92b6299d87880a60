"""Knowledge checks and certificates in the browser.

A trainer assigns the SOP quiz as the workshop's pre-test and post-test; a trainee,
whose language is Arabic, takes both (right to left) and reads the feedback; the
trainer compares before and after. The trainer then sets the certificate criteria,
issues the certificate, downloads the PDF and reads its text back; anyone, signed
in or not, checks its code on the public page, and sees it revoked once revoked.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from sandbox.accounts.models import User
from sandbox.quizzes.load import find_quiz
from sandbox.workshops.models import Enrolment, Workshop

from .conftest import login

TRAINER_PASSWORD = "pw-trainer-e2e-1"
TRAINEE_PASSWORD = "pw-trainee-e2e-1"


@pytest.fixture
def workshop(transactional_db: None) -> Workshop:
    trainer = User.objects.create_user("tomas", password=TRAINER_PASSWORD, first_name="Tomas",
                                       last_name="Trainer", kind=User.Kind.TRAINER)
    layla = User.objects.create_user("layla", password=TRAINEE_PASSWORD, first_name="Layla",
                                     last_name="Haddad", kind=User.Kind.TRAINEE, language="ar")
    workshop = Workshop.objects.create(title="Belmar ToT, March cohort", trainer=trainer,
                                       starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 6))
    Enrolment.objects.create(workshop=workshop, user=layla, organisation="Lorendia CP Network")
    return workshop


def take(page: Page, kind: str, right: int) -> None:
    """Take the check from the trainee's list: the first `right` questions rightly."""
    quiz = find_quiz("sop-pre-post")
    assert quiz is not None
    page.locator(f"#my-checks [data-kind={kind}] .take-check").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("fieldset.question")).to_have_count(10)
    for index, question in enumerate(quiz.questions):
        if question.kind == "true_false":
            value = str(question.answer if index < right else not question.answer).lower()
        else:
            value = str(question.answer) if index < right else next(
                o.id for o in question.options if o.id != question.answer)
        page.locator(f"#q-{question.id}-{value}").check()
    page.locator("#quiz-submit").click()
    expect(page.locator("#quiz-score")).to_be_visible()
    expect(page.locator("fieldset.question[data-right=yes]")).to_have_count(right)
    expect(page.locator(".feedback").first).to_contain_text(quiz.questions[0].feedback["ar"])


def test_pre_and_post_test_then_a_certificate_checked_in_public(
        page: Page, browser: Browser, live_server, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # -- The trainer assigns the SOP quiz twice: before and after. ----------------------
    login(page, base, "tomas", TRAINER_PASSWORD)
    page.goto(f"{base}/workshops/{workshop.pk}/")
    page.locator("#link-knowledge-checks").click()
    page.locator("#id_quiz_id").select_option("sop-pre-post")
    page.locator("#id_kind").select_option("pre")
    page.locator("#assign-quiz-submit").click()
    expect(page.locator("#assigned-checks tr[data-kind=pre]")).to_be_visible()
    page.locator("#id_quiz_id").select_option("sop-pre-post")
    page.locator("#assign-quiz-submit").click()  # the post-test is the kind left
    expect(page.locator("#assigned-checks tr[data-kind=post]")).to_be_visible()

    # -- The trainee takes both, in Arabic. ----------------------------------------------
    trainee_context = browser.new_context(locale="ar")
    trainee = trainee_context.new_page()
    login(trainee, base, "layla", TRAINEE_PASSWORD)
    trainee.goto(f"{base}/workshops/mine/{workshop.pk}/")
    trainee.locator("#link-my-checks").click()
    take(trainee, "pre", 4)
    trainee.locator(".breadcrumb a").nth(1).click()
    take(trainee, "post", 9)
    trainee_context.close()

    # -- The trainer compares. -------------------------------------------------------------
    page.reload()
    row = page.locator("#comparison-table tr[data-trainee=layla]")
    expect(row.locator(".pre")).to_contain_text("40")
    expect(row.locator(".post")).to_contain_text("90")
    expect(row.locator(".change")).to_have_text("+50")
    expect(page.locator("#cohort-improved")).to_contain_text("1 of 1")
    with page.expect_download() as csv_download:
        page.locator("#comparison-csv").click()
    assert "layla,Layla Haddad,Lorendia CP Network,40.0,90.0,50.0" in \
        open(csv_download.value.path(), encoding="utf-8").read()

    # -- Certificates: criteria, issue, download, check. -----------------------------------
    page.goto(f"{base}/workshops/{workshop.pk}/")
    page.locator("#link-certificates").click()
    page.locator("#id_min_exercises_joined").fill("0")
    page.locator("#id_min_post_test_percent").fill("80")
    page.locator("#criteria-submit").click()
    expect(page.locator("tr[data-trainee=layla]")).to_have_attribute("data-meets", "yes")
    page.locator("#issue-all").click()
    expect(page.locator("#issued tr[data-certificate]")).to_have_count(1)
    with page.expect_download() as pdf_download:
        page.locator(".download-certificate").click()
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert "Layla Haddad" in text and "Belmar ToT, March cohort" in text
    code = re.search(r"([A-Z2-9]{5}-){3}[A-Z2-9]{5}", text)
    assert code is not None
    assert code.group(0) == page.locator("#issued tr[data-certificate]").get_attribute("data-code")

    visitor_context = browser.new_context(locale="en-GB")  # nobody signed in
    visitor = visitor_context.new_page()
    visitor.goto(f"{base}/certificates/check/")
    visitor.locator("#id_code").fill(code.group(0).lower())
    visitor.locator("#check-submit").click()
    expect(visitor.locator("#check-result")).to_have_attribute("data-result", "valid")
    expect(visitor.locator("#check-holder")).to_have_text("Layla Haddad")
    expect(visitor.locator("#check-workshop")).to_have_text("Belmar ToT, March cohort")
    expect(visitor.locator("#check-issuer")).to_have_text("Tomas Trainer")
    expect(visitor.locator("body")).not_to_contain_text("Lorendia")  # nothing else

    page.locator("#issued form button").click()  # revoke (the dialog is accepted)
    expect(page.locator("#issued .badge.text-bg-danger")).to_be_visible()
    visitor.reload()
    expect(visitor.locator("#check-result")).to_have_attribute("data-result", "revoked")
    visitor_context.close()
