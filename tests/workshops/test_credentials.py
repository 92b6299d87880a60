"""Trainees' accounts: lists from spreadsheets, the one-time passwords, slips, resets."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sandbox.accounts.models import User
from sandbox.common.errors import ValidationFailed
from sandbox.workshops import services
from sandbox.workshops.importing import MAX_ROWS, delimiter_of
from sandbox.workshops.models import Enrolment

from .conftest import Cast

pytestmark = pytest.mark.django_db

ROWS = [("Grace Mensah", "grace@example.org", "DSW", "en"),
        ("Claire Dubois", "claire@example.org", "Croissant", "fr")]


def _text(sep: str, bom: bool = False) -> str:
    lines = [sep.join(("name", "email", "organisation", "language"))]
    lines += [sep.join(row) for row in ROWS]
    return ("\ufeff" if bom else "") + "\n".join(lines) + "\n"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("header", "sep"), [("name,email", ","), ("name;email;organisation", ";"),
                                             ("name\temail", "\t"), ("name", ",")])
def test_the_separator_is_the_one_the_header_uses(header: str, sep: str) -> None:
    assert delimiter_of(header) == sep


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_any_separator_with_or_without_a_bom(cast: Cast, sep: str, bom: bool) -> None:
    added = services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=_text(sep, bom))
    assert sorted(n.user.email for n in added) == ["claire@example.org", "grace@example.org"]
    claire = User.objects.get(email="claire@example.org")
    assert (claire.first_name, claire.organisation, claire.language) == ("Claire", "Croissant", "fr")
    assert all(n.password and n.user.check_password(n.password) for n in added)


def _xlsx(rows: list[tuple[str, ...]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Client, cast: Cast, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(reverse("workshops:trainees_import", kwargs={"pk": cast.workshop.pk}),
                       {"file": SimpleUploadedFile(name, content)})


def test_an_excel_workbook_is_imported_and_the_panel_offers_slips_and_a_download(cast: Cast) -> None:
    content = _xlsx([("name", "email", "organisation", "language"), *ROWS])
    response = _upload(client_for(cast.trainer), cast, "cohort.xlsx", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="new-accounts"' in page and 'id="dismiss-accounts"' in page
    assert 'id="download-credentials"' in page and "data:text/csv" in page
    # one slip per new trainee, in their own language
    assert page.count('class="credential-slip"') == 2
    assert 'lang="fr" dir="ltr" data-slip="claire"' in page
    assert Enrolment.objects.filter(workshop=cast.workshop, user__email="claire@example.org").exists()


def test_a_problem_in_a_workbook_is_reported_at_its_row(cast: Cast) -> None:
    content = _xlsx([("name", "email"), ("Grace Mensah", "grace@example.org"), ("Bad", "not-an-address")])
    response = _upload(client_for(cast.trainer), cast, "cohort.xlsx", content)
    assert response.status_code == 400
    assert "cohort.xlsx:3: email" in response.content.decode()
    assert not User.objects.filter(email="grace@example.org").exists()


def test_a_file_that_is_not_a_workbook_is_refused(cast: Cast) -> None:
    response = _upload(client_for(cast.trainer), cast, "cohort.xlsx", b"name,email\n")
    assert response.status_code == 400 and "not an Excel workbook" in response.content.decode()


def test_ten_thousand_rows_are_refused_naming_the_limit_and_nothing_is_written(cast: Cast) -> None:
    users = User.objects.count()
    text = "name,email\n" + "".join(f"T {i},t{i}@example.org\n" for i in range(10_000))
    with pytest.raises(ValidationFailed) as refused:
        services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text)
    assert f"{MAX_ROWS:,}" in str(refused.value.message)
    assert User.objects.count() == users
    response = _upload(client_for(cast.trainer), cast, "big.csv", text.encode())
    assert response.status_code == 400 and f"at most {MAX_ROWS:,}" in response.content.decode()
    assert User.objects.count() == users


def test_the_template_can_be_downloaded_and_imported_as_it_is(cast: Cast) -> None:
    response = client_for(cast.trainer).get(
        reverse("workshops:import_template", kwargs={"pk": cast.workshop.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8")
    added = services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text)
    assert [n.user.email for n in added] == ["amani@example.org"]


def test_a_password_reset_shows_the_new_password_once(cast: Cast) -> None:
    enrolment = Enrolment.objects.get(workshop=cast.workshop, user=cast.classmate)
    client = client_for(cast.trainer)
    url = reverse("workshops:password_reset", kwargs={"pk": cast.workshop.pk, "enrolment": enrolment.pk})
    page = client.post(url).content.decode()
    assert 'data-new-account="zanele"' in page
    password = page.split('class="new-password user-select-all">')[1].split("<")[0]
    cast.classmate.refresh_from_db()
    assert cast.classmate.check_password(password)
    # not shown again
    detail = client.get(reverse("workshops:detail", kwargs={"pk": cast.workshop.pk}))
    assert password not in detail.content.decode()


def test_the_trainee_list_says_who_signed_in_and_accepted_the_terms(cast: Cast) -> None:
    from sandbox.accounts.models import TERMS_VERSION, TermsAcceptance

    TermsAcceptance.objects.create(user=cast.trainee, version=TERMS_VERSION)
    User.objects.filter(pk=cast.trainee.pk).update(last_login=timezone.now())
    page = client_for(cast.trainer).get(reverse("workshops:detail", kwargs={"pk": cast.workshop.pk}))
    html = page.content.decode()
    amani = html.split('data-trainee="amani"')[1].split("</tr>")[0]
    zanele = html.split('data-trainee="zanele"')[1].split("</tr>")[0]
    assert 'class="terms-accepted">yes' in amani and 'class="terms-accepted">yes' not in zanele
    assert 'class="signed-in">yes' in amani and 'class="signed-in">yes' not in zanele


def test_the_scenario_list_is_read_again_only_when_a_file_changes(cast: Cast, monkeypatch,  # type: ignore[no-untyped-def]
                                                                  scenarios) -> None:
    import os

    reads: list[str] = []
    real = services.read_scenario
    monkeypatch.setattr(services, "read_scenario", lambda path: reads.append(path.name) or real(path))
    services._summaries.clear()
    first = services.scenario_catalogue()
    assert sorted(reads) == ["duo.yaml", "mini.yaml"]
    assert services.scenario_catalogue() == first and len(reads) == 2  # nothing read again
    mini = scenarios / "mini.yaml"
    mini.write_text(mini.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1),
                    encoding="utf-8")
    stat = mini.stat()
    os.utime(mini, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    services.scenario_catalogue()
    assert reads[2:] == ["mini.yaml"]
