"""Template filters: translated configuration and scenario text (`tr`, `marked`), and
dates, times and numbers as the page's language writes them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html

from sandbox.common.i18n import InLanguage, pick

register = template.Library()


@register.filter
def tr(value: Any) -> InLanguage:
    """A `{language: text}` map in the active language, else in the language shown
    instead; the result's `.lang` and `.dir` say which (mark it up with `marked`)."""
    if isinstance(value, dict):
        return pick(value)
    return InLanguage("" if value is None else str(value))


@register.filter
def marked(value: Any) -> str:
    """Text that may not be in the page's language, isolated so that its direction does not
    scramble the sentence around it: `<span lang dir>` when its language is known and is
    not the page's, `<bdi>` when it is unknown (a name, a trainer's message)."""
    if value is None or value == "":
        return ""
    lang = getattr(value, "lang", "")
    if not lang:
        return format_html("<bdi>{}</bdi>", value)
    if lang == (translation.get_language() or "en").split("-")[0]:
        return conditional_escape(value)
    return format_html('<span lang="{}" dir="{}" class="other-language">{}</span>', lang, value.dir, value)


@register.filter
def difficulty(value: Any) -> str:
    """A scenario's level in the page's language."""
    from sandbox.common.i18n import DIFFICULTIES

    return str(DIFFICULTIES.get(str(value), value))


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
