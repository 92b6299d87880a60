"""Kenya's caseload return on a seeded Kenya world, against totals counted by hand.

The world (simulated today: 20 March 2026), every case in the Mvita office's group:

| # | reported   | office (sub-county) | sex | age | category       | interventions                  |
|---|------------|---------------------|-----|-----|----------------|--------------------------------|
| 1 | 2026-03-02 | Mvita               | F   | 4   | abandonment    | foster_care                    |
| 2 | 2026-03-05 | Mvita               | F   | 9   | abandonment    | foster_care, family_support    |
| 3 | 2026-03-09 | Mvita               | M   | 9   | child_labour   | family_support                 |
| 4 | 2026-03-18 | Kisauni             | M   | 16  | child_labour   | (none)                         |
| 5 | 2026-03-31 | Mvita               | M   | 12  | (no category)  | legal_aid                      |
| 6 | 2026-02-27 | Mvita               | F   | 4   | abandonment    | foster_care   (February)       |
| 7 | 2026-01-10 | Mvita               | F   | 17  | custody        | (none)        (January)        |
| 8 | 2026-03-10 | Mvita               | F   | 6   | abandonment    | identified only: not counted   |
| 9 | (none: registered 2026-03-12) Mvita location | M | 3 | abandonment | (none)       |
|10 | 2026-03-03 | Mvita               | F   | (no age)  | custody  | (none)                         |

March, all sub-counties: cases 1-5, 9, 10 = 7 cases; 10 has no age (unclassified).
  abandonment: F 0-5 = 1 (#1), F 6-10 = 1 (#2), M 0-5 = 1 (#9) -> total 3 (F 2, M 1)
  child_labour: M 6-10 = 1 (#3), M 16-17 = 1 (#4) -> total 2
  not recorded: M 11-15 = 1 (#5) -> total 1
  foster_care: F 0-5 1, F 6-10 1 -> 2; family_support: F 6-10 1, M 6-10 1 -> 2; legal_aid: M 11-15 -> 1
March, Mvita: cases 1, 2, 3, 5, 9, 10 = 6 (4 is Kisauni).
Quarter 3 of FY 2025/26 (January-March 2026): 1-7, 9, 10 = 9 cases; abandonment 4, custody 1 (#7 F 16-17).
Financial year 2025/26 (July 2025-June 2026): the same 9.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sandbox.cases.models import Case, RegistrationStatus
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import get_config
from sandbox.reporting.returns import SPECS, parse_period, period_of
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory

MVITA, KISAUNI = "KE001001", "KE001002"
MVITA_WARD = "KE00100101"
CASES = [  # reported, office, sex, age, category, interventions, registered?
    ("2026-03-02", MVITA, "female", 4, "abandonment", ["foster_care"], True),
    ("2026-03-05", MVITA, "female", 9, "abandonment", ["foster_care", "family_support"], True),
    ("2026-03-09", MVITA, "male", 9, "child_labour", ["family_support"], True),
    ("2026-03-18", KISAUNI, "male", 16, "child_labour", [], True),
    ("2026-03-31", MVITA, "male", 12, None, ["legal_aid"], True),
    ("2026-02-27", MVITA, "female", 4, "abandonment", ["foster_care"], True),
    ("2026-01-10", MVITA, "female", 17, "custody", [], True),
    ("2026-03-10", MVITA, "female", 6, "abandonment", [], False),
    (None, None, "male", 3, "abandonment", [], True),
    ("2026-03-03", MVITA, "female", None, "custody", [], True),
]
SPEC = SPECS["kenya_dcs"]


@pytest.fixture
def kenya(db: Any) -> dict[str, Any]:
    space = SpaceFactory(bundle=Bundle.objects.get(code="kenya_dcs"),
                         clock=timezone.make_aware(dt.datetime(2026, 3, 20, 9, 0)))
    scco = MemberFactory(space=space, role="sub_county_children_officer", agency="dcs",
                         user_groups=["dcs_mvita"])
    officer = MemberFactory(space=space, role="children_officer", agency="dcs",
                            user_groups=["dcs_mvita"])
    for number, (reported, office, sex, age, category, taken, registered) in enumerate(CASES, 1):
        data: dict[str, Any] = {"case_category": category, "action_taken": taken}
        if reported:
            data["date_of_reporting"] = reported
        if office:
            data["reporting_office"] = office
        data = {k: v for k, v in data.items() if v}
        at = timezone.make_aware(dt.datetime(2026, 3, 12, 10, 0))
        Case.objects.create(
            space=space, display_id=f"KE-{number:04d}", module="cp", sex=sex, age=age,
            location=MVITA_WARD, owner=officer, agency="dcs", user_groups=["dcs_mvita"], data=data,
            registration_status=(RegistrationStatus.REGISTERED if registered
                                 else RegistrationStatus.IDENTIFIED),
            created_at=at, updated_at=at, registered_at=at if registered else None)
    return {"space": space, "scco": scco, "officer": officer}


def url(space: Space, name: str = "caseload", **query: str) -> str:
    path = reverse(f"reporting:{name}", kwargs={"space": space.slug})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_of(client: Client, space: Space, **query: str) -> dict[str, dict[str, list[str]]]:
    """The CSV's two tables: {table: {row label: [cells]}}, with the header under ''."""
    response = client.get(url(space, "caseload_csv", **query))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    tables: list[dict[str, list[str]]] = [{}]
    for line in csv.reader(io.StringIO(text)):
        if not line:
            tables.append({})
            continue
        key = "" if not tables[-1] else line[0]
        tables[-1][key] = line[1:]
    return {"categories": tables[0], "interventions": tables[1]}


