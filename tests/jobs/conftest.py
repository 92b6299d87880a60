"""The workshops' fixed cast (tests/workshops/conftest.py) serves the jobs' tests too."""

import pytest
from django.core.cache import caches

from tests.workshops.conftest import cast, other_trainer, scenarios  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Progress and heartbeats live in the cache; ids start again in every test."""
    caches["jobs"].clear()
