"""Case exports from the pages: CSV, Excel and the PDF case file, in full and de-identified.

The world of the case system's tests (tests/cases/conftest.py): a supervisor of the
group dsw_north (who may export), the group's case worker (who may not), a case worker
of another agency whose case is outside the supervisor's scope, and a trainee of another
space.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from sandbox.cases import services as s
from sandbox.cases.models import Event
from sandbox.reporting.exports.columns import pseudonym
from tests.cases.conftest import World, assessment_data, registration_data
from tests.factories import MemberFactory, SpaceFactory

PHONE = "+000 77 123 4567"


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response: Any) -> list[list[Any]]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def _pdf(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def urls(world: World, case: Any = None) -> dict[str, str]:
    slug = world.space.slug
    found = {"csv": reverse("reporting:cases_csv", kwargs={"space": slug}),
             "xlsx": reverse("reporting:cases_xlsx", kwargs={"space": slug})}
    if case is not None:
        found["pdf"] = reverse("reporting:case_pdf", kwargs={"space": slug,
                                                             "display_id": case.display_id})
    return found


@pytest.fixture
def amina(world: World) -> Any:
    case = world.consented(phone=PHONE, address_current="12 Harbour Lane, Belmar",
                           date_of_birth="2015-02-14", name_nickname="Mimi",
                           caregivers=[{"caregiver_name": "Fatou Diallo",
                                        "caregiver_phone": "+000 77 765 4321",
                                        "caregiver_relationship": "aunt"}])
    s.assessment_request(actor=world.worker, case=case)
    s.assessment_complete(actor=world.worker, case=case, data=assessment_data())
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_csv_holds_the_cases_the_member_sees_with_the_list_filters(client: Client, world: World,
                                                                  amina: Any) -> None:
    world.case(name_first="Kofi", name_last="Mensah", risk_level="low")
    s.case_register(actor=world.outsider, data=registration_data(name_first="Outside"))
    client.force_login(world.supervisor.user)
    lines = _csv(client.post(urls(world)["csv"]))
    body = "\n".join(",".join(line) for line in lines)
    assert len(lines) == 3                                    # header + Amina + Kofi
    assert "Amina" in body and "Kofi" in body and "Outside" not in body
    assert "First name" in lines[0] and "Case ID" in lines[0]
    filtered = _csv(client.post(urls(world)["csv"] + "?risk_level=high"))
    assert [line[0] for line in filtered[1:]] == [amina.display_id]


@pytest.mark.django_db
def test_excel_has_the_same_rows_and_dates_as_dates(client: Client, world: World, amina: Any) -> None:
    client.force_login(world.supervisor.user)
    rows = _xlsx(client.post(urls(world)["xlsx"]))
    assert len(rows) == 2
    header, row = rows
    assert row[header.index("Case ID")] == amina.display_id
    assert row[header.index("First name")] == "Amina"
    assert str(row[header.index("Date of birth")])[:10] == "2015-02-14"


@pytest.mark.django_db
def test_every_export_is_an_event_in_the_case_history(client: Client, world: World, amina: Any) -> None:
    other = world.case(name_first="Kofi")
    client.force_login(world.supervisor.user)
    client.post(urls(world)["csv"], {"deidentified": "1"})
    client.post(urls(world, amina)["pdf"])
    events = list(Event.objects.filter(space=world.space, action="case.export").order_by("sequence"))
    assert [(e.case_id, e.details["format"], e.details["deidentified"]) for e in events] == [
        (other.pk, "csv", True), (amina.pk, "csv", True), (amina.pk, "pdf", False)] or \
        sorted((e.case_id, e.details["format"]) for e in events) == sorted(
            [(other.pk, "csv"), (amina.pk, "csv"), (amina.pk, "pdf")])
    assert all(e.actor_id == world.supervisor.pk and e.role == "supervisor" for e in events)
    history = client.get(reverse("cases:history", kwargs={"space": world.space.slug,
                                                          "display_id": amina.display_id}))
    assert history.content.decode().count('data-action="case.export"') == 2


@pytest.fixture
def no_family_section(world: World, monkeypatch: pytest.MonkeyPatch) -> str:
    """The supervisor's role, in this test only, may read every form but the family details."""
    config = world.space.config
    role = config.roles["supervisor"]
    monkeypatch.setitem(config.roles, "supervisor", dataclasses.replace(
        role, form_access={"*": "read_write", "family_details": None}))
    return "family_details"


