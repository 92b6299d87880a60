"""Text shown in another language than the page's carries its own lang and dir, so that
mixed-direction text never scrambles; a scenario's level is in the page's language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from sandbox.common.i18n import InLanguage, pick

BRIEF = {"en": "Amani (12) was found at the market.", "fr": "Amani (12 ans) a été trouvée au marché."}


def render(source: str, **context: object) -> str:
    return Template("{% load sandbox %}" + source).render(Context(context))


def test_pick_says_which_language_it_gave() -> None:
    with translation.override("ar"):
        shown = pick(BRIEF)
    assert (shown, shown.lang, shown.dir) == (BRIEF["en"], "en", "ltr")
    assert pick({"ar": "نص"}, "fr").dir == "rtl"
    assert pick(BRIEF, "fr").lang == "fr"
    assert pick({}) == "" and InLanguage("Grace").dir == "auto"


def test_english_in_an_arabic_page_is_isolated_with_its_language() -> None:
    with translation.override("ar"):
        shown = render("{{ brief|tr|marked }}", brief=BRIEF)
    assert shown == ('<span lang="en" dir="ltr" class="other-language">'
                     "Amani (12) was found at the market.</span>")


def test_text_in_the_pages_language_needs_no_markup() -> None:
    with translation.override("fr"):
        assert render("{{ brief|tr|marked }}", brief=BRIEF) == "Amani (12 ans) a été trouvée au marché."


def test_a_name_or_a_trainers_message_is_isolated_and_escaped() -> None:
    with translation.override("ar"):
        assert render("{{ name|marked }}", name="Grace <Mensah>") == "<bdi>Grace &lt;Mensah&gt;</bdi>"
        assert render("{{ text|tr|marked }}", text={"en": "a < b"}) == (
            '<span lang="en" dir="ltr" class="other-language">a &lt; b</span>')
        assert render("{{ missing|tr|marked }}", missing=None) == ""


def test_the_level_of_a_scenario_is_translated() -> None:
    with translation.override("ar"):
        assert render("{{ level|difficulty }}", level="beginner") == "مبتدئ"
    with translation.override("fr"):
        assert render("{{ level|difficulty }}", level="advanced") == "avancé"
    assert render("{{ level|difficulty }}", level="expert") == "expert"
