"""Settings for the test suite: fast hashing, in-memory e-mail, no debug."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Jobs run at once, in the request that starts them (tests/jobs/test_worker.py runs a
# real broker and worker).
JOBS_MODE = env_str("JOBS_MODE", "eager")  # noqa: F405
# Each test process its own caches, unless a shared one is asked for (the worker tests
# give their processes the broker's Redis).
if not CACHE_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
              "board": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "board"}}