@pytest.mark.django_db
def test_a_field_hidden_from_the_role_is_in_no_export(client: Client, world: World, amina: Any,
                                                      no_family_section: str) -> None:
    client.force_login(world.supervisor.user)
    module = world.space.config.modules["cp"]
    hidden = [f for f in module.section(no_family_section).fields if f.stores_value]
    assert any(f.code == "caregivers" for f in hidden)
    caregivers_label = "Caregivers"
    assert caregivers_label in [str(f.label["en"]) for f in hidden]
    for kind in ("csv", "xlsx"):
        response = client.post(urls(world)[kind])
        lines = _csv(response) if kind == "csv" else _xlsx(response)
        text = "\n".join(",".join(str(v) for v in line) for line in lines)
        assert "Fatou" not in text and "765 4321" not in text, kind
        assert caregivers_label not in lines[0], kind
        assert "First name" in lines[0]                       # the readable sections are there
    text = _pdf(client.post(urls(world, amina)["pdf"]))
    assert "Fatou" not in text and "765 4321" not in text
    assert "Amina" in text and "Family details" not in text


@pytest.mark.django_db
def test_the_pdf_case_file_in_english(client: Client, world: World, amina: Any) -> None:
    client.force_login(world.supervisor.user)
    text = _pdf(client.post(urls(world, amina)["pdf"]))
    assert f"Case file {amina.display_id}" in text
    assert "synthetic data only" in text
    assert "Amina" in text and "Diallo" in text
    for heading in ("Consent", "Services", "Referrals", "Follow-ups", "History",
                    "Assessment completed", "Case registered"):
        assert heading in text, heading
    reader = PdfReader(io.BytesIO(client.post(urls(world, amina)["pdf"]).content))
    assert all("synthetic data only" in page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_pdf_case_file_in_arabic(client: Client, world: World, amina: Any) -> None:
    client.force_login(world.supervisor.user)
    text = _pdf(client.post(urls(world, amina)["pdf"], HTTP_ACCEPT_LANGUAGE="ar"))
    with translation.override("ar"):
        expected = [translation.gettext(m) for m in ("History", "Services", "Referrals", "Consent")]
        banner = translation.gettext(
            "Training instance — synthetic data only. Never enter information about real people.")
    assert "Services" not in expected and "History" not in expected and "Training" not in banner
    config = world.space.config
    expected.append(config.lookups["sex"].options["female"].label["ar"])    # "female" in Arabic
    expected.append(config.modules["cp"].section("basic_identity").name["ar"])
    flat = " ".join(text.split())
    missing = [phrase for phrase in expected if " ".join(phrase.split()) not in flat]
    assert missing == []
    words = set(flat.replace(".", " ").replace("—", " ").split())  # the banner mixes directions:
    assert set(banner.replace(".", " ").replace("—", " ").split()) <= words  # words, any order
    assert "Amina" in text and amina.display_id in text


@pytest.mark.django_db
def test_the_case_file_html_says_rtl_for_arabic(world: World, amina: Any) -> None:
    from django.template.loader import render_to_string

    from sandbox.reporting.exports.casefile import context
    from sandbox.reporting.exports.columns import Plan

    config = world.space.config
    plan = Plan(config=config, module=config.modules["cp"], role=config.roles["supervisor"],
                deidentified=False)
    with translation.override("ar"):
        html = render_to_string("reporting/case_file.html",
                                context(plan, amina, events=[], members=[]))
    assert '<html lang="ar" dir="rtl">' in html
    assert "file://" in html and "noto-sans-khmer" in html  # the vendored fonts, no network


@pytest.mark.django_db
def test_khmer_case_file_uses_the_shipped_khmer_font(client: Client, world: World, amina: Any) -> None:
    client.force_login(world.supervisor.user)
    response = client.post(urls(world, amina)["pdf"], HTTP_ACCEPT_LANGUAGE="km")
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {str(reader.pages[0]["/Resources"]["/Font"][k]["/BaseFont"])
             for k in reader.pages[0]["/Resources"]["/Font"]}
    assert any("Sandbox" in name and "Khmer" in name for name in fonts), fonts


@pytest.mark.django_db
def test_de_identified_exports_hold_no_identifying_value(client: Client, world: World,
                                                        amina: Any) -> None:
    client.force_login(world.supervisor.user)
    secrets = ["Amina", "Diallo", "Mimi", "2015-02-14", "14 Feb 2015", "123 4567", "Harbour",
               "Fatou", "765 4321", amina.display_id, world.worker.name]
    for kind in ("csv", "xlsx"):
        response = client.post(urls(world)[kind], {"deidentified": "1"})
        lines = _csv(response) if kind == "csv" else _xlsx(response)
        text = "\n".join(",".join(str(v) for v in line) for line in lines)
        assert [v for v in secrets if v in text] == [], kind
        assert pseudonym(amina) in text
        assert "Age (years)" in lines[0] and "Sex" in lines[0]  # what does not identify stays
        assert "Belmar" not in text or "Belmar" in world.space.config.location_label("LR0101")
    text = _pdf(client.post(urls(world, amina)["pdf"], {"deidentified": "1"}))
    assert [v for v in secrets if v in text] == []
    assert pseudonym(amina) in text and "De-identified" in text


@pytest.mark.django_db
def test_roles_without_the_permission_are_refused(client: Client, world: World, amina: Any) -> None:
    client.force_login(world.worker.user)                    # the case's own case worker
    for url in urls(world, amina).values():
        response = client.post(url)
        assert response.status_code == 403
        assert "export" in response.content.decode()
    assert not Event.objects.filter(space=world.space, action="case.export").exists()
    page = client.get(reverse("cases:list", kwargs={"space": world.space.slug})).content.decode()
    assert 'id="case-export"' not in page


@pytest.mark.django_db
def test_buttons_show_for_roles_that_export(client: Client, world: World, amina: Any) -> None:
    client.force_login(world.supervisor.user)
    page = client.get(reverse("cases:list", kwargs={"space": world.space.slug}) + "?risk_level=high")
    body = page.content.decode()
    assert 'id="export-csv"' in body and 'id="export-xlsx-deidentified"' in body
    assert "cases.csv?risk_level=high" in body
    detail = client.get(reverse("cases:detail", kwargs={"space": world.space.slug,
                                                       "display_id": amina.display_id}))
    assert 'id="export-pdf"' in detail.content.decode()


@pytest.mark.django_db
def test_a_case_outside_the_scope_is_404(client: Client, world: World) -> None:
    outside = s.case_register(actor=world.outsider, data=registration_data(name_first="Outside"))
    client.force_login(world.supervisor.user)
    assert client.post(urls(world, outside)["pdf"]).status_code == 404
    assert not Event.objects.filter(space=world.space, action="case.export").exists()


@pytest.mark.django_db
def test_another_space_and_anonymous_visitors(client: Client, world: World, amina: Any,
                                              other_trainee: Any) -> None:
    elsewhere = SpaceFactory()
    MemberFactory(space=elsewhere, user=other_trainee, role="supervisor")
    client.force_login(other_trainee)
    for url in urls(world, amina).values():
        assert client.post(url).status_code == 404
    client.logout()
    for url in urls(world, amina).values():
        response = client.post(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(world.supervisor.user)
    assert client.get(urls(world)["csv"]).status_code == 405  # an export is never a GET
    assert not Event.objects.filter(action="case.export").exists()


@pytest.mark.django_db
def test_a_seeded_world_de_identified_holds_none_of_its_people(client: Client, default_config: Any,
                                                              trainee: Any, other_trainee: Any) -> None:
    """A scenario's world (a focal case and 30 background cases, names and phones made by
    Faker): no name, date of birth or phone number of any of its people in the files."""
    import re

    from sandbox.cases.models import Case
    from sandbox.common.i18n import format_date
    from sandbox.simulation.scenario.load import find_scenario, read_scenario
    from sandbox.simulation.world import seed_space

    path = find_scenario("uasc-market-separation")
    space = seed_space(read_scenario(path).scenario, path, slug="seeded-export",
                       trainees={"caseworker": trainee, "supervisor": other_trainee})
    cases = list(Case.objects.filter(space=space))
    assert len(cases) > 20
    people: set[str] = set()
    for case in cases:
        people |= {case.name_first, case.name_last}
        if case.date_of_birth:
            people |= {case.date_of_birth.isoformat(), format_date(case.date_of_birth)}
        for key, value in case.data.items():
            rows = value if isinstance(value, list) else [{key: value}]
            for row in rows:
                if not isinstance(row, dict):
                    continue
                for code, text in row.items():
                    if isinstance(text, str) and re.search(r"name|phone|birth", code) and text:
                        people.add(text)
    people = {p for p in people if p and len(p) > 2}
    assert len(people) > 40

    def leaks(text: str) -> list[str]:
        return sorted(p for p in people if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))

    client.force_login(other_trainee)
    slug = space.slug
    full = client.post(reverse("reporting:cases_csv", kwargs={"space": slug}))
    assert leaks(full.content.decode("utf-8-sig"))                 # the full file has them
    csv_text = client.post(reverse("reporting:cases_csv", kwargs={"space": slug}),
                           {"deidentified": "1"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(csv_text)))) == len(cases) + 1
    assert leaks(csv_text) == []
    rows = _xlsx(client.post(reverse("reporting:cases_xlsx", kwargs={"space": slug}),
                             {"deidentified": "1"}))
    assert leaks("\n".join("\t".join(str(v) for v in row) for row in rows)) == []
    focal = max(cases, key=lambda c: len(c.data))
    pdf = _pdf(client.post(reverse("reporting:case_pdf", kwargs={"space": slug,
                                                                 "display_id": focal.display_id}),
                           {"deidentified": "1"}))
    assert leaks(pdf) == []
