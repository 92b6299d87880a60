"""One sign-in per trainee: the API accepts the site's session (with its CSRF token), so a
trainee's password is checked once; scripts keep their API token."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import base_user
from django.test import Client

from sandbox.accounts.models import User
from sandbox.workshops.models import Exercise

from .conftest import PASSWORD, Cast, attempt_of, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check, by username."""
    done: list[str] = []
    original = base_user.check_password

    def counting(password: str, encoded: str, *args: Any, **kwargs: Any) -> bool:
        done.append(encoded)
        return original(password, encoded, *args, **kwargs)

    monkeypatch.setattr(base_user, "check_password", counting)
    return done


def _signed_in(user: User, password: str) -> Client:
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/accounts/login/")
    assert form.status_code == 200
    answer = browser.post("/accounts/login/", {
        "username": user.username, "password": password,
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert answer.status_code == 302, answer.content[:300]
    return browser


def _exercise(cast: Cast) -> Exercise:
    return start(cast.trainer, cast.workshop)


def test_the_api_takes_the_session_of_the_pages_with_one_password_check(
        cast: Cast, checks: list[str]) -> None:
    exercise = _exercise(cast)
    slug = attempt_of(exercise, cast.trainee).space.slug  # type: ignore[union-attr]
    browser = _signed_in(cast.trainee, "pw-amani-123")
    assert len(checks) == 1
    assert browser.get(f"/spaces/{slug}/").status_code == 200
    listed = browser.get("/api/v1/spaces/")
    assert listed.status_code == 200 and slug in {s["slug"] for s in listed.json()["results"]}
    clock = f"/api/v1/spaces/{slug}/exercise/clock/"
    # A write with the session needs the CSRF token: a page of another site cannot make one.
    refused = browser.post(clock, {"by": "1h"}, content_type="application/json")
    assert refused.status_code == 403
    moved = browser.post(clock, {"by": "1h"}, content_type="application/json",
                         HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert moved.status_code == 200, moved.content[:300]
    assert len(checks) == 1  # the pages and the API: one password check


def test_the_trainer_polls_the_board_api_with_the_session(cast: Cast, checks: list[str]) -> None:
    exercise = _exercise(cast)
    browser = _signed_in(cast.trainer, "pw-tomas-123")
    url = f"/api/v1/workshops/{cast.workshop.pk}/exercises/{exercise.pk}/board/"
    rows = browser.get(url)
    assert rows.status_code == 200 and len(rows.json()) == 2
    assert len(checks) == 1
    other = _signed_in(cast.other_trainer, PASSWORD)  # another workshop's trainer
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_scripts_keep_their_token_and_nobody_else_gets_in(cast: Cast) -> None:
    exercise = _exercise(cast)
    slug = attempt_of(exercise, cast.trainee).space.slug  # type: ignore[union-attr]
    script = Client()
    token = script.post("/api/v1/auth/token/", {"username": "amani", "password": "pw-amani-123"},
                        content_type="application/json").json()["token"]
    assert script.get("/api/v1/spaces/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    moved = Client(enforce_csrf_checks=True).post(
        f"/api/v1/spaces/{slug}/exercise/clock/", {"by": "1h"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}")
    assert moved.status_code == 200  # a token needs no CSRF token
    assert Client().get("/api/v1/spaces/").status_code == 401
