"""The Help link of every page: the guide's page for what the user is looking at."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from sandbox.help.pages import help_path, page_for


def help_link(request: HttpRequest) -> dict[str, Any]:
    path = help_path(page_for(request), get_language() or "en")
    return {"help_url": reverse("help:page", kwargs={"path": path})}
