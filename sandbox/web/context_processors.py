"""Values every page needs: the languages for the switcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info


def sandbox(request: HttpRequest) -> dict[str, Any]:
    # Each language under its own name (settings.LANGUAGES), in its own script direction.
    languages = [
        {"code": code, "name_local": name, "bidi": get_language_info(code)["bidi"]}
        for code, name in settings.LANGUAGES
    ]
    return {"sandbox_languages": languages}
