"""Case exports from the pages, in a real browser: CSV, Excel and the PDF case file download,
and the de-identified downloads hold no name, date of birth or phone of the seeded people.

A supervisor (a trainee playing the scenario's supervisor) exports from the case list and
from a case's page; elements are found by ids, never by translated text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import Page
from pypdf import PdfReader

from sandbox.accounts.models import User
from sandbox.cases.models import Case, Event
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Space
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-e2e-12345"
UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


@pytest.fixture
def world(transactional_db: None) -> Space:
    load_bundle(DEFAULT_BUNDLE)
    user = User.objects.create_user("grace", password=PASSWORD, first_name="Grace", last_name="Mensah")
    return seed_from_file(UASC, slug="exports", trainees={"supervisor": user})


def personal_values(space: Space) -> set[str]:
    """Every name, date of birth and phone number of the seeded people (children and caregivers)."""
    found: set[str] = set()

    def walk(key: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k, v)
        elif isinstance(value, list):
            for v in value:
                walk(key, v)
        elif isinstance(value, str) and len(value) > 3 and re.search(r"name|phone|birth", key):
            found.add(value)

    for case in Case.objects.filter(space=space):
        walk("name", [case.name_first, case.name_last])
        if case.date_of_birth:
            found.add(case.date_of_birth.isoformat())
        walk("data", case.data)
    return found


def download(page: Page, button: str) -> bytes:
    with page.expect_download() as info:
        page.click(button)
    path = info.value.path()
    assert path is not None
    return Path(path).read_bytes()


def csv_text(content: bytes) -> str:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return "\n".join(",".join(row) for row in rows)


def xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_exports_download_from_the_pages_and_the_deidentified_ones_hold_no_seeded_person(
        page: Page, live_server: Any, world: Space) -> None:
    base = live_server.url
    login(page, base, "grace", PASSWORD)
    people = personal_values(world)
    amina = Case.objects.get(space=world, name_first="Amina")
    assert "Amina" in people and len(people) > 20
    cases = Case.objects.filter(space=world).count()

    page.goto(f"{base}/spaces/{world.slug}/cases/")
    plain_csv = csv_text(download(page, "#export-csv"))
    assert amina.display_id in plain_csv and "Amina" in plain_csv
    assert len(plain_csv.splitlines()) == cases + 1
    plain_xlsx = xlsx_text(download(page, "#export-xlsx"))
    assert "Amina" in plain_xlsx

    deidentified = {"csv": csv_text(download(page, "#export-csv-deidentified")),
                    "xlsx": xlsx_text(download(page, "#export-xlsx-deidentified"))}
    assert len(deidentified["csv"].splitlines()) == cases + 1

    page.goto(f"{base}/spaces/{world.slug}/cases/{amina.display_id}/")
    case_file = pdf_text(download(page, "#export-pdf"))
    assert "Amina" in case_file and amina.display_id in case_file
    deidentified["pdf"] = pdf_text(download(page, "#export-pdf-deidentified"))

    for kind, text in deidentified.items():
        leaked = sorted(value for value in people if value in text)
        assert leaked == [], f"the de-identified {kind} holds {leaked}"
    # Every download was recorded: an event per case in each list, one per case file.
    assert Event.objects.filter(space=world, action="case.export").count() == 4 * cases + 2
