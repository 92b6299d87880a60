"""The concept vocabulary pages, English and French, are what the generator writes from
the concepts today, and every concept has its French meaning."""

from __future__ import annotations

from django.conf import settings

from sandbox.configuration.vocabulary.concepts import FIELD_OPTIONS, VOCABULARY
from scripts.gen_scenario_docs import vocabulary_page
from scripts.vocabulary_fr import MEANINGS_FR, OPTION_MEANINGS_FR

HINT = "run python -m scripts.gen_scenario_docs"
PAGES = {"en": "vocabulary.md", "fr": "vocabulary.fr.md"}


def test_vocabulary_pages_match_the_concepts() -> None:
    for lang, name in PAGES.items():
        page = settings.BASE_DIR / "docs" / "authoring" / name
        assert page.read_text(encoding="utf-8") == vocabulary_page(lang), f"{name} is out of date: {HINT}"


def test_every_concept_has_its_french_meaning() -> None:
    missing = [f"{kind}.{concept}" for kind, concepts in VOCABULARY.items()
               for concept in concepts if concept not in MEANINGS_FR.get(kind, {})]
    missing += [f"options.{field}.{option}" for field, options in FIELD_OPTIONS.items()
                for option in options if option not in OPTION_MEANINGS_FR.get(field, {})]
    assert not missing, f"no French meaning in scripts/vocabulary_fr.py for: {', '.join(missing)}"


def test_no_french_meaning_for_a_concept_that_is_gone() -> None:
    extra = [f"{kind}.{concept}" for kind, concepts in MEANINGS_FR.items()
             for concept in concepts if concept not in VOCABULARY.get(kind, {})]
    assert not extra, f"scripts/vocabulary_fr.py has meanings of unknown concepts: {', '.join(extra)}"


def test_a_concept_without_its_french_meaning_shows_the_english_one(monkeypatch) -> None:
    monkeypatch.setitem(VOCABULARY, "urgency", {**VOCABULARY["urgency"], "later": "Some day."})
    french = vocabulary_page("fr")
    assert "| `later` | Some day. |" in french
    assert "| `immediate` | Aujourd'hui. |" in french