def label(code: str) -> str:
    return str(get_config("kenya_dcs").lookups["case_category"].label(code, "en"))


def intervention(code: str) -> str:
    return str(get_config("kenya_dcs").lookups["intervention"].label(code, "en"))


@pytest.mark.django_db
def test_march_in_every_sub_county_matches_the_hand_count(client: Client, kenya: dict) -> None:
    client.force_login(kenya["scco"].user)
    tables = rows_of(client, kenya["space"], period="month:2026-03-01")
    header = tables["categories"][""]
    # 4 age groups x (Male, Female), then Total Male, Total Female, Total
    assert header[:2] == ["0–5 Male", "0–5 Female"] and header[-3:] == ["Total Male", "Total Female", "Total"]
    cats = tables["categories"]
    abandonment = cats[label("abandonment")]
    assert abandonment[0:4] == ["1", "1", "0", "1"]          # 0-5 M, 0-5 F, 6-10 M, 6-10 F
    assert abandonment[-3:] == ["1", "2", "3"]
    labour = cats[label("child_labour")]
    assert labour[2] == "1" and labour[6] == "1" and labour[-1] == "2"   # 6-10 M, 16-17 M
    assert cats["Not recorded"][4] == "1" and cats["Not recorded"][-1] == "1"  # 11-15 M
    assert cats[label("custody")][-1] == "0"                  # only #10, which has no age
    assert sum(int(row[-1]) for key, row in cats.items() if key) == 6
    ints = tables["interventions"]
    assert ints[intervention("foster_care")][-3:] == ["0", "2", "2"]
    assert ints[intervention("family_support")][-3:] == ["1", "1", "2"]
    assert ints[intervention("legal_aid")][4] == "1"

    page = client.get(url(kenya["space"], period="month:2026-03-01")).content.decode()
    assert 'data-count="7"' in page                          # 7 cases, one unclassified
    assert 'id="return-unclassified"' in page
    assert "March 2026" in page
    assert 'data-overdue="false"' in page                     # due 5 April; today 20 March


@pytest.mark.django_db
def test_one_sub_county_quarter_and_year(client: Client, kenya: dict) -> None:
    client.force_login(kenya["scco"].user)
    mvita = rows_of(client, kenya["space"], period="month:2026-03-01", area=MVITA)["categories"]
    assert mvita[label("child_labour")][-1] == "1"            # #4 was reported in Kisauni
    assert 'data-count="6"' in client.get(
        url(kenya["space"], period="month:2026-03-01", area=MVITA)).content.decode()
    quarter = rows_of(client, kenya["space"], period="quarter:2026-01-01")["categories"]
    assert quarter[label("abandonment")][-1] == "4"
    assert quarter[label("custody")][7] == "1"                # 16-17 Female: #7
    page = client.get(url(kenya["space"], period="quarter:2026-01-01")).content.decode()
    assert 'data-count="9"' in page and "Quarter 3 of 2025/26" in page
    year = client.get(url(kenya["space"], period="year:2025-07-01")).content.decode()
    assert 'data-count="9"' in year and "Financial year 2025/26" in year
    february = client.get(url(kenya["space"], period="month:2026-02-01")).content.decode()
    assert 'data-count="1"' in february and 'data-overdue="true"' in february  # due 5 March


