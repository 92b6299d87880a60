"""Shared fixtures: the loaded default configuration and a fixed cast of users."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sandbox.accounts.models import User

DEFAULT_BUNDLE = Path(settings.SEED_DATA_DIR) / "default"
KENYA_BUNDLE = Path(settings.SEED_DATA_DIR) / "kenya-dcs"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load both shipped bundles once per test database, not once per test."""
    from sandbox.configuration.bundle.load import load_bundle

    with django_db_blocker.unblock():
        load_bundle(DEFAULT_BUNDLE)
        load_bundle(KENYA_BUNDLE)


@pytest.fixture
def default_config(db):  # type: ignore[no-untyped-def]
    """The default bundle (loaded again if a transactional test flushed the database)."""
    from sandbox.configuration.bundle.load import load_bundle
    from sandbox.configuration.models import Bundle

    return Bundle.objects.filter(code="default").first() or load_bundle(DEFAULT_BUNDLE)


@pytest.fixture
def administrator(db) -> User:
    return User.objects.create_user("ada", password="pw-ada-123", kind=User.Kind.ADMINISTRATOR,
                                    is_staff=True, is_superuser=True)


@pytest.fixture
def trainer(db) -> User:
    return User.objects.create_user("tomas", password="pw-tomas-123", kind=User.Kind.TRAINER)


@pytest.fixture
def trainee(db) -> User:
    return User.objects.create_user("amani", password="pw-amani-123", kind=User.Kind.TRAINEE)


@pytest.fixture
def other_trainee(db) -> User:
    return User.objects.create_user("bilal", password="pw-bilal-123", kind=User.Kind.TRAINEE)


@pytest.fixture(autouse=True)
def _terms_accepted(request, monkeypatch):  # type: ignore[no-untyped-def]
    """Users in tests have accepted the terms of use, except in tests marked `terms`,
    which check the acceptance itself."""
    if request.node.get_closest_marker("terms") is None:
        monkeypatch.setattr("sandbox.accounts.terms.has_accepted", lambda user: True)


@pytest.fixture(autouse=True)
def _language_of_the_thread():  # type: ignore[no-untyped-def]
    """Every test starts and ends in the default language: a request made by the test
    client leaves its user's language active in the thread (the locale middleware activates
    it), which would otherwise carry over to the next test run by the same worker."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _board_rows_forgotten():  # type: ignore[no-untyped-def]
    """The live board keeps rows in the process by attempt id; a test's database is rolled
    back and its ids given again by the next test: each test starts with none kept."""
    from django.core.cache import caches

    from sandbox.workshops import board

    board._memo.clear()
    caches["board"].clear()
    yield
