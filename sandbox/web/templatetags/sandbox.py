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


# Dates, times and numbers as the active language writes them (CLDR, through Babel);
# pages use these rather than Django's `date` filter with a hand-made format.


@register.filter
def local_date(value: Any, width: str = "medium") -> str:
    from sandbox.common.i18n import format_date

    return format_date(value, width)


@register.filter
def local_datetime(value: Any, width: str = "medium") -> str:
    from sandbox.common.i18n import format_datetime

    return format_datetime(value, width)


@register.filter
def local_time(value: Any) -> str:
    from sandbox.common.i18n import format_time

    return format_time(value)


@register.filter
def local_number(value: Any) -> str:
    from sandbox.common.i18n import format_number

    return format_number(value)


@register.filter
def local_percent(value: Any) -> str:
    """A score out of 100 with the locale's percent sign and spacing."""
    from sandbox.common.i18n import format_percent

    return format_percent(value)
