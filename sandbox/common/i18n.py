"""Translated text carried by configuration and scenario files: `{locale: text}` maps."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TranslatedText = Mapping[str, str]

#: A scenario's level (scenario files write the English code).
DIFFICULTIES = {"beginner": _("beginner"), "intermediate": _("intermediate"), "advanced": _("advanced")}


class InLanguage(str):
    """A text that knows the language it is really in ("" when nobody knows: a name, a
    trainer's message), so that a page showing it among text of another language can
    mark it up with its own `lang` and `dir` and mixed directions never scramble."""

    lang: str

    def __new__(cls, text: str, lang: str = "") -> InLanguage:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    @property
    def dir(self) -> str:
        """"rtl", "ltr", or "auto" when the language is not known."""
        if not self.lang:
            return "auto"
        return "rtl" if is_bidi(self.lang) else "ltr"


def pick(text: TranslatedText | None, language: str | None = None, fallback: str = "en") -> InLanguage:
    """The text in `language` (default: the active one), else the fallback, else any;
    it carries the language it is in."""
    if not text:
        return InLanguage("")
    language = (language or translation.get_language() or fallback).split("-")[0]
    for lang in (language, fallback):
        if text.get(lang):
            return InLanguage(text[lang], lang)
    lang, value = next(((lang, value) for lang, value in text.items() if value), ("", ""))
    return InLanguage(value, lang)


def is_bidi(language: str) -> bool:
    from django.conf import settings

    return language.split("-")[0] in settings.LANGUAGES_BIDI


# -- dates, times and numbers, per locale (CLDR data through Babel) -----------------------

#: The widths a page asks for, as CLDR names them: "short" (2/3/26), "medium" (2 Mar 2026),
#: "long" (2 March 2026), "full" (Monday, 2 March 2026).
FORMAT_WIDTHS = ("short", "medium", "long", "full")


#: Where the language alone would pick a locale the field does not use: English in
#: humanitarian case management writes dates day first (2 Mar 2026), as in Britain.
CLDR_LOCALES = {"en": "en_GB"}


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of a language code ("pt-br" -> "pt_BR"); the active one by default."""
    locale = translation.to_locale(language or translation.get_language() or "en")
    return CLDR_LOCALES.get(locale, locale)


def format_date(value: object, width: str = "medium", language: str | None = None) -> str:
    """A date (or the date of a datetime) as the locale writes it."""
    from babel.dates import format_date as babel_format_date

    if value is None or value == "":
        return ""
    return babel_format_date(value, format=width, locale=babel_locale(language))  # type: ignore[arg-type]


def format_datetime(value: object, width: str = "medium", language: str | None = None) -> str:
    """A date with its time (hours and minutes) as the locale writes it, in the current
    time zone. `width` applies to the date; the time never shows seconds."""
    import datetime as dt

    from babel.dates import format_date as babel_format_date
    from babel.dates import format_time as babel_format_time
    from django.utils import timezone

    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = babel_locale(language)
    day = babel_format_date(value, format=width, locale=locale)  # type: ignore[arg-type]
    return f"{day} {babel_format_time(value, format='short', locale=locale)}"  # type: ignore[arg-type]


def format_time(value: object, language: str | None = None) -> str:
    """Hours and minutes as the locale writes them."""
    import datetime as dt

    from babel.dates import format_time as babel_format_time
    from django.utils import timezone

    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return babel_format_time(value, format="short", locale=babel_locale(language))  # type: ignore[arg-type]


def format_number(value: object, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    if value is None or value == "":
        return ""
    return format_decimal(value, locale=babel_locale(language))  # type: ignore[arg-type]


def format_percent(value: object, language: str | None = None) -> str:
    """A percentage given out of 100 (66.7 -> "67%", "67 %" in French, "67‎%" in Arabic),
    rounded to a whole number as the pages show scores."""
    from babel.numbers import format_percent as babel_format_percent

    if value is None or value == "":
        return ""
    return babel_format_percent(float(value) / 100, locale=babel_locale(language))  # type: ignore[arg-type]
