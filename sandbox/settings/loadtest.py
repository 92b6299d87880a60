"""Settings for `make bench-load`: the production settings, served over plain HTTP on loopback.

Everything of production stays (DEBUG off, a SECRET_KEY from the environment, the
refusal of demo accounts, hashed static files, the password hashers) except what needs
HTTPS: the load test talks to gunicorn directly on 127.0.0.1, with no proxy in front.
Never use these settings for a sandbox that people reach over a network.
"""

from .base import env_str
from .production import *  # noqa: F403
from .production import STATIC_ROOT

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# The driver collects the static files into its own temporary directory.
STATIC_ROOT = env_str("LOADTEST_STATIC_ROOT") or STATIC_ROOT
