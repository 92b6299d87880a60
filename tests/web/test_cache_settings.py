"""The cache is configured from the environment: shared by several app servers when asked."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command

from sandbox.settings.base import cache_from_url


def test_cache_urls() -> None:
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("db://") == {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                       "LOCATION": "sandbox_cache"}
    assert cache_from_url("db://shared_cache")["LOCATION"] == "shared_cache"
    redis = cache_from_url("redis://127.0.0.1:6379/1")
    assert redis == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/1"}
    with pytest.raises(ValueError, match="memcached"):
        cache_from_url("memcached://127.0.0.1")


@pytest.mark.django_db(transaction=True)
def test_two_servers_count_in_one_database_cache() -> None:
    """What the certificate checks count (a rate limit) is seen by every process."""
    call_command("createcachetable", "sandbox_cache", verbosity=0)
    first, second = (DatabaseCache("sandbox_cache", {}) for _ in range(2))
    first.add("certificate-checks:192.0.2.1", 0, 60)
    first.incr("certificate-checks:192.0.2.1")
    assert second.incr("certificate-checks:192.0.2.1") == 2
