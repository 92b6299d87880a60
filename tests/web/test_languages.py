"""Six interface languages: chosen with the selector, by the browser, or by the user's
account, which wins; each named in its own language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User

LOCAL_NAMES = ["English", "Français", "العربية", "Español", "Kiswahili", "ខ្មែរ"]


def test_six_languages_each_named_in_its_own() -> None:
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "ar", "es", "sw", "km"]
    assert [name for _code, name in settings.LANGUAGES] == LOCAL_NAMES


@pytest.mark.django_db
def test_the_selector_offers_every_language(client: Client) -> None:
    body = client.get(reverse("login")).content.decode()
    for code, name in settings.LANGUAGES:
        direction = "rtl" if code == "ar" else "ltr"
        assert f'<option value="{code}" lang="{code}" dir="{direction}"' in body
        assert f">{name}</option>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["es", "sw", "km"])
def test_setlang_accepts_the_new_languages(client: Client, code: str) -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    body = client.get(reverse("login")).content.decode()
    assert f'<html lang="{code}" dir="ltr">' in body


@pytest.mark.django_db
@pytest.mark.parametrize(("header", "code"), [("km-KH,km;q=0.9,en;q=0.5", "km"), ("sw-KE,sw", "sw"),
                                              ("es-419,es;q=0.8", "es")])
def test_accept_language_picks_the_new_languages(client: Client, header: str, code: str) -> None:
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert f'<html lang="{code}"' in body


@pytest.mark.django_db
def test_the_users_language_wins_over_the_browsers(client: Client) -> None:
    user = User.objects.create_user("sokha", password="pw-sokha-123", language="km")
    client.force_login(user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="km"' in response.content.decode()
    # ...and is remembered in the cookie for the next pages.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "km"


@pytest.mark.django_db
def test_a_choice_with_the_selector_is_kept_on_the_account(client: Client) -> None:
    user = User.objects.create_user("amina", password="pw-amina-123", language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "sw", "next": "/"})
    user.refresh_from_db()
    assert user.language == "sw"
    # On another device (no cookie yet), the account's language is used.
    other = Client()
    other.force_login(user)
    assert '<html lang="sw"' in other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_refused(client: Client) -> None:
    user = User.objects.create_user("ana", password="pw-ana-12345", language="es")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"
