"""A long import runs as a background job: the workshop page shows it waiting, polls it
without a reload, then shows its outcome, and the new accounts' passwords once.

The job is left queued by the page and run by the test itself, at a moment the test
chooses (the live server shares the test's database connection)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.jobs import services as jobs
from sandbox.jobs.models import Job
from sandbox.workshops.models import Workshop

from .conftest import login

PASSWORD = "pw-trainer-e2e-1"
COHORT = "name,email,organisation,language\n" + "".join(
    f"Trainee {n},trainee{n}@example.org,DSW,en\n" for n in range(6))


@pytest.fixture
def workshop(transactional_db: None) -> Workshop:
    import datetime as dt

    trainer = User.objects.create_user("tomas", password=PASSWORD, first_name="Tomas",
                                       last_name="Trainer", kind=User.Kind.TRAINER)
    return Workshop.objects.create(trainer=trainer, title="Belmar ToT", starts_on=dt.date(2026, 3, 2),
                                   ends_on=dt.date(2026, 3, 6))


def test_a_long_import_shows_its_progress_then_the_passwords_once(
        page: Page, live_server, workshop: Workshop, settings, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings.JOBS_IMPORT_THRESHOLD = 5
    monkeypatch.setattr(jobs, "dispatch", lambda job: None)  # nothing runs it yet
    base = live_server.url
    login(page, base, "tomas", PASSWORD)
    page.goto(f"{base}/workshops/{workshop.pk}/")
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(COHORT, encoding="utf-8")
    page.set_input_files("#import_file", str(cohort))
    page.locator("#import-submit").click()

    job = Job.objects.get(kind="trainees.import")
    panel = page.locator(f"#job-{job.pk}")
    expect(panel).to_have_attribute("data-status", "queued")
    expect(panel.locator(".job-progress")).to_contain_text("Waiting for a worker")
    assert User.objects.filter(kind=User.Kind.TRAINEE).count() == 0
    jobs.run_job(job.pk)  # a worker takes it
    # The fragment replaces itself until the job is over, without reloading the page.
    expect(panel).to_have_attribute("data-status", "done", timeout=60_000)
    # Then the page reloads itself, with the new trainees in its list.
    expect(page.locator("#trainees tr[data-trainee]")).to_have_count(6)
    expect(panel.locator(".job-outcome")).to_have_text("6 trainees added from the file.")
    expect(panel).not_to_have_attribute("hx-get", re.compile(".*"))  # polling stopped

    panel.locator(f"#job-{job.pk}-credentials").click()
    expect(page.locator("#new-accounts tbody tr")).to_have_count(6)
    page.goto(f"{base}/workshops/{workshop.pk}/")
    expect(page.locator(f"#job-{job.pk}-credentials")).to_have_count(0)  # shown once
    job.refresh_from_db()
    assert job.result["credentials"] == []
