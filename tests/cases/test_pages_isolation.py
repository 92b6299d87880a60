"""Two trainees in two spaces: no page, and no action, ever reaches the other space.

Every case-system URL is tried with the other trainee's identifiers — in their
space, and in one's own space with their case ID and record ids — and must
answer 404 without the other child's name. Non-members get 404 too, and
anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User
from sandbox.cases import services as s
from sandbox.cases.models import Approval, Case, Event, Referral, Service, Transfer, TransferRequest
from sandbox.cases.views.panel import CASE_ACTIONS
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory, UserFactory

from .conftest import assessment_data, registration_data


@dataclass
class Practice:
    """One trainee's space with a case, a pending approval, a referral, a service, a transfer."""

    space: Space
    trainee: Member
    case: Case
    approval: Approval
    referral: Referral
    service: Service
    transfer: Transfer
    transfer_request: TransferRequest
    child: str


def _practice(user: User, child_first: str, child_last: str, *, padding: int) -> Practice:
    space = SpaceFactory()
    trainee = MemberFactory(space=space, user=user, role="supervisor", user_groups=["dsw_north"])
    worker = MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"])
    provider = MemberFactory(space=space, role="service_provider", agency="lcs", user_groups=[])
    colleague = MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"])
    for n in range(padding):  # so that the two spaces' case IDs differ
        s.case_register(actor=worker, data=registration_data(name_first=f"Pad{n}"))
    case = s.case_register(actor=worker, data=registration_data(name_first=child_first,
                                                                name_last=child_last))
    for kind in ("services", "share_information"):
        s.consent_record(actor=worker, case=case, consent_type=kind, given=True)
    s.assessment_request(actor=worker, case=case)
    s.assessment_complete(actor=worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=worker, case=case, kind="assessment")
    reason_lookup = space.module_config.system_lookups["referral_reason"]
    referral = s.referral_create(
        actor=worker, case=case, service_type="family_tracing",
        reason=next(iter(space.config.lookups[reason_lookup].options)), to_member=provider.pk)
    service = s.service_add(actor=worker, case=case, service_type="education")
    s.case_flag(actor=worker, case=case, reason="Watch")
    transfer = s.transfer_create(actor=worker, case=case, to_member=colleague.pk, reason="Office")
    requester = MemberFactory(space=space, role="caseworker", agency="cfi", user_groups=[])
    request = s.transfer_request_create(actor=requester, case=case, reason="Moved to Port Hassan")
    return Practice(space=space, trainee=trainee, case=case, approval=approval, referral=referral,
                    service=service, transfer=transfer, transfer_request=request,
                    child=f"{child_first} {child_last}")


@pytest.fixture
def two(default_config: object, trainee: User, other_trainee: User) -> tuple[Practice, Practice]:
    mine = _practice(trainee, "Amina", "Diallo", padding=0)
    theirs = _practice(other_trainee, "Zainab", "Karimi", padding=2)
    assert mine.case.display_id != theirs.case.display_id
    return mine, theirs


def get_urls(slug: str, case_id: str, approval: int, referral: int, service: int,
             transfer: int, transfer_request: int) -> list[str]:
    """Every page of the case system (GET)."""
    def r(name: str, **kwargs: Any) -> str:
        return reverse(f"cases:{name}", kwargs={"space": slug, **kwargs})

    urls = [r("dashboard"), r("list"), r("register"), r("approvals"), r("referrals"),
            r("list") + "?q=Zainab", r("register") + "?q=Zainab",
            r("detail", display_id=case_id), r("detail", display_id=case_id) + "?section=basic_identity",
            r("history", display_id=case_id),
            r("section", display_id=case_id, section="basic_identity")]
    urls += [r("action", display_id=case_id, action=a) for a in CASE_ACTIONS]
    return urls


def post_urls(slug: str, case_id: str, approval: int, referral: int, service: int,
              transfer: int, transfer_request: int) -> list[str]:
    """Every action of the case system (POST)."""
    def r(name: str, **kwargs: Any) -> str:
        return reverse(f"cases:{name}", kwargs={"space": slug, **kwargs})

    urls = [r("register"), r("section", display_id=case_id, section="basic_identity")]
    urls += [r("action", display_id=case_id, action=a) for a in CASE_ACTIONS]
    urls += [r("service_implement", display_id=case_id, pk=service),
             r("referral_done", display_id=case_id, pk=referral),
             r("approval_decide", pk=approval)]
    urls += [r("referral_answer", pk=referral, answer=a) for a in ("accept", "reject", "done")]
    urls += [r("transfer_answer", pk=transfer, answer=a) for a in ("accept", "reject")]
    urls += [r("referral_revoke", display_id=case_id, pk=referral),
             r("transfer_revoke", display_id=case_id, pk=transfer)]
    urls += [r("transfer_request_answer", pk=transfer_request, answer=a)
             for a in ("accept", "decline")]
    return urls


