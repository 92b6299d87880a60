"""Translated text carried by configuration and scenario files: `{locale: text}` maps."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation

TranslatedText = Mapping[str, str]


def pick(text: TranslatedText | None, language: str | None = None, fallback: str = "en") -> str:
    """The text in `language` (default: the active one), else the fallback, else any."""
    if not text:
        return ""
    language = (language or translation.get_language() or fallback).split("-")[0]
    if text.get(language):
        return text[language]
    if text.get(fallback):
        return text[fallback]
    return next((value for value in text.values() if value), "")
