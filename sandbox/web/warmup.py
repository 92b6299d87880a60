"""Ready a web process before its first request.

Without this, a worker's first requests import the views, read the translation
catalogues and compile the templates they draw, and the person who sends one (a
trainer's first look at the live board at 9:00, after a deployment or a worker's
restart) waits for it. gunicorn imports `sandbox.wsgi` in each worker (or once, with
`--preload`), which calls `warm()`.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import Engine
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver
from django.utils import formats, translation
from django.utils.module_loading import import_string


def warm() -> float:
    """Import every view and context processor, make every URL reversible in every
    language, load every language's catalogue and its dates' and numbers' forms, compile
    the sandbox's own templates; returns the seconds it took."""
    started = time.perf_counter()
    from django.utils import timezone

    from sandbox.common import i18n

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every URLconf and view)
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for code, _name in settings.LANGUAGES:  # the catalogue, and the CLDR's data (Babel)
            translation.activate(code)
            translation.gettext("Live board")
            _reversible(resolver)
            formats.get_format("DATE_FORMAT")  # Django's own formats of the language
            i18n.format_datetime(now, "medium"), i18n.format_time(now)
            i18n.format_date(now.date(), "medium"), i18n.format_percent(50.0), i18n.format_number(1)
    Engine.get_default().template_context_processors  # noqa: B018 (imports them)
    import_string(settings.MESSAGE_STORAGE)
    for config in apps.get_app_configs():
        if not config.name.startswith("sandbox."):
            continue
        root = Path(config.path) / "templates"
        for path in sorted(root.rglob("*.html")):
            get_template(path.relative_to(root).as_posix())  # a broken template stops the start
    return time.perf_counter() - started


def _reversible(resolver: URLResolver) -> None:
    """Build the tables `reverse()` reads, for the active language, in this resolver and
    every one included in it (Django builds them at the first `reverse()` of each
    language and namespace: about 120 ms for the sandbox's URLs)."""
    resolver.reverse_dict  # noqa: B018
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            _reversible(pattern)
