"""Requests that used to answer 500 or HTML: every one gets the API's JSON error shape."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from sandbox.accounts.models import User
from tests.factories import MemberFactory, SpaceFactory

pytestmark = pytest.mark.django_db

LIST_ROUTES = ["/api/v1/spaces/workshop/cases/", "/api/v1/workshops/", "/api/v1/attempts/",
               "/api/v1/spaces/"]


@pytest.fixture
def api(default_config: object, trainee: User) -> APIClient:
    MemberFactory(space=SpaceFactory(slug="workshop"), user=trainee, role="caseworker")
    client = APIClient(raise_request_exception=False)
    client.force_login(trainee)
    return client


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize("url", LIST_ROUTES)
def test_options_answers_the_methods_not_a_500(api: APIClient, url: str) -> None:
    answer = api.options(url)
    assert answer.status_code == 200
    assert "GET" in answer.json()["allowed_methods"]


@pytest.mark.parametrize("url", LIST_ROUTES)
def test_a_huge_limit_is_capped(api: APIClient, url: str) -> None:
    answer = api.get(url, {"limit": 2**63, "offset": 0})
    assert answer.status_code == 200


@pytest.mark.parametrize("url", LIST_ROUTES)
def test_a_huge_offset_is_refused_as_invalid(api: APIClient, url: str) -> None:
    answer = api.get(url, {"offset": 2**63})
    if answer.status_code != 200:  # lists that do not page ignore the parameter
        assert error(answer, 400)["code"] == "invalid"


def test_json_nested_5000_deep_is_invalid_input(api: APIClient) -> None:
    body = "[" * 5000 + "]" * 5000
    answer = api.post("/api/v1/spaces/workshop/cases/", body, content_type="application/json")
    assert error(answer, 400)["code"] == "invalid"


def test_an_unknown_api_path_answers_json(api: APIClient) -> None:
    assert error(api.get("/api/v1/no-such-thing/"), 404)["code"] == "not_found"


def test_a_wrong_method_answers_json(api: APIClient) -> None:
    assert error(api.delete("/api/v1/workshops/"), 405)["code"] == "method_not_allowed"
