"""Settings for a trainer's or developer's own machine: `make run`."""

from .base import *  # noqa: F403
from .base import env_bool

# Off unless asked for (DEBUG=1): a trainee who follows a wrong link during a workshop
# sees the sandbox's own page, not Django's list of every URL. Static files are served
# by WhiteNoise either way.
DEBUG = env_bool("DEBUG", False)

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
