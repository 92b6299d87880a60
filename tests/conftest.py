"""Shared fixtures: the loaded default configuration and a fixed cast of users."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sandbox.accounts.models import User

DEFAULT_BUNDLE = Path(settings.SEED_DATA_DIR) / "default"
KENYA_BUNDLE = Path(settings.SEED_DATA_DIR) / "kenya-dcs"


@pytest.fixture
def default_config(db):
    from sandbox.configuration.bundle.load import load_bundle

    return load_bundle(DEFAULT_BUNDLE)


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
