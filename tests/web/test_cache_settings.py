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


def _setting(expression: str, **env: str) -> str:
    """A setting's value as a fresh process computes it from `env`."""
    import os
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sandbox.settings.local'; "
            f"django.setup(); from django.conf import settings; print({expression})")
    clean = {k: v for k, v in os.environ.items()
             if k not in ("CACHE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_sessions_are_read_from_redis_only_when_it_is_shared() -> None:
    """A shared Redis serves the sessions (written through to the database); a cache of
    one process never does: another process's sign-out would leave it stale."""
    engine = "settings.SESSION_ENGINE"
    assert _setting(engine, CACHE_URL="redis://127.0.0.1:6379/1") == \
        "django.contrib.sessions.backends.cached_db"
    assert _setting(engine) == "django.contrib.sessions.backends.db"
    assert _setting(engine, CACHE_URL="db://") == "django.contrib.sessions.backends.db"


def test_jobs_and_board_share_the_default_cache_when_it_is_shared() -> None:
    """With several servers (a shared cache) the jobs' progress and the board's rows are
    in it; with none, in files every process of this machine reads."""
    backends = "settings.CACHES['jobs']['BACKEND'], settings.CACHES['board']['BACKEND']"
    assert _setting(backends, CACHE_URL="db://").split() == \
        ["django.core.cache.backends.db.DatabaseCache"] * 2
    assert _setting(backends, CACHE_URL="redis://127.0.0.1:6379/1").count("RedisCache") == 2
    assert _setting(backends).count("FileBasedCache") == 2
