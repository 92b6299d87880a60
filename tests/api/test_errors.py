"""One error shape for every error of the API: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern
from rest_framework.test import APIClient

from sandbox.accounts.models import User
from sandbox.cases import services
from sandbox.cases.api.urls import urlpatterns as case_routes
from sandbox.configuration.api.urls import urlpatterns as config_routes
from sandbox.spaces.models import Member
from tests.cases.conftest import closure_data, registration_data
from tests.factories import MemberFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(default_config: object, trainee: User) -> Member:
    return MemberFactory(space=SpaceFactory(slug="workshop"), user=trainee, role="caseworker")


@pytest.fixture
def api(member: Member) -> APIClient:
    api = APIClient()
    api.force_login(member.user)
    return api


def shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_400_invalid_input_names_the_fields(api: APIClient) -> None:
    response = api.post("/api/v1/spaces/workshop/cases/", {"data": {"age": "eleven"}}, format="json")
    error = shape(response, 400, "invalid")
    assert error["details"]["fields"]["age"]
    assert error["details"]["fields"]["name_first"] == ["This field is required."]


def test_400_a_body_that_is_not_a_mapping(api: APIClient) -> None:
    response = api.post("/api/v1/spaces/workshop/cases/", ["Amina"], format="json")
    assert shape(response, 400, "invalid")["details"]["fields"]["non_field_errors"]


def test_400_malformed_json(api: APIClient) -> None:
    response = api.post("/api/v1/spaces/workshop/cases/", '{"data": ', content_type="application/json")
    shape(response, 400, "parse_error")


def test_400_a_rule_of_the_case_system(api: APIClient, member: Member) -> None:
    case = services.case_register(actor=member, data=registration_data())
    response = api.post(f"/api/v1/spaces/workshop/cases/{case.display_id}/actions/case.close/",
                        {"data": closure_data()}, format="json")
    shape(response, 400, "closure_not_approved")


def test_401_anonymous_and_bad_token(member: Member) -> None:
    shape(APIClient().get("/api/v1/spaces/workshop/cases/"), 401, "not_authenticated")
    bad = APIClient(HTTP_AUTHORIZATION="Token 0123456789")
    shape(bad.get("/api/v1/spaces/workshop/cases/"), 401, "authentication_failed")


def test_403_forbidden_by_role(default_config: object, trainee: User) -> None:
    provider = MemberFactory(space=SpaceFactory(slug="workshop"), user=trainee,
                             role="service_provider", agency="lcs", user_groups=[])
    api = APIClient()
    api.force_login(provider.user)
    response = api.post("/api/v1/spaces/workshop/cases/", {"data": {}}, format="json")
    error = shape(response, 403, "forbidden_by_role")
    assert "case.register" in error["message"]


def test_404_unknown_space_case_and_record(api: APIClient) -> None:
    for path in ("/api/v1/spaces/nowhere/cases/", "/api/v1/spaces/workshop/cases/CP-9999/",
                 "/api/v1/spaces/workshop/cases/CP-9999/events/",
                 "/api/v1/config/no-such-bundle/"):
        shape(api.get(path), 404, "not_found")
    shape(api.post("/api/v1/spaces/workshop/approvals/12345/decide/", {"approve": True},
                   format="json"), 404, "not_found")


def test_405_method_not_allowed(api: APIClient) -> None:
    shape(api.get("/api/v1/spaces/workshop/cases/search/"), 405, "method_not_allowed")
    shape(api.delete("/api/v1/spaces/workshop/cases/"), 405, "method_not_allowed")
    shape(api.put("/api/v1/config/default/roles/", {}, format="json"), 405, "method_not_allowed")


def test_401_on_every_endpoint_for_anonymous(default_config: object) -> None:
    values = {"slug": "workshop", "display_id": "CP-0001", "section": "basic_identity", "id": "1",
              "bundle": "default", "key": "0123456789abcdef"}
    anonymous = APIClient()
    tried = 0
    for pattern in [*case_routes, *config_routes]:
        assert isinstance(pattern, URLPattern)
        path = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)],
                                   str(pattern.pattern))
        view = pattern.callback.view_class  # type: ignore[attr-defined]
        for method in ("get", "post", "put", "patch"):
            if hasattr(view, method):
                shape(getattr(anonymous, method)(path, {}, format="json"), 401, "not_authenticated")
                tried += 1
    assert tried == 50
