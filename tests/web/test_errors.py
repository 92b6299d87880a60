"""The sandbox's own error pages: in the site's layout, with the training banner, in the
visitor's language, and never Django's debug pages (URL lists, tracebacks)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from sandbox.accounts.models import User
from sandbox.web import errors

BANNER_EN = "Training instance — synthetic data only"


def boom(request: object) -> None:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *__import__("sandbox.urls", fromlist=["urlpatterns"]).urlpatterns]
handler500 = "sandbox.web.errors.server_error"


@pytest.mark.django_db
@pytest.mark.parametrize("language, title", [("en", "Page not found"), ("fr", "Page introuvable"),
                                             ("ar", "الصفحة غير موجودة")])
def test_a_wrong_link_gets_the_sandboxs_404_in_the_visitors_language(
        client: Client, trainee: User, language: str, title: str) -> None:
    client.force_login(trainee)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'id="error-page" data-status="404"' in body and 'id="training-banner"' in body
    assert f'lang="{language}"' in body
    if language == "en":  # the other catalogues are filled when the translations land
        assert title in body
    assert "URLconf" not in body and "urlpatterns" not in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_another_trainees_space_is_a_404_page_without_their_space(
        client: Client, trainee: User, other_trainee: User, default_config: object) -> None:
    from tests.factories import MemberFactory, SpaceFactory

    theirs = SpaceFactory(title="Their private space")
    MemberFactory(space=theirs, user=other_trainee, role="caseworker")
    client.force_login(trainee)
    response = client.get(reverse("cases:dashboard", kwargs={"space": theirs.slug}))
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-status="404"' in body and "Their private space" not in body


@pytest.mark.django_db
def test_a_refusal_says_why_on_the_403_page(client: Client, trainee: User) -> None:
    client.force_login(trainee)
    response = client.get(reverse("golive:list"))
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-status="403"' in body and 'id="error-detail"' in body
    assert "Only implementers" in body and BANNER_EN in body


@pytest.mark.django_db
def test_an_expired_form_gets_the_sandboxs_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "The form has expired" in body and BANNER_EN in body
    assert "CSRF verification failed" not in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_gets_the_500_page_without_a_traceback() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert 'data-status="500"' in body and BANNER_EN in body
    assert "RuntimeError" not in body and "Traceback" not in body


def test_the_500_page_comes_out_even_without_a_database() -> None:
    # No django_db mark: every query raises, as when the database is down.
    request = RequestFactory().get("/")
    response = errors.server_error(request)
    assert response.status_code == 500
    assert BANNER_EN in response.content.decode()


def test_bad_request_is_a_400_page() -> None:
    response = errors.bad_request(RequestFactory().get("/"))
    assert response.status_code == 400 and b'data-status="400"' in response.content
