"""A remote training session in two browsers: a trainer runs it, a trainee takes part.

The trainer creates a workshop, imports three trainees from a CSV file, assigns
"Found alone at the market" and starts it. A trainee logs in (in another browser
context) with the password the trainer read on the page, opens their space and
works; the trainer's live board, never reloaded, shows them submitted with
their score. The trainer resets them and downloads the results.

The case work itself is played by the scenario's reference solution in the test
process (the live server shares the database): the case pages have their own
browser test. The trainee still moves their clock and submits in the browser.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from sandbox.accounts.models import User
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.services import play_solution
from sandbox.workshops.models import Attempt
from tests.conftest import DEFAULT_BUNDLE

from .conftest import ARTIFACTS, login

PASSWORD = "pw-trainer-e2e-1"
SCENARIO = "uasc-market-separation"
COHORT = """name,email,organisation,language
Amani Okello,amani.okello@example.org,DSW North,en
Claire Dubois,claire.dubois@example.org,Croissant-Rouge,fr
Layla Haddad,layla.haddad@example.org,Lorendia CP Network,ar
"""


@pytest.fixture
def trainer_account(transactional_db: None) -> User:
    load_bundle(DEFAULT_BUNDLE)
    return User.objects.create_user("tomas", password=PASSWORD, first_name="Tomas",
                                    last_name="Trainer", kind=User.Kind.TRAINER)


def accept_dialogs(page: Page) -> None:
    """Answer "OK" to the confirmations of submit and reset."""
    page.on("dialog", lambda dialog: dialog.accept())


def test_remote_session(page: Page, browser: Browser, live_server, trainer_account: User,
                        screenshot, tmp_path: Path) -> None:
    base = live_server.url

    # -- The trainer prepares the session. ---------------------------------------------
    login(page, base, "tomas", PASSWORD)
    accept_dialogs(page)
    page.locator("#home-new-workshop").click()
    form = page.locator("#workshop-form")
    form.locator("#workshop_title").fill("Belmar ToT — remote, week 1")
    form.locator("#workshop_language").select_option("en")
    form.locator("#workshop_starts_on").fill("2026-03-02")
    form.locator("#workshop_ends_on").fill("2026-03-06")
    form.locator("#workshop_organisations").fill("DSW, Croissant-Rouge, Lorendia CP Network")
    form.locator("#workshop-submit").click()
    expect(page.locator("#workshop-title")).to_have_text("Belmar ToT — remote, week 1")

    cohort = tmp_path / "cohort.csv"
    cohort.write_text(COHORT, encoding="utf-8")
    page.set_input_files("#import_file", str(cohort))
    page.locator("#import-submit").click()
    accounts = page.locator("#new-accounts tbody tr")
    expect(accounts).to_have_count(3)
    username = accounts.first.locator(".new-username").inner_text().strip()
    password = accounts.first.locator(".new-password").inner_text().strip()
    assert username == "amani.okello" and len(password) >= 10
    expect(page.locator("#trainees tr[data-trainee]")).to_have_count(3)
    screenshot("workshop")

    page.locator("#exercise_scenario_id").select_option(SCENARIO)
    page.locator("#exercise-form input[name=mode][value=individual]").check()
    page.locator("#exercise_time_limit_minutes").fill("45")
    page.locator("#exercise-submit").click()
    page.locator("#exercise-start").click()
    rows = page.locator("#board tbody tr")
    expect(rows).to_have_count(3)
    row = page.locator(f"#board tr[data-trainee='{username}']")
    expect(row).to_have_attribute("data-status", "in_progress")
    exercise_url = page.url
    # A mark on the window: it would vanish if the page were reloaded; and the board's own
    # element, which stays as long as polls send only the rows that changed.
    page.evaluate("window.boardNeverReloaded = true")
    page.evaluate("window.boardElement = document.getElementById('board')")

    # -- A trainee joins in, in a browser of their own. -------------------------------
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    trainee = context.new_page()
    accept_dialogs(trainee)
    login(trainee, base, username, password)
    expect(trainee.locator("#current-user")).to_have_text("Amani Okello")
    trainee.locator("#my-training a[href^='/workshops/mine/']").first.click()
    expect(trainee.locator(".assignment[data-scenario='uasc-market-separation']")).to_be_visible()
    trainee.locator(".open-space").click()
    expect(trainee.locator("#brief h1")).to_have_text("Found alone at the market")

    attempt = Attempt.objects.select_related("space").get(enrolment__user__username=username)
    assert attempt.space is not None
    play_solution(attempt.space)

    clock = trainee.locator("#space-clock time")
    before = clock.get_attribute("datetime")
    trainee.locator("#advance-1h").click()
    expect(clock).not_to_have_attribute("datetime", before or "")

    trainee.locator(".navbar-brand").click()
    trainee.locator("#my-training a[href^='/workshops/mine/']").first.click()
    trainee.screenshot(path=str(ARTIFACTS / "trainee-workshop.png"), full_page=True)
    trainee.locator(".submit-attempt").click()
    expect(trainee.locator("#report-score")).to_contain_text("(100%)")
    expect(trainee.locator("#report-verdict")).to_have_attribute("data-passed", "true")

    # -- The trainer's board catches up on its own. -----------------------------------
    expect(row).to_have_attribute("data-status", "submitted", timeout=20_000)
    expect(row.locator(".board-score")).to_have_text("100%")
    expect(row.locator(".board-met")).to_have_text("6 / 6")
    expect(page.locator("#board-submitted")).to_have_text("1 of 3 submitted")
    expect(rows).to_have_count(3)
    assert page.url == exercise_url
    assert page.evaluate("window.boardNeverReloaded") is True
    # The row and the header were swapped in place: the board itself was never redrawn.
    assert page.evaluate("document.getElementById('board') === window.boardElement") is True
    screenshot("board")

    # The trainer reads the trainee's report, then lets them start again.
    row.locator(".board-report").click()
    expect(page.locator("#report-score")).to_contain_text("(100%)")
    page.goto(exercise_url)
    row.locator(".board-reset").click()
    expect(page.locator(".alert-success")).to_contain_text("Amani Okello starts again")
    expect(row).to_have_attribute("data-attempt", "2")
    expect(row).to_have_attribute("data-status", "in_progress")

    # -- Results and downloads. -------------------------------------------------------
    page.locator("#results-link").click()
    expect(page.locator("#results-attempts tr[data-trainee]")).to_have_count(1)
    # The chart counts the steps the board counted ("6 / 6"): `never` rules are no steps.
    expect(page.locator(".rule-bar")).to_have_count(6)
    screenshot("results")
    # The same chart, right to left.
    with page.expect_navigation():
        page.select_option("#language-select", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".rule-bar")).to_have_count(6)
    screenshot("results-ar")

    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
    table = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    [amani] = [r for r in table if r["username"] == username]
    assert amani["trainee"] == "Amani Okello" and float(amani["percent"]) == 100

    with page.expect_download() as download:
        page.locator("#download-xapi").click()
    statements = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    [statement] = [s for s in statements if s["verb"]["id"].endswith("/completed")]
    assert "amani.okello@example.org" not in json.dumps(statements)  # an account, no e-mail
    assert statement["actor"]["account"]["name"]
    assert statement["object"]["id"].endswith(f"/scenarios/{SCENARIO}")
    assert statement["result"]["score"]["scaled"] == 1
    # and one statement per step, all passed
    steps = [s for s in statements if s is not statement]
    assert steps and all(s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed" for s in steps)

    # The same statements wait in the queue for the learning record store.
    page.locator("#statements-link").click()
    expect(page.locator("#queue-unsent tr[data-statement]")).to_have_count(len(statements))
    context.close()
