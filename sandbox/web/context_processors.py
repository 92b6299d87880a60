"""Values every page needs: the languages for the switcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info


def sandbox(request: HttpRequest) -> dict[str, Any]:
    languages = [
        {"code": code, "name_local": get_language_info(code)["name_local"]}
        for code, _name in settings.LANGUAGES
    ]
    return {"sandbox_languages": languages}
