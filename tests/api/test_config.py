"""The read-only configuration endpoints, for any signed-in user."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sandbox.accounts.models import User

pytestmark = pytest.mark.django_db

BASE = "/api/v1/config/default/"


@pytest.fixture
def api(default_config: object, trainee: User) -> APIClient:
    api = APIClient()
    api.force_login(trainee)  # a trainee with no space at all: configuration is not space data
    return api


def test_bundle(api: APIClient) -> None:
    response = api.get(BASE)
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["code"] == "default" and bundle["languages"] == ["en", "fr", "ar", "es", "sw", "km"]
    assert [m["code"] for m in bundle["modules"]] == ["cp", "gbv"]
    module = bundle["modules"][0]
    assert module["code"] == "cp" and module["name"]["fr"] == "Protection de l'enfance"
    assert module["sections"][0] == "basic_identity"
    assert module["policy"]["consent_required"]["referral.create"] == ["share_information"]
    assert module["policy"]["deadlines"]["assessment"]["high"] == "24h"
    assert {a["code"] for a in bundle["agencies"]} >= {"dsw", "lcs"}
    assert {"code": "dsw_north", "agency": "dsw"}.items() <= bundle["user_groups"][0].items()


def test_forms(api: APIClient) -> None:
    sections = api.get(BASE + "forms/").json()
    codes = [section["code"] for section in sections]
    assert codes[0] == "basic_identity" and "closure" in codes
    identity = sections[0]
    assert identity["step"] == "registration" and identity["module"] == "cp"
    fields = {field["code"]: field for field in identity["fields"]}
    assert fields["name_first"]["required"] is True and fields["name_first"]["type"] == "text"
    assert fields["sex"]["lookup"] == "sex"
    assert fields["age"]["min_value"] == 0 and fields["age"]["max_value"] == 25
    assert fields["location_current"]["admin_level"] == 3
    assert fields["disability_type"]["show_if"] == {"field": "has_disability", "equals": True}
    subforms = [field for section in sections for field in section["fields"]
                if field["type"] == "subform"]
    assert subforms and all(field["columns"] for field in subforms)
    [plan] = [field for field in subforms if field["code"] == "case_plan_items"]
    assert {c["code"] for c in plan["columns"]} >= {"plan_need", "plan_goal"}
    cp = api.get(BASE + "forms/", {"module": "cp"}).json()
    gbv = api.get(BASE + "forms/", {"module": "gbv"}).json()
    assert cp + gbv == sections
    assert [section["code"] for section in gbv][:2] == ["gbv_survivor", "gbv_profile"]
    assert api.get(BASE + "forms/", {"module": "mrm"}).json() == []


def test_lookups(api: APIClient) -> None:
    lookups = {lookup["code"]: lookup for lookup in api.get(BASE + "lookups/").json()}
    risk = lookups["risk_level"]
    assert [option["code"] for option in risk["options"]][:1] == ["high"]
    assert risk["options"][0]["label"]["en"]
    assert "family_tracing" in {o["code"] for o in lookups["service_type"]["options"]}


def test_locations_with_filters(api: APIClient) -> None:
    places = api.get(BASE + "locations/").json()
    assert places[0] == {"code": "LR", "parent": None, "admin_level": 0,
                         "name": {"en": "Lorendia", "fr": "Lorendie", "ar": "لوريندا", "es": "Lorendia",
                                  "sw": "Lorendia", "km": "លោរេនឌា"}, "path": "LR"}
    provinces = api.get(BASE + "locations/", {"level": 1}).json()
    assert {p["code"] for p in provinces} >= {"LR01", "LR02"}
    assert all(p["admin_level"] == 1 for p in provinces)
    belmar = api.get(BASE + "locations/", {"parent": "LR0101"}).json()
    assert [p["code"] for p in belmar] == ["LR010101", "LR010102", "LR010103", "LR010104"]
    assert api.get(BASE + "locations/", {"level": 3, "parent": "LR01"}).json() == []
    bad = api.get(BASE + "locations/", {"level": "province"})
    assert bad.status_code == 400
    assert "level" in bad.json()["error"]["details"]["fields"]


def test_roles(api: APIClient) -> None:
    roles = {role["code"]: role for role in api.get(BASE + "roles/").json()}
    provider = roles["service_provider"]
    assert provider["scope"] == "own" and provider["referral_recipient"] is True
    assert provider["permissions"] == sorted(provider["permissions"])
    assert "referral.accept" in provider["permissions"]
    assert provider["form_access"]["followup_review"] == "read_write"
    assert roles["caseworker"]["form_access"] == {"*": "read_write"}


def test_unknown_bundle_and_anonymous(api: APIClient) -> None:
    for path in ("", "forms/", "lookups/", "locations/", "roles/"):
        response = api.get(f"/api/v1/config/nope/{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert APIClient().get(BASE + path).status_code == 401
