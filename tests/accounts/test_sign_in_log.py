"""The sign-in log: every sign-in and failed attempt, by page and by API token, in one
INSERT; read by supervisors for the people they oversee, and by administrators."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sandbox.accounts.models import SignIn, User
from sandbox.accounts.signins import record_sign_in
from tests.factories import MemberFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_sign_in_and_a_failed_one_are_logged(trainee: User) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "amani", "password": "not-the-password"})
    client.post("/accounts/login/", {"username": "amani", "password": "pw-amani-123"})
    rows = list(SignIn.objects.order_by("pk").values("username", "user", "succeeded", "via",
                                                     "ip_address"))
    assert rows == [
        {"username": "amani", "user": None, "succeeded": False, "via": "page", "ip_address": "10.1.2.3"},
        {"username": "amani", "user": trainee.pk, "succeeded": True, "via": "page",
         "ip_address": "10.1.2.3"},
    ]
    # The password typed is never kept, in any column.
    for row in SignIn.objects.values():
        assert "not-the-password" not in str(row) and "pw-amani-123" not in str(row)


def test_api_token_sign_ins_are_logged(trainee: User) -> None:
    client = Client()
    assert client.post("/api/v1/auth/token/", {"username": "amani", "password": "x"}).status_code == 400
    assert client.post("/api/v1/auth/token/", {"username": "amani",
                                               "password": "pw-amani-123"}).status_code == 200
    assert list(SignIn.objects.order_by("pk").values_list("via", "succeeded", "user")) == [
        ("api", False, None), ("api", True, trainee.pk)]


def test_an_unknown_username_is_logged_as_typed() -> None:
    Client().post("/accounts/login/", {"username": "nobody-here", "password": "x"})
    row = SignIn.objects.get()
    assert (row.username, row.user, row.succeeded) == ("nobody-here", None, False)


def test_logging_a_sign_in_is_one_insert(trainee: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        record_sign_in(None, username="amani", user=trainee, succeeded=True)
    assert len(queries) == 1 and queries[0]["sql"].upper().startswith("INSERT")


@pytest.fixture
def groups(default_config: object, trainee: User, other_trainee: User) -> dict[str, object]:
    """A space: the trainee supervises group north, where a worker signs in; another worker
    is in group south; the other trainee is a case worker of group north."""
    space = SpaceFactory()
    supervisor = MemberFactory(space=space, user=trainee, role="supervisor", user_groups=["north"])
    north = MemberFactory(space=space, user=UserFactory(username="north-worker"),
                          role="caseworker", user_groups=["north"], name="North Worker")
    south = MemberFactory(space=space, user=UserFactory(username="south-worker"),
                          role="caseworker", user_groups=["south"], name="South Worker")
    worker = MemberFactory(space=space, user=other_trainee, role="caseworker", user_groups=["north"])
    for member in (north, south):
        record_sign_in(None, username=member.user.username, user=member.user, succeeded=True)
    record_sign_in(None, username="north-worker", user=None, succeeded=False)
    record_sign_in(None, username="someone-else", user=None, succeeded=False)
    return {"space": space, "supervisor": supervisor, "worker": worker}


def test_a_supervisor_reads_the_sign_ins_of_their_group(client: Client, groups: dict) -> None:
    space = groups["space"]
    client.force_login(groups["supervisor"].user)
    response = client.get(reverse("cases:sign_ins", kwargs={"space": space.slug}))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-sign-in="north-worker"') == 2
    assert 'data-succeeded="false"' in page and "North Worker" in page
    assert "south-worker" not in page and "someone-else" not in page
    assert 'id="nav-sign-ins"' in page


def test_who_may_not_read_the_sign_in_log(client: Client, groups: dict, administrator: User) -> None:
    url = reverse("cases:sign_ins", kwargs={"space": groups["space"].slug})
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(groups["worker"].user)  # a case worker
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())  # not a member of the space
    assert client.get(url).status_code == 404
    other = SpaceFactory()
    MemberFactory(space=other, user=administrator, role="supervisor", user_groups=["north"])
    client.force_login(administrator)  # a supervisor of another space sees nothing of this one
    assert client.get(url).status_code == 404
    page = client.get(reverse("cases:sign_ins", kwargs={"space": other.slug})).content.decode()
    assert "north-worker" not in page


def test_administrators_read_the_whole_log_in_the_administration(client: Client, groups: dict,
                                                                 administrator: User) -> None:
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    page = client.get("/admin/accounts/signin/").content.decode()
    assert "someone-else" in page and "south-worker" in page
    client.force_login(groups["supervisor"].user)
    assert client.get("/admin/accounts/signin/").status_code == 302  # not staff: to the login
