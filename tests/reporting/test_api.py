"""The API of reports and exports: the same answers, permissions and isolation as the pages.

The case system's world (tests/cases/conftest.py): the supervisor may see indicators and
export; the group's case worker may do neither; a trainee of another space is not a member.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import Event
from tests.cases.conftest import World, registration_data
from tests.factories import MemberFactory, SpaceFactory


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def endpoints(world: World, display_id: str) -> dict[str, tuple[str, str]]:
    slug = world.space.slug
    return {
        "indicators": ("get", reverse("api-indicators", kwargs={"slug": slug})),
        "cases": ("post", reverse("api-export-cases", kwargs={"slug": slug})),
        "case_file": ("post", reverse("api-export-case-file", kwargs={"slug": slug,
                                                                     "display_id": display_id})),
    }


@pytest.mark.django_db
def test_exports_through_the_api(api: APIClient, world: World) -> None:
    case = world.case()
    world.case(name_first="Kofi", risk_level="low")
    api.force_authenticate(world.supervisor.user)
    url = reverse("api-export-cases", kwargs={"slug": world.space.slug})
    response = api.post(url + "?risk_level=high")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [case.display_id]
    sheet = load_workbook(io.BytesIO(api.post(url + "?file_format=xlsx&deidentified=1").content)).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert len(list(sheet.iter_rows())) == 3 and "Amina" not in values and "Kofi" not in values
    pdf = api.post(reverse("api-export-case-file", kwargs={"slug": world.space.slug,
                                                          "display_id": case.display_id}))
    assert pdf.status_code == 200
    assert "Amina" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert Event.objects.filter(space=world.space, action="case.export").count() == 1 + 2 + 1
    bad = api.post(url + "?file_format=docx")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_indicators_through_the_api(api: APIClient, world: World) -> None:
    world.case()
    world.case(risk_level="low")
    s.case_register(actor=world.outsider, data=registration_data(name_first="Outside"))
    api.force_authenticate(world.supervisor.user)
    body = api.get(reverse("api-indicators", kwargs={"slug": world.space.slug})).json()
    assert body["cases"] == 2 and body["open_cases"] == 2         # not the other agency's case
    risk = next(b for b in body["breakdowns"] if b["title"] == "Cases by risk level")
    assert {r["code"]: r["count"] for r in risk["rows"]} == {"high": 1, "medium": 0, "low": 1}


@pytest.mark.django_db
def test_kenya_caseload_return_through_the_api(api: APIClient, default_config: Any) -> None:
    from sandbox.configuration.models import Bundle

    space = SpaceFactory(bundle=Bundle.objects.get(code="kenya_dcs"))
    officer = MemberFactory(space=space, role="sub_county_children_officer", agency="",
                            user_groups=[])
    worker = MemberFactory(space=space, role="children_officer", agency="", user_groups=[])
    api.force_authenticate(officer.user)
    url = reverse("api-caseload-return", kwargs={"slug": space.slug})
    body = api.get(url).json()
    assert body["cases"] == 0 and body["period"]["kind"] == "month"
    assert {c["code"] for c in body["categories"]} and body["age_groups"][0]["label"] == "0–5"
    api.force_authenticate(worker.user)
    refused = api.get(url)
    assert refused.status_code == 403 and "supervisors" in refused.json()["error"]["message"]
    default_space = SpaceFactory()
    member = MemberFactory(space=default_space, role="supervisor")
    api.force_authenticate(member.user)
    assert api.get(reverse("api-caseload-return", kwargs={"slug": default_space.slug})).status_code == 404


@pytest.mark.django_db
def test_roles_without_permission_get_403_with_the_reason(api: APIClient, world: World) -> None:
    case = world.case()
    api.force_authenticate(world.worker.user)
    for name, (method, url) in endpoints(world, case.display_id).items():
        response = getattr(api, method)(url)
        assert response.status_code == 403, name
        assert response.json()["error"]["code"] == "forbidden_by_role"
        assert response.json()["error"]["message"] not in ("", "Not allowed."), name
    assert not Event.objects.filter(action="case.export").exists()


@pytest.mark.django_db
def test_isolation_other_space_outside_scope_and_anonymous(api: APIClient, world: World,
                                                            other_trainee: Any) -> None:
    case = world.case()
    outside = s.case_register(actor=world.outsider, data=registration_data(name_first="Outside"))
    api.force_authenticate(world.supervisor.user)
    slug = world.space.slug
    assert api.post(reverse("api-export-case-file", kwargs={
        "slug": slug, "display_id": outside.display_id})).status_code == 404
    elsewhere = SpaceFactory()
    MemberFactory(space=elsewhere, user=other_trainee, role="supervisor")
    api.force_authenticate(other_trainee)
    for name, (method, url) in endpoints(world, case.display_id).items():
        assert getattr(api, method)(url).status_code == 404, name
    api.force_authenticate(None)
    for name, (method, url) in endpoints(world, case.display_id).items():
        assert getattr(api, method)(url).status_code == 401, name
    assert not Event.objects.filter(action="case.export").exists()