@pytest.mark.django_db
def test_the_excel_file_holds_the_same_figures(client: Client, kenya: dict) -> None:
    client.force_login(kenya["scco"].user)
    response = client.get(url(kenya["space"], "caseload_xlsx", period="month:2026-03-01"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    categories, interventions = book.worksheets
    rows = {r[0]: r[1:] for r in categories.iter_rows(min_row=3, values_only=True)}
    assert rows[label("abandonment")][-1] == 3
    rows = {r[0]: r[1:] for r in interventions.iter_rows(min_row=3, values_only=True)}
    assert rows[intervention("foster_care")][-1] == 2


def test_periods_and_due_dates_follow_the_dcs_guidelines() -> None:
    march = period_of("month", dt.date(2026, 3, 20), SPEC)
    assert (march.start, march.end, march.due) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31),
                                                   dt.date(2026, 4, 5))
    q = period_of("quarter", dt.date(2026, 3, 20), SPEC)
    assert (q.start, q.end, q.due) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 10))
    q1 = period_of("quarter", dt.date(2025, 7, 1), SPEC)
    assert (q1.start, q1.end) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    year = period_of("year", dt.date(2026, 3, 20), SPEC)
    assert (year.start, year.end, year.due) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30),
                                                dt.date(2026, 7, 15))
    december = period_of("month", dt.date(2025, 12, 31), SPEC)
    assert december.due == dt.date(2026, 1, 5)
    assert parse_period("month:2026-03-01", SPEC) == march
    for bad in ("", "week:2026-03-01", "month:2026-13-01", "month:", "quarter:xx"):
        assert parse_period(bad, SPEC) is None


@pytest.mark.django_db
def test_only_compiling_roles_see_returns_and_only_their_cases(client: Client, kenya: dict,
                                                               other_trainee) -> None:
    space = kenya["space"]
    client.force_login(kenya["officer"].user)           # a children officer: scope "own"
    assert client.get(url(space)).status_code == 403
    assert client.get(url(space, "caseload_csv")).status_code == 403
    client.force_login(other_trainee)                    # not a member of the space
    assert client.get(url(space)).status_code == 404
    assert client.get(url(space, "caseload_xlsx")).status_code == 404
    client.logout()
    assert client.get(url(space)).status_code == 302
    # A supervisor of another office sees none of Mvita's cases.
    other = MemberFactory(space=space, role="sub_county_children_officer", agency="dcs",
                          user_groups=["dcs_kisauni"])
    client.force_login(other.user)
    assert 'data-count="0"' in client.get(url(space, period="month:2026-03-01")).content.decode()
    # The navigation offers the page to the supervisor only.
    home = reverse("cases:dashboard", kwargs={"space": space.slug})
    assert 'id="nav-returns"' in client.get(home).content.decode()
    client.force_login(kenya["officer"].user)
    assert 'id="nav-returns"' not in client.get(home).content.decode()


@pytest.mark.django_db
def test_a_configuration_without_a_return_has_no_page(client: Client, default_config) -> None:
    space = SpaceFactory()
    supervisor = MemberFactory(space=space, role="supervisor", user_groups=["dsw_north"])
    client.force_login(supervisor.user)
    assert client.get(url(space)).status_code == 404
    home = reverse("cases:dashboard", kwargs={"space": space.slug})
    assert 'id="nav-returns"' not in client.get(home).content.decode()


@pytest.mark.django_db
def test_a_malformed_period_or_area_falls_back_to_this_month(client: Client, kenya: dict) -> None:
    client.force_login(kenya["scco"].user)
    for query in ({"period": "month:2026-99-01"}, {"period": "nonsense"}, {"area": "KE999"},
                  {"area": MVITA_WARD}):
        page = client.get(url(kenya["space"], **query))
        assert page.status_code == 200
        assert "March 2026" in page.content.decode()
    assert Member.objects.filter(space=kenya["space"]).count() == 2
