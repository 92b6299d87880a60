"""Terms of use: accepted at first login, recorded, asked again for a new version."""

from __future__ import annotations

import pytest
from django.test import Client

from sandbox.accounts import terms as terms_module
from sandbox.accounts.models import TERMS_VERSION, TermsAcceptance, User

pytestmark = [pytest.mark.django_db, pytest.mark.terms]


def test_first_visit_goes_to_the_terms(client: Client, trainee: User) -> None:
    client.force_login(trainee)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/terms/?next=/")
    page = client.get(response["Location"])
    assert "never enter information about real people" in page.content.decode()


def test_accepting_is_recorded_and_lets_the_user_in(client: Client, trainee: User) -> None:
    client.force_login(trainee)
    response = client.post("/terms/", {"accept": "yes", "next": "/"},
                           HTTP_USER_AGENT="Playwright test")
    assert response.status_code == 302 and response["Location"] == "/"
    acceptance = TermsAcceptance.objects.get(user=trainee)
    assert acceptance.version == TERMS_VERSION and acceptance.user_agent == "Playwright test"
    assert client.get("/").status_code == 200


def test_not_accepting_keeps_the_user_out(client: Client, trainee: User) -> None:
    client.force_login(trainee)
    response = client.post("/terms/", {"next": "/"})
    assert response.status_code == 200
    assert not TermsAcceptance.objects.filter(user=trainee).exists()
    assert client.get("/").status_code == 302


def test_next_must_stay_on_this_site(client: Client, trainee: User) -> None:
    client.force_login(trainee)
    response = client.post("/terms/", {"accept": "yes", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_new_version_is_asked_again(client: Client, trainee: User,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    terms_module.accept(trainee)
    client.force_login(trainee)
    assert client.get("/").status_code == 200
    monkeypatch.setattr(terms_module, "TERMS_VERSION", TERMS_VERSION + 1)
    fresh = Client()
    fresh.force_login(trainee)
    assert fresh.get("/").status_code == 302


def test_login_and_token_do_not_need_the_terms_but_the_api_does(client: Client, trainee: User) -> None:
    assert client.get("/accounts/login/").status_code == 200
    token = client.post("/api/v1/auth/token/", {"username": "amani", "password": "pw-amani-123"})
    assert token.status_code == 200
    client.force_login(trainee)
    refused = client.get("/api/v1/spaces/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "terms_not_accepted"
    by_token = Client().get("/api/v1/spaces/", HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert by_token.json()["error"]["code"] == "terms_not_accepted"
    client.post("/terms/", {"accept": "yes"})
    assert client.get("/api/v1/spaces/").status_code == 200


def test_the_admin_needs_the_terms_too(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith("/terms/")
    assert client.get("/admin/login/").status_code in (200, 302)
    client.post("/terms/", {"accept": "yes"})
    assert client.get("/admin/").status_code == 200
