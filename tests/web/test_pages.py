"""The base of every page: login, the training banner, languages, right to left."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User

BANNER_EN = "Training instance — synthetic data only"


@pytest.mark.django_db
def test_login_page_shows_banner(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert BANNER_EN in body
    assert 'dir="ltr"' in body and 'lang="en"' in body


@pytest.mark.django_db
def test_home_requires_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_arabic_is_right_to_left_and_translated(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert 'dir="rtl"' in body and 'lang="ar"' in body
    assert "bootstrap.rtl.min.css" in body
    assert "بيانات اصطناعية" in body
    assert BANNER_EN not in body


@pytest.mark.django_db
def test_french_is_translated(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert 'lang="fr"' in body and 'dir="ltr"' in body
    assert "données synthétiques" in body


@pytest.mark.django_db
def test_login_uses_the_users_language(client: Client) -> None:
    User.objects.create_user("layla", password="pw-layla-123", language="ar")
    response = client.post(reverse("login"), {"username": "layla", "password": "pw-layla-123"},
                           follow=True)
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_a_clear_message(client: Client, trainee: User) -> None:
    response = client.post(reverse("login"), {"username": trainee.username, "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


@pytest.mark.django_db
def test_home_lists_loaded_bundles_to_implementers_only(
        client: Client, trainee: User, administrator: User, default_config: object) -> None:
    client.force_login(administrator)
    body = client.get(reverse("home")).content.decode()
    assert 'id="loaded-configurations"' in body and "<code>default</code>" in body
    client.force_login(trainee)
    body = client.get(reverse("home")).content.decode()
    assert 'id="loaded-configurations"' not in body and "<code>default</code>" not in body
    assert BANNER_EN in body


@pytest.mark.django_db
def test_logout_is_a_post(client: Client, trainee: User) -> None:
    client.force_login(trainee)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_admin_shows_configuration_read_only(client: Client, administrator: User,
                                             default_config: object) -> None:
    client.force_login(administrator)
    response = client.get("/admin/configuration/lookup/")
    assert response.status_code == 200
    assert client.get("/admin/configuration/lookup/add/").status_code == 403
    lookup_id = default_config.lookups.first().pk  # type: ignore[attr-defined]
    page = client.get(f"/admin/configuration/lookup/{lookup_id}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/configuration/lookup/{lookup_id}/delete/").status_code == 403


def test_static_assets_are_vendored() -> None:
    from django.conf import settings

    root = settings.BASE_DIR / "sandbox" / "static" / "vendor"
    for name in ("bootstrap/bootstrap.min.css", "bootstrap/bootstrap.rtl.min.css",
                 "bootstrap/bootstrap.bundle.min.js", "htmx/htmx.min.js",
                 "fonts/noto-sans-arabic-arabic-400-normal.woff2",
                 "fonts/noto-sans-khmer-khmer-400-normal.woff2"):
        assert (root / name).stat().st_size > 1000, name
