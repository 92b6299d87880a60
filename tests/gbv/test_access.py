"""Who sees what of a GBV case, on the pages and through the API, with the fixed cast: the
GBV case worker and supervisor see the survivor's identity; each provider sees it only
when the survivor agreed to share identified information with that provider; a child
protection case worker and another space's users see nothing of the case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import ApprovalKind, Case
from sandbox.common.errors import NotAllowed
from sandbox.spaces.models import Member
from tests.factories import MemberFactory

from .conftest import PROVIDERS, SURVIVOR, GbvWorld

pytestmark = pytest.mark.django_db


def api(member: Member) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


def web(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def api_url(space: str, *parts: object) -> str:
    return f"/api/v1/spaces/{space}/" + "".join(f"{part}/" for part in parts)


def page(case: Case, name: str = "cases:detail", **kwargs: Any) -> str:
    return reverse(name, kwargs={"space": case.space.slug, "display_id": case.display_id, **kwargs})


def leaked(text: str) -> list[str]:
    """The survivor's identifying values that appear in a response."""
    return [value for value in SURVIVOR.values() if value in text]


@pytest.fixture
def referred(gbv: GbvWorld) -> Case:
    """A case referred to every provider; identity shared with the psychosocial one only."""
    case = gbv.consent(gbv.case(), services=list(PROVIDERS), identified=["psychosocial"])
    for provider in PROVIDERS:
        gbv.refer(case, provider)
    return case


def test_the_case_worker_and_supervisor_see_the_identity(gbv: GbvWorld, referred: Case) -> None:
    for member in (gbv.worker, gbv.supervisor):
        body = api(member).get(api_url(gbv.space.slug, "cases", referred.display_id)).json()
        assert body["full_name"] == "Nadira Belkacem-Ouali"
        assert body["data"]["phone"] == SURVIVOR["phone"]
        assert body["form_access"]["gbv_survivor"] == "read_write"
        response = web(member).get(page(referred))
        assert response.status_code == 200
        assert "Nadira Belkacem-Ouali" in response.content.decode()


@pytest.mark.parametrize("provider", ["health", "legal", "safety"])
def test_a_provider_without_consent_never_sees_the_identity(gbv: GbvWorld, referred: Case,
                                                            provider: str) -> None:
    member = gbv.providers[provider]
    response = api(member).get(api_url(gbv.space.slug, "cases", referred.display_id))
    assert response.status_code == 200
    body = response.json()
    assert "gbv_survivor" not in body["form_access"]
    assert body["form_access"]["gbv_profile"] == "read"
    assert body["full_name"] == "" and body["date_of_birth"] is None
    assert body["data"]["age"] == 31 and "name_first" not in body["data"]
    assert leaked(response.content.decode()) == []
    for path in (api_url(gbv.space.slug, "cases"),
                 api_url(gbv.space.slug, "cases", referred.display_id, "events")):
        listed = api(member).get(path)
        assert listed.status_code == 200 and leaked(listed.content.decode()) == []
    for path in (page(referred), page(referred) + "?section=gbv_survivor",
                 page(referred, "cases:history"),
                 reverse("cases:referrals", kwargs={"space": gbv.space.slug}),
                 reverse("cases:list", kwargs={"space": gbv.space.slug}),
                 reverse("cases:dashboard", kwargs={"space": gbv.space.slug})):
        shown = web(member).get(path)
        assert shown.status_code == 200, path
        assert leaked(shown.content.decode()) == [], path
    assert "Name withheld" in web(member).get(page(referred)).content.decode()
    assert web(member).get(page(referred, "cases:section", section="gbv_survivor")).status_code == 404


def test_the_provider_the_survivor_named_sees_the_identity(gbv: GbvWorld, referred: Case) -> None:
    member = gbv.providers["psychosocial"]
    body = api(member).get(api_url(gbv.space.slug, "cases", referred.display_id)).json()
    assert body["form_access"]["gbv_survivor"] == "read"
    assert body["full_name"] == "Nadira Belkacem-Ouali"
    assert body["data"]["phone"] == SURVIVOR["phone"]
    response = web(member).get(page(referred, "cases:section", section="gbv_survivor"))
    assert response.status_code == 200
    assert "Your role can read this form but not edit it." in response.content.decode()