#: A body that would pass every form, so that only isolation can stop it.
POST_DATA = {
    "decision": "approve", "comment": "ok", "reason": "why", "subject": "s", "text": "t",
    "kind": "assessment", "service_type": "family_tracing", "consent__services": "yes",
    "date": "2026-03-02", "followup_type": "phone_call", "findings": "f",
    "name_first": "Zed", "name_last": "Zed", "sex": "male", "age": "9",
    "location_current": "LR010101", "date_identified": "2026-03-01",
    "identified_by": "community_volunteer", "protection_concerns": "separated", "risk_level": "low",
}


def _ids(p: Practice) -> dict[str, Any]:
    return {"case_id": p.case.display_id, "approval": p.approval.pk, "referral": p.referral.pk,
            "service": p.service.pk, "transfer": p.transfer.pk,
            "transfer_request": p.transfer_request.pk}


def _combinations(mine: Practice, theirs: Practice) -> list[tuple[str, dict[str, Any]]]:
    """(slug, ids) pairs that must all fail: their space with their ids, their space with my
    ids, my space with their ids, and my space with my case but their records' ids."""
    mixed = {**_ids(theirs), "case_id": mine.case.display_id}
    return [(theirs.space.slug, _ids(theirs)), (theirs.space.slug, _ids(mine)),
            (mine.space.slug, _ids(theirs)), (mine.space.slug, mixed)]


@pytest.mark.django_db
def test_every_page_of_another_space_is_404(client: Client, two: tuple[Practice, Practice]) -> None:
    mine, theirs = two
    client.force_login(mine.trainee.user)
    checked = 0
    for slug, ids in _combinations(mine, theirs):
        for url in get_urls(slug, **ids):
            if slug == mine.space.slug and url in get_urls(mine.space.slug, **_ids(mine)):
                continue  # my own pages without any of their ids
            response = client.get(url)
            assert response.status_code == 404, url
            assert theirs.child not in response.content.decode(), url
            checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_every_action_on_another_space_is_404_and_changes_nothing(
        client: Client, two: tuple[Practice, Practice]) -> None:
    mine, theirs = two
    client.force_login(mine.trainee.user)
    before = {space.pk: Event.objects.filter(space=space).count() for space in (mine.space, theirs.space)}
    cases_before = Case.objects.count()
    checked = 0
    for slug, ids in _combinations(mine, theirs):
        for url in post_urls(slug, **ids):
            if slug == mine.space.slug and url in post_urls(mine.space.slug, **_ids(mine)):
                continue
            response = client.post(url, POST_DATA)
            assert response.status_code == 404, url
            assert theirs.child not in response.content.decode(), url
            checked += 1
    assert checked > 40
    after = {space.pk: Event.objects.filter(space=space).count() for space in (mine.space, theirs.space)}
    assert after == before and Case.objects.count() == cases_before
    theirs.approval.refresh_from_db()
    theirs.referral.refresh_from_db()
    assert theirs.approval.status == "pending" and theirs.referral.status == "pending"


@pytest.mark.django_db
def test_own_pages_work_and_show_only_my_space(client: Client, two: tuple[Practice, Practice]) -> None:
    mine, theirs = two
    client.force_login(mine.trainee.user)
    for url in get_urls(mine.space.slug, **_ids(mine))[:11]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert theirs.child not in response.content.decode(), url
    # A search for the other child finds nothing in my space.
    page = client.get(reverse("cases:register", kwargs={"space": mine.space.slug}),
                      {"q": "Zainab"}).content.decode()
    assert 'id="no-duplicates"' in page


@pytest.mark.django_db
def test_a_user_who_is_not_a_member_gets_404_everywhere(client: Client,
                                                        two: tuple[Practice, Practice]) -> None:
    mine, _theirs = two
    stranger = UserFactory()
    client.force_login(stranger)
    for url in get_urls(mine.space.slug, **_ids(mine)):
        assert client.get(url).status_code == 404, url
    for url in post_urls(mine.space.slug, **_ids(mine)):
        assert client.post(url, POST_DATA).status_code == 404, url


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client: Client, two: tuple[Practice, Practice]) -> None:
    mine, _theirs = two
    login = reverse("login")
    for url in get_urls(mine.space.slug, **_ids(mine)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    for url in post_urls(mine.space.slug, **_ids(mine)):
        response = client.post(url, POST_DATA)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    assert Event.objects.filter(action="case.register", case__name_first="Zed").count() == 0


@pytest.mark.django_db
def test_a_transfer_request_names_a_case_of_ones_own_space_only(
        client: Client, two: tuple[Practice, Practice]) -> None:
    mine, theirs = two
    client.force_login(mine.trainee.user)
    events = Event.objects.count()
    theirs_url = reverse("cases:transfer_request_create", kwargs={"space": theirs.space.slug})
    assert client.post(theirs_url, {"case_id": mine.case.display_id, "reason": "x"}).status_code == 404
    mine_url = reverse("cases:transfer_request_create", kwargs={"space": mine.space.slug})
    response = client.post(mine_url, {"case_id": theirs.case.display_id, "reason": "x"})
    assert response.status_code == 400
    assert "No case has this ID in this space." in response.content.decode()
    assert theirs.child not in response.content.decode()
    assert Event.objects.count() == events
