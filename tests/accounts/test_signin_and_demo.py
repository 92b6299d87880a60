"""Sign-in throttling, expiring tokens and the demo-account guard."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sandbox.accounts.checks import check_demo_accounts, demo_accounts_present
from sandbox.accounts.models import User
from sandbox.accounts.services import remove_demo_accounts
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def new_token(client: Client) -> str:
    answer = client.post("/api/v1/auth/token/", {"username": "amani", "password": "pw-amani-123"})
    return answer.json()["token"]


def login(client: Client, password: str) -> object:
    return client.post("/accounts/login/", {"username": "amani", "password": password})


def test_the_login_page_locks_the_account_after_the_configured_failures(trainee: User) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        assert login(client, "wrong").status_code == 200
    locked = login(client, "wrong")
    assert locked.status_code == 429
    assert b"Too many failed attempts" in locked.content
    # The right password does not get through while locked.
    assert login(client, "pw-amani-123").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(trainee: User) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        login(client, "wrong")
    assert login(client, "pw-amani-123").status_code == 302
    client.logout()
    assert login(client, "wrong").status_code == 200


def test_the_lockout_is_per_username_not_per_address(trainee: User, other_trainee: User) -> None:
    client = Client()
    for _ in range(LIMIT):
        login(client, "wrong")
    other = client.post("/accounts/login/", {"username": "bilal", "password": "pw-bilal-123"})
    assert other.status_code == 302


def test_the_token_endpoint_answers_429_in_the_error_shape(trainee: User) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        answer = client.post("/api/v1/auth/token/", {"username": "amani", "password": "wrong"})
        assert answer.status_code == 400
    locked = client.post("/api/v1/auth/token/", {"username": "amani", "password": "wrong"})
    assert locked.status_code == 429
    right = client.post("/api/v1/auth/token/", {"username": "amani", "password": "pw-amani-123"})
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "throttled"


def test_an_expired_token_is_refused_and_replaced(trainee: User) -> None:
    client = Client()
    key = new_token(client)
    assert client.get("/api/v1/attempts/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    old = timezone.now() - settings.API_TOKEN_LIFETIME - datetime.timedelta(minutes=1)
    Token.objects.filter(key=key).update(created=old)
    refused = client.get("/api/v1/attempts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] in {"authentication_failed", "not_authenticated"}
    new = client.post("/api/v1/auth/token/", {"username": "amani", "password": "pw-amani-123"}).json()
    assert new["token"] != key


def test_a_password_change_ends_the_token(trainee: User) -> None:
    client = Client()
    key = new_token(client)
    trainee.set_password("a-new-password-1")
    trainee.save()
    assert not Token.objects.filter(key=key).exists()
    assert client.get("/api/v1/attempts/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_saving_without_a_password_change_keeps_the_token(trainee: User) -> None:
    token = Token.objects.create(user=trainee)
    trainee.first_name = "Amani"
    trainee.save()
    assert Token.objects.filter(key=token.key).exists()


def test_a_renamed_demo_account_is_still_a_demo_account() -> None:
    User.objects.create_user("ops-lead", password="sandbox-admin", is_superuser=True, is_staff=True)
    User.objects.create_user("someone", password="sandbox-trainee")
    User.objects.create_user("safe", password="a-real-secret-9")
    assert demo_accounts_present() == ["ops-lead", "someone"]


def test_a_privileged_account_with_a_demo_password_is_found_without_the_marker() -> None:
    user = User.objects.create_user("root2", password="sandbox-admin", is_superuser=True)
    User.objects.filter(pk=user.pk).update(has_demo_password=False)
    assert demo_accounts_present() == ["root2"]


@override_settings(REFUSE_DEMO_ACCOUNTS=True)
def test_the_deploy_check_names_renamed_demo_accounts() -> None:
    User.objects.create_user("ops-lead", password="sandbox-admin", is_superuser=True)
    errors = check_demo_accounts()
    assert [e.id for e in errors] == ["sandbox.E001"]
    assert "ops-lead" in errors[0].msg


def test_the_demo_accounts_can_be_removed_with_their_workshops_handed_over(administrator: User) -> None:
    from sandbox.workshops.models import Workshop

    call_command("demo")
    assert "trainer" in demo_accounts_present()
    assert Workshop.objects.filter(trainer__username="trainer").exists()
    removed = remove_demo_accounts(heir=administrator)
    assert "trainer" in removed and "admin" in removed
    assert demo_accounts_present() == []
    assert Workshop.objects.filter(trainer=administrator).exists()


def test_the_admin_action_deletes_the_demo_accounts(administrator: User) -> None:
    call_command("demo")
    admin = Client()
    admin.force_login(administrator)
    some = User.objects.get(username="trainee1")
    answer = admin.post("/admin/accounts/user/", {"action": "delete_demo_accounts",
                                                  "_selected_action": [some.pk]})
    assert answer.status_code == 302
    assert demo_accounts_present() == []
    assert User.objects.filter(pk=administrator.pk).exists()


def test_the_command_removes_the_demo_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    User.objects.create_user("renamed", password="sandbox-trainer")
    call_command("remove_demo_accounts")
    assert "renamed" in capsys.readouterr().out
    assert demo_accounts_present() == []


def test_pages_carry_a_csp_and_are_not_cached(trainee: User) -> None:
    client = Client()
    client.force_login(trainee)
    page = client.get("/")
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "no-store" in page["Cache-Control"]
    api = client.get("/api/v1/attempts/")
    assert "no-store" in api["Cache-Control"]
    SpaceFactory(slug="unused")
