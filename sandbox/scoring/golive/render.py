"""The go-live report as a standalone HTML page (one file, no external assets)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_html(report: dict[str, Any], language: str | None = None) -> str:
    """The page, in `language` (default: the active one), right-to-left when it is."""
    with translation.override(language or translation.get_language() or "en"):
        return render_to_string("scoring/golive_report.html", {
            "report": report, "lang": translation.get_language(),
            "dir": "rtl" if translation.get_language_bidi() else "ltr"})
