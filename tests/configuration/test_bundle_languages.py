"""The shipped bundles' translations: every text of the default bundle in its six
languages and every Kenya text in English and Swahili, place names included, and the
case-management terms of the glossary used for the same English term everywhere."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE

SIX = ["en", "fr", "ar", "es", "sw", "km"]

# English term -> the words each language must use for it (from the glossary).
# Only terms whose English wording is unambiguous in the bundle texts are checked.
TERMS = {
    r"\bconsent\b": {"es": "consentimiento", "sw": "ridhaa", "km": "យល់ព្រម"},
    r"\bcase plan\b": {"es": "plan de caso", "sw": "mpango wa kesi", "km": "ផែនការករណី"},
    r"\bsupervisor\b": {"es": "supervisor", "sw": "msimamizi", "km": "អ្នកត្រួតពិនិត្យ"},
    r"\bcase worker\b": {"es": "gestor", "sw": "mhudumu wa kesi", "km": "បុគ្គលិកគ្រប់គ្រងករណី"},
    r"\bcaregiver\b": {"es": "cuidador", "sw": "mlezi", "km": "អ្នកថែទាំ"},
    r"\bfamily tracing\b": {"es": "búsqueda", "sw": "kutafuta familia", "km": "ស្វែងរកគ្រួសារ"},
    r"\brisk level\b": {"es": "nivel de riesgo", "sw": "kiwango cha hatari", "km": "កម្រិតហានិភ័យ"},
}


def bundle_files(directory: Path) -> list[Path]:
    files = sorted(directory.glob("*.yaml")) + sorted((directory / "forms").glob("*.yaml"))
    return [path for path in files if path.name not in {"mapping.yaml", "policy.yaml"}]


def texts(node: object) -> Iterator[dict[str, str]]:
    """Every translated text (a map with an English entry) anywhere in a YAML tree."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            yield node
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)


def all_texts(directory: Path) -> list[tuple[str, dict[str, str]]]:
    found = []
    for path in bundle_files(directory):
        for text in texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            found.append((path.name, text))
    return found


@pytest.mark.parametrize(("directory", "languages"), [(DEFAULT_BUNDLE, SIX), (KENYA_BUNDLE, ["en", "sw"])],
                         ids=["default", "kenya"])
def test_every_text_has_every_declared_language(directory: Path, languages: list[str]) -> None:
    declared = yaml.safe_load((directory / "bundle.yaml").read_text(encoding="utf-8"))["languages"]
    assert declared == languages
    found = all_texts(directory)
    assert len(found) > 100
    gaps = [(name, text["en"]) for name, text in found
            if sorted(text) != sorted(languages) or not all(str(text[lang]).strip() for lang in languages)]
    assert gaps == []


@pytest.mark.parametrize(("directory", "languages"), [(DEFAULT_BUNDLE, SIX), (KENYA_BUNDLE, ["en", "sw"])],
                         ids=["default", "kenya"])
def test_every_place_has_a_name_in_every_language(directory: Path, languages: list[str]) -> None:
    with (directory / "locations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert all(row[f"name_{lang}"].strip() for lang in languages), row["code"]


def test_khmer_place_names_are_written_in_khmer_script() -> None:
    with (DEFAULT_BUNDLE / "locations.csv").open(encoding="utf-8", newline="") as handle:
        names = [row["name_km"] for row in csv.DictReader(handle)]
    assert all(re.fullmatch(r"[\u1780-\u17FF\u19E0-\u19FF ]+", name) for name in names)


def test_translated_texts_are_not_left_in_english() -> None:
    # Short labels that are the same word in both languages (e.g. "No", "Visual") are allowed.
    same = [(lang, text["en"]) for _, text in all_texts(DEFAULT_BUNDLE) for lang in ("es", "sw", "km")
            if text[lang] == text["en"] and len(text["en"]) > 12]
    assert same == []


@pytest.mark.parametrize("directory", [DEFAULT_BUNDLE, KENYA_BUNDLE], ids=["default", "kenya"])
def test_glossary_terms_are_used_consistently(directory: Path) -> None:
    declared = yaml.safe_load((directory / "bundle.yaml").read_text(encoding="utf-8"))["languages"]
    misses = []
    for name, text in all_texts(directory):
        for pattern, words in TERMS.items():
            if not re.search(pattern, text["en"], re.IGNORECASE):
                continue
            for lang, word in words.items():
                if lang in declared and word.lower() not in text[lang].lower():
                    misses.append((name, lang, text["en"]))
    assert misses == []
