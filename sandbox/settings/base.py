"""Settings shared by every environment.

Values that differ between machines come from environment variables, read through
the small typed helpers below, so that a deployment never needs to edit code.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env_str("SECRET_KEY", "insecure-local-key-only-for-the-training-sandbox")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "sandbox.accounts",
    "sandbox.configuration",
    "sandbox.spaces",
    "sandbox.cases",
    "sandbox.gbv",
    "sandbox.tracing",
    "sandbox.simulation",
    "sandbox.scoring",
    "sandbox.workshops",
    "sandbox.quizzes",
    "sandbox.certificates",
    "sandbox.jobs",
    "sandbox.golive",
    "sandbox.api",
    "sandbox.realdata",
    "sandbox.help",
    "sandbox.reporting",
    "sandbox.interop",
    "sandbox.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sandbox.certificates.middleware.PresenceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sandbox.web.middleware.LanguageCookieMiddleware",
    "sandbox.accounts.terms.TermsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sandbox.api.middleware.ApiGuardMiddleware",
    "sandbox.realdata.guard.ConfirmationMiddleware",
    "sandbox.accounts.security.NoStoreMiddleware",
    # Last, so that it sees the answer of the login view and turns it into a lockout.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sandbox" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sandbox.web.context_processors.sandbox",
                "sandbox.simulation.context_processors.exercise",
                "sandbox.help.context_processors.help_link",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a reset writes; a busy timeout instead of
    # "database is locked" when two trainees save at the same moment.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

def cache_from_url(url: str) -> dict[str, Any]:
    """The default cache from a URL: empty or `locmem://` (each process its own: one app
    server), `db://` or `db://TABLE` (the database's table, made by `createcachetable`:
    shared by every app server), `redis://HOST:PORT/DB` or `rediss://...` (Redis)."""
    scheme, _sep, rest = url.partition("://")
    if not url or scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": rest.strip("/") or "sandbox_cache"}
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ValueError(f"CACHE_URL: unknown cache {scheme!r} (locmem://, db://, redis://)")


# With several app servers, what one process counts (the certificate checks' rate limit)
# must be seen by all: CACHE_URL=db:// (no extra service) or a Redis (REDIS_URL); the
# caches are set below, with the jobs' one.


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: a locked-out username is refused before any password is hashed,
# so guessing costs the server nothing once the limit is reached.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Argon2 first: memory-hard, and about a tenth of PBKDF2's time per sign-in here, so a
# workshop's sign-in storm and a 100-trainee import stay fast. Older PBKDF2 hashes are
# still accepted and upgraded on the next sign-in.
PASSWORD_HASHERS = [
    "sandbox.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. English is the source language; every shipped language
# has a compiled catalogue in locale/ and a check in `make test` for gaps.
LANGUAGE_CODE = "en"
# Each language is named in its own language, so that a trainee finds theirs whatever
# the page's language is now.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("sw", "Kiswahili"),
    ("km", "ខ្មែរ"),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# The guide (docs/ built by mkdocs: `make docs`), served under /help/ by the sandbox itself.
HELP_SITE_DIR = Path(env_str("HELP_SITE_DIR", str(BASE_DIR / "site")))
STATICFILES_DIRS = [BASE_DIR / "sandbox" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sandbox.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "sandbox.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_METADATA_CLASS": "sandbox.api.metadata.SchemaPointerMetadata",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Child protection case management training sandbox API",
    "DESCRIPTION": "A training instance holding synthetic data only.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc served from vendored files, so the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The GBVIMS vocabulary: one schema name per list, whichever field uses it.
    "ENUM_NAME_OVERRIDES": {
        "GbvTypeEnum": "sandbox.gbv.vocabulary.GbvType",
        "ServiceAreaEnum": "sandbox.gbv.vocabulary.ServiceArea",
        # Choice sets of the same field name in several apps: each gets its own name.
        "TracingRequestStatusEnum": "sandbox.tracing.models.RequestStatus",
        "TraceOutcomeEnum": "sandbox.tracing.models.TraceOutcome",
        "CareOutcomeEnum": "sandbox.tracing.models.CareOutcome",
    },
}

# Where configuration bundles and scenario files live.
SEED_DATA_DIR = BASE_DIR / "seed_data"
SCENARIOS_DIR = BASE_DIR / "scenarios"
#: Knowledge checks (quizzes), beside the scenarios but not scenarios themselves.
QUIZZES_DIR = BASE_DIR / "scenarios" / "quizzes"
DEFAULT_CONFIG_BUNDLE = env_str("DEFAULT_CONFIG_BUNDLE", "default")

# Usernames created by `manage.py demo`; production refuses to start while they exist.
DEMO_USERNAMES = ["admin", "trainer", "trainee1", "trainee2", "trainee3"]
# Their published passwords: an account that has one is a demo account whatever its name.
DEMO_PASSWORDS = ["sandbox-admin", "sandbox-trainer", "sandbox-trainee"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
# The sandbox's public address, for what is read away from a request (xAPI statement ids,
# addresses printed by commands). Pages and e-mails build links from the request instead.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# A learning record store (xAPI) that receives each submitted attempt's statements, sent
# from an outbox by `manage.py send_statements` (or "Send now" on an exercise's queue).
# Statements go to <LRS_URL>/statements; with no LRS_URL they wait in the outbox.
LRS_URL = env_str("LRS_URL", "")
LRS_USERNAME = env_str("LRS_USERNAME", "")
LRS_PASSWORD = env_str("LRS_PASSWORD", "")
LRS_TIMEOUT_SECONDS = env_int("LRS_TIMEOUT_SECONDS", 10)
LRS_BATCH_SIZE = env_int("LRS_BATCH_SIZE", 50)
# After a failed try (store unreachable or in error), wait this long, doubled at each
# further try, never more than the maximum.
LRS_RETRY_SECONDS = env_int("LRS_RETRY_SECONDS", 60)
LRS_RETRY_MAX_SECONDS = env_int("LRS_RETRY_MAX_SECONDS", 6 * 3600)
# A refused form (expired page, blocked cookies) gets the sandbox's own page.
CSRF_FAILURE_VIEW = "sandbox.web.errors.csrf_failure"

# Sign-in throttling (django-axes). A workshop's trainees often share one public
# address, so a lockout applies to one username from one address, not to the address.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_VERBOSE = False

# API tokens expire: a token older than this is refused and deleted (see
# sandbox.api.auth); a password change deletes the user's token at once.
API_TOKEN_LIFETIME = timedelta(hours=env_int("API_TOKEN_HOURS", 12))

# Long jobs (sandbox.jobs). With a broker, they run on Celery workers (`celery -A
# sandbox.celery worker`); without one (the embedded default), on a thread of the web
# process, so that nothing extra needs installing.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
JOBS_MODE = env_str("JOBS_MODE", "celery" if CELERY_BROKER_URL else "thread")
# A job is acknowledged once it has run, not when a worker takes it: a worker killed
# half-way gives the message back. One job at a time per worker process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# A running job silent this long was interrupted: queued again while it has tries left.
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 60)
JOBS_MAX_TRIES = env_int("JOBS_MAX_TRIES", 2)
# From this many trainees (or pairs), starting an exercise is a background job.
JOBS_START_THRESHOLD = env_int("JOBS_START_THRESHOLD", 30)
# From this many rows, importing trainees is a background job.
JOBS_IMPORT_THRESHOLD = env_int("JOBS_IMPORT_THRESHOLD", 50)

# Job progress and heartbeats go through the "jobs" cache, which every process running
# or showing jobs must share; the live board's rows through the "board" cache, likewise.
# The default cache's place (CACHE_URL, REDIS_URL, or the broker's Redis) when it is
# shared by every server (Redis or the database); otherwise files on this machine (the
# web processes of one server, e.g. several gunicorn workers), named after the database,
# so two sandboxes never mix theirs.
CACHE_URL = (env_str("CACHE_URL") or env_str("REDIS_URL")
             or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""))
CACHES = {"default": cache_from_url(CACHE_URL)}
if CACHES["default"]["BACKEND"].endswith(("RedisCache", "DatabaseCache")):
    CACHES["default"]["KEY_PREFIX"] = "sandbox"  # the jobs' keys start "jobs:" after it
    CACHES["jobs"] = dict(CACHES["default"])
    CACHES["board"] = dict(CACHES["default"])
else:
    import hashlib
    import tempfile

    _named = hashlib.sha256(str(DATABASES["default"]["NAME"]).encode()).hexdigest()[:12]
    CACHES["jobs"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("JOBS_CACHE_DIR", str(Path(tempfile.gettempdir()) / (
            "cp-sandbox-jobs-" + _named)))}
    # The live board's rows, read by whichever worker answers the next poll.
    CACHES["board"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(tempfile.gettempdir()) / ("cp-sandbox-board-" + _named)),
        "OPTIONS": {"MAX_ENTRIES": 5000}}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Sessions read from the shared Redis, written through to the database (which stays
    # the truth): one query less on every request. Never with a cache of one process,
    # which another process's sign-out would leave stale.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _inline_script_hashes() -> list[str]:
    import base64
    import hashlib
    import re

    found = []
    for template in [BASE_DIR / "sandbox/workshops/templates/workshops/includes/confirm_script.html"]:
        if template.exists():
            for body in re.findall(r"<script>(.*?)</script>", template.read_text(), re.S):
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                found.append(f"'sha256-{digest}'")
    # Inline event handlers, allowed one by one (with 'unsafe-hashes'): the language menu.
    for handler in ["this.form.submit()"]:
        digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
        found.append(f"'sha256-{digest}'")
    return ["'unsafe-hashes'", *found]


# Content-Security-Policy (django-csp): every script, style and font is served by the
# sandbox itself; nothing may frame it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The one inline script (forms that ask before an action that cannot be undone)
        # is allowed by its hash; no other inline script runs.
        "script-src": ["'self'", *_inline_script_hashes()],
        # htmx and a few progress bars set inline styles; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Redoc (the API's reference page) renders in a web worker it builds from a blob.
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
