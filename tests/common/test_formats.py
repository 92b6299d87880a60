"""Dates, times and numbers come from CLDR (Babel) in the language asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from sandbox.common.i18n import format_date, format_datetime, format_number, format_time

MONDAY = dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "2 Mar 2026"), ("fr", "2 mars 2026"), ("es", "2 mar 2026"), ("sw", "2 Mac 2026"),
])
def test_medium_dates_day_first(language: str, expected: str) -> None:
    assert format_date(MONDAY, language=language) == expected


def test_full_dates_and_times() -> None:
    assert format_date(MONDAY.date(), "full", "fr") == "lundi 2 mars 2026"
    assert format_date(MONDAY.date(), "full", "ar") == "الاثنين، 2 مارس 2026"
    assert format_time(MONDAY, "fr") == "08:05"
    assert format_datetime(MONDAY, "short", "en") == "02/03/2026 08:05"
    assert format_number(12345.5, "fr") == "12\u202f345,5"
    assert format_date(None) == "" and format_datetime("") == ""


def test_template_filters_follow_the_active_language() -> None:
    page = Template("{% load sandbox %}{{ when|local_date }} · {{ when|local_datetime:'long' }}")
    with translation.override("fr"):
        assert page.render(Context({"when": MONDAY})) == "2 mars 2026 · 2 mars 2026 08:05"
    with translation.override("en"):
        assert page.render(Context({"when": MONDAY})) == "2 Mar 2026 · 2 March 2026 08:05"
