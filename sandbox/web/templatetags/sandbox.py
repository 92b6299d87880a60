"""Template filters for translated configuration text."""

from __future__ import annotations

from typing import Any

from django import template

from sandbox.common.i18n import pick

register = template.Library()


@register.filter
def tr(value: Any) -> str:
    """A `{language: text}` map in the active language."""
    if isinstance(value, dict):
        return pick(value)
    return "" if value is None else str(value)
