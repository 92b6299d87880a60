"""Two workshops, two trainees: nothing of one space ever comes out of the API in the other.

Every URL of the case API is tried (the URL patterns are walked, so that a new
endpoint is covered without touching this file): with the other space's slug,
and with your own slug and the other space's case ID or record id. Each answers
404, and no answer names the other child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern
from rest_framework.test import APIClient

from sandbox.accounts.models import User
from sandbox.cases import services as s
from sandbox.cases.api.actions import CASE_ACTIONS, RECORD_ACTIONS
from sandbox.cases.api.urls import urlpatterns
from sandbox.cases.models import Case, Document
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory

from .conftest import assessment_data, registration_data

pytestmark = pytest.mark.django_db

THEIR_CHILD = ("Zainab", "Okonkwo-Theirs")


@dataclass
class Theirs:
    space: Space
    case: Case
    ids: dict[str, int]  # URL segment (approvals, referrals...) -> a record of their case
    member: Member
    document: str = ""   # the id of a document of their case


@dataclass
class Mine:
    space: Space
    member: Member
    case: Case


@pytest.fixture
def mine(default_config: object, trainee: User) -> Mine:
    space = SpaceFactory(slug="my-workshop")
    # An administrator in the world: every permission, scope "all" — and still nothing of theirs.
    member = MemberFactory(space=space, user=trainee, role="administrator", user_groups=[])
    case = s.case_register(actor=member, data=registration_data())
    return Mine(space, member, case)


@pytest.fixture
def theirs(default_config: object, other_trainee: User) -> Theirs:
    space = SpaceFactory(slug="their-workshop")
    worker = MemberFactory(space=space, user=other_trainee, role="caseworker")
    provider = MemberFactory(space=space, user=None, name="Their provider", role="service_provider",
                             agency="lcs", user_groups=[], is_simulated=True)
    colleague = MemberFactory(space=space, user=None, name="Their colleague", is_simulated=True)
    s.case_register(actor=worker, data=registration_data(name_first="Bako"))  # their CP-0001
    case = s.case_register(actor=worker, data=registration_data(
        name_first=THEIR_CHILD[0], name_last=THEIR_CHILD[1]))                  # their CP-0002
    s.consent_record(actor=worker, case=case, consent_type="share_information", given=True)
    s.assessment_complete(actor=worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=worker, case=case, kind="assessment")
    service = s.service_add(actor=worker, case=case, service_type="education")
    referral = s.referral_create(actor=worker, case=case, service_type="family_tracing",
                                 reason="case_plan_service", to_member=provider.pk)
    transfer = s.transfer_create(actor=worker, case=case, to_member=colleague.pk, reason="Leave")
    requester = MemberFactory(space=space, user=None, name="Their requester", role="caseworker",
                              agency="cfi", user_groups=[], is_simulated=True)
    request = s.transfer_request_create(actor=requester, case=case, reason="Moved to Port Hassan")
    ids = {"approvals": approval.pk, "referrals": referral.pk, "services": service.pk,
           "transfers": transfer.pk, "transfer-requests": request.pk}
    document = Document.objects.create(
        space=space, case=case, key="0123456789abcdef0123456789abcdef", field="documents",
        name=f"{THEIR_CHILD[1]}.pdf", content_type="application/pdf", size=8,
        content=b"%PDF-1.4", created_at=space.clock)
    return Theirs(space, case, ids, provider, document.key)


def _routes() -> list[tuple[str, list[str]]]:
    """Every route of the case API, with the HTTP methods its view answers."""
    routes = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        view = pattern.callback.view_class  # type: ignore[attr-defined]
        methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
        routes.append((str(pattern.pattern), methods))
    return routes


def _fill(route: str, slug: str, theirs: Theirs) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "slug":
            return slug
        if name == "display_id":
            return theirs.case.display_id
        if name == "section":
            return "basic_identity"
        if name == "key":
            return theirs.document
        if name == "id":
            segment = route[:match.start()].rstrip("/").rsplit("/", 1)[-1]
            return str(theirs.ids[segment])
        raise AssertionError(f"unknown path parameter {name} in {route}")

    return "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def _request(api: APIClient, method: str, path: str) -> Any:
    return getattr(api, method)(path, {} if method == "get" else {"data": {}}, format=None
                                if method == "get" else "json")


def _assert_nothing_of_theirs(response: Any) -> None:
    text = response.content.decode()
    for name in THEIR_CHILD:
        assert name not in text, (response.request["PATH_INFO"], text[:300])


@pytest.fixture
def api(mine: Mine) -> APIClient:
    api = APIClient()
    api.force_login(mine.member.user)
    return api


def test_the_routes_are_all_walked() -> None:
    routes = dict(_routes())
    assert len(routes) == 15 + len(CASE_ACTIONS) + len(RECORD_ACTIONS)
    assert "spaces/<slug:slug>/cases/<str:display_id>/actions/referral.create/" in routes
    assert routes["spaces/<slug:slug>/cases/<str:display_id>/sections/<str:section>/"] == [
        "put", "patch"]
    assert routes["spaces/<slug:slug>/cases/<str:display_id>/documents/<str:key>/"] == [
        "get", "delete"]


def test_their_space_is_not_found(api: APIClient, mine: Mine, theirs: Theirs) -> None:
    tried = 0
    for route, methods in _routes():
        if "<slug:slug>" not in route:
            continue
        path = _fill(route, theirs.space.slug, theirs)
        for method in methods:
            response = _request(api, method, path)
            assert response.status_code == 404, (method, path, response.content)
            assert response.json()["error"]["code"] == "not_found"
            _assert_nothing_of_theirs(response)
            tried += 1
    # every route but /spaces/, cases/ twice (GET, POST), sections and documents twice
    assert tried == 45


def test_their_case_and_records_are_not_found_in_my_space(api: APIClient, mine: Mine,
                                                          theirs: Theirs) -> None:
    assert not Case.objects.filter(space=mine.space, display_id=theirs.case.display_id).exists()
    tried = 0
    for route, methods in _routes():
        if "<str:display_id>" not in route and "<int:id>" not in route:
            continue
        path = _fill(route, mine.space.slug, theirs)
        for method in methods:
            response = _request(api, method, path)
            assert response.status_code == 404, (method, path, response.content)
            _assert_nothing_of_theirs(response)
            tried += 1
    assert tried == 35  # case routes (sections and documents twice) and record routes


def test_my_lists_hold_nothing_of_theirs(api: APIClient, mine: Mine, theirs: Theirs) -> None:
    spaces = api.get("/api/v1/spaces/").json()["results"]
    assert [space["slug"] for space in spaces] == [mine.space.slug]
    for route, methods in _routes():
        if "get" not in methods or "<str:display_id>" in route or "<int:id>" in route:
            continue
        response = api.get(_fill(route, mine.space.slug, theirs))
        assert response.status_code == 200, (route, response.content)
        _assert_nothing_of_theirs(response)
        assert "Their provider" not in response.content.decode()
    events = api.get(f"/api/v1/spaces/{mine.space.slug}/cases/{mine.case.display_id}/events/")
    _assert_nothing_of_theirs(events)


def test_search_in_my_space_does_not_find_their_child(api: APIClient, mine: Mine,
                                                      theirs: Theirs) -> None:
    response = api.post(f"/api/v1/spaces/{mine.space.slug}/cases/search/",
                        {"query": THEIR_CHILD[0]}, format="json")
    assert response.status_code == 200 and response.json() == []


def test_their_identifiers_in_a_request_body(api: APIClient, mine: Mine, theirs: Theirs) -> None:
    base = f"/api/v1/spaces/{mine.space.slug}/cases/"
    actions = f"{base}{mine.case.display_id}/actions/"
    s.consent_record(actor=mine.member, case=mine.case, consent_type="share_information", given=True)
    attempts = [
        (base, {"data": registration_data(), "case": theirs.case.display_id}, "case"),
        (actions + "referral.create/", {"service_type": "education", "reason": "case_plan_service",
                                        "to_agency": "lcs", "service": theirs.ids["services"]},
         "service"),
        (actions + "referral.create/", {"service_type": "education", "reason": "case_plan_service",
                                        "to_member": theirs.member.pk}, "to_member"),
        (actions + "transfer.create/", {"to_member": theirs.member.pk, "reason": "x"}, "to_member"),
        (actions + "case.assign/", {"to_member": theirs.member.pk}, "to_member"),
    ]
    for path, body, field in attempts:
        response = api.post(path, body, format="json")
        assert response.status_code == 400, (path, response.content)
        assert field in response.json()["error"]["details"]["fields"]
        _assert_nothing_of_theirs(response)
        assert "Their provider" not in response.content.decode()