def test_withdrawn_consent_closes_the_identity_again(gbv: GbvWorld, referred: Case) -> None:
    s.consent_record(actor=gbv.worker, case=referred, consent_type="share_information",
                     given=False, given_by="survivor")
    member = gbv.providers["psychosocial"]
    response = api(member).get(api_url(gbv.space.slug, "cases", referred.display_id))
    assert leaked(response.content.decode()) == []


def test_a_provider_sees_only_the_cases_referred_to_them(gbv: GbvWorld, referred: Case) -> None:
    other = gbv.consent(gbv.case(name_first="Houria"), services=["health"], identified=["health"])
    gbv.refer(other, "health")
    legal = gbv.providers["legal"]
    assert api(legal).get(api_url(gbv.space.slug, "cases", other.display_id)).status_code == 404
    assert web(legal).get(page(other)).status_code == 404
    listed = api(legal).get(api_url(gbv.space.slug, "cases")).json()
    assert [row["display_id"] for row in listed["results"]] == [referred.display_id]


def test_a_child_protection_case_worker_sees_nothing(gbv: GbvWorld, referred: Case) -> None:
    member = gbv.cp_worker
    assert api(member).get(api_url(gbv.space.slug, "cases", referred.display_id)).status_code == 404
    assert web(member).get(page(referred)).status_code == 404
    listed = api(member).get(api_url(gbv.space.slug, "cases"))
    assert listed.json()["count"] == 0 and leaked(listed.content.decode()) == []


def test_a_child_protection_supervisor_never_reads_the_identity(gbv: GbvWorld, referred: Case) -> None:
    cp_supervisor = MemberFactory(space=gbv.space, role="supervisor", agency="amal",
                                  user_groups=["amal_centre"])
    response = api(cp_supervisor).get(api_url(gbv.space.slug, "cases", referred.display_id))
    assert response.status_code == 200
    assert "gbv_survivor" not in response.json()["form_access"]
    assert leaked(response.content.decode()) == []


def test_another_spaces_users_see_nothing(gbv: GbvWorld, referred: Case) -> None:
    outsider = gbv.other_space
    mine = outsider.space.slug
    assert api(outsider).get(api_url(gbv.space.slug, "cases", referred.display_id)).status_code == 404
    assert api(outsider).get(api_url(mine, "cases", referred.display_id)).status_code == 404
    assert web(outsider).get(page(referred)).status_code == 404
    listed = api(outsider).get(api_url(mine, "cases"))
    assert listed.json()["count"] == 0 and leaked(listed.content.decode()) == []


def test_who_may_take_each_gbv_action(gbv: GbvWorld, referred: Case) -> None:
    health = gbv.providers["health"]
    with pytest.raises(NotAllowed):
        s.case_register(actor=health, data={"name_first": "X"})
    with pytest.raises(NotAllowed):
        s.consent_record(actor=health, case=referred, consent_type="services", given=True)
    with pytest.raises(NotAllowed):
        s.consent_record(actor=gbv.cp_worker, case=referred, consent_type="services", given=True)
    referral = referred.referral_set.get(to_member=health)
    s.referral_accept(actor=health, referral=referral)
    with pytest.raises(NotAllowed):
        s.referral_accept(actor=gbv.providers["legal"], referral=referral)
    approval = s.approval_request(actor=gbv.worker, case=referred, kind=ApprovalKind.GBV_CLOSURE)
    for member in (gbv.worker, health, gbv.cp_worker):
        with pytest.raises(NotAllowed):
            s.approval_decide(actor=member, approval=approval, approve=True)
    s.approval_decide(actor=gbv.supervisor, approval=approval, approve=True)
