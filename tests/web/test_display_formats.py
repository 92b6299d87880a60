"""Every date, time and number a page shows comes from the locale-aware formatters
(`local_date`, `local_datetime`, `local_time`, `local_number`, `local_percent`, or
sandbox.common.i18n in Python), never from a format written by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from sandbox.common.i18n import format_date, format_datetime, format_percent

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "sandbox").rglob("templates/**/*.html"))

#: `|date:` and `|time:` with any format but "c" (ISO 8601, for `datetime` attributes).
HAND_MADE_DATE = re.compile(r"""\|(date|time)(:\s*(?!["']c["'])["'][^"']*["'])?(?=[\s|}%])""")
#: Django's number filter formats with Django's own rules, not CLDR.
HAND_MADE_NUMBER = re.compile(r"\|floatformat\b")
#: strftime/strptime formats that are not ISO 8601 (%Y-%m-%dT%H:%M and its parts).
DISPLAY_STRFTIME = re.compile(r"""strftime\(\s*["']([^"']*)["']""")
ISO = re.compile(r"^[%YmdHMS\-:T ]*$")
#: Django's formatters take Django's per-language formats or a format written by hand.
DJANGO_FORMATTERS = re.compile(r"\b(date_format|time_format|number_format)\(")


def hand_made(text: str) -> list[str]:
    found = [m.group(0) for m in HAND_MADE_DATE.finditer(text)]
    found += [m.group(0) for m in HAND_MADE_NUMBER.finditer(text)]
    return found


def test_the_scan_finds_hand_made_formats() -> None:
    assert hand_made('{{ a|date:"j M Y" }} {{ b|date }} {{ c|time:"H:i" }} {{ d|floatformat:0 }}') == [
        '|date:"j M Y"', "|date", '|time:"H:i"', "|floatformat"]
    assert hand_made("""<time datetime="{{ a|date:'c' }}">{{ a|local_datetime }}</time>""") == []
    assert not ISO.match("%d %b %Y") and ISO.match("%Y-%m-%dT%H:%M")


def test_no_template_writes_a_date_time_or_number_format_by_hand() -> None:
    assert len(TEMPLATES) > 30
    found = []
    for path in TEMPLATES:
        shown = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        for match in hand_made(text):
            line = text[:text.index(match)].count("\n") + 1
            found.append(f"{shown}:{line}: {match}")
    assert found == []


def test_python_formats_dates_for_display_only_through_the_helpers() -> None:
    found = []
    for path in sorted((ROOT / "sandbox").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in DISPLAY_STRFTIME.finditer(text):
            if not ISO.match(match.group(1)):
                found.append(f"{path.relative_to(ROOT)}: strftime({match.group(1)!r})")
        found += [f"{path.relative_to(ROOT)}: {m.group(1)}()" for m in DJANGO_FORMATTERS.finditer(text)]
    assert found == []


WHEN = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "es", "sw", "km"])
def test_the_filters_give_what_the_formatters_give(language: str) -> None:
    template = Template("{% load sandbox %}{{ when|local_date }}|{{ when|local_datetime:'full' }}|"
                        "{{ score|local_percent }}")
    with translation.override(language):
        shown = template.render(Context({"when": WHEN, "score": 66.7}))
    assert shown == "|".join([format_date(WHEN, language=language),
                              format_datetime(WHEN, "full", language), format_percent(66.7, language)])


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1 Dec 2026"), ("fr", "1 déc. 2026"), ("es", "1 dic 2026"), ("ar", "1\u200f/12\u200f/2026"),
])
def test_no_capitalised_or_us_order_dates(language: str, expected: str) -> None:
    # Day first in English; French and Spanish abbreviations in lower case.
    width = "short" if language == "ar" else "medium"
    assert format_date(WHEN, width, language) == expected
