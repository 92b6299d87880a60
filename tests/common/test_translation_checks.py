"""The translation checks of `make test`: complete catalogues for every shipped language,
and the glossary's terms used by them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.common import check_messages, glossary

ROOT = Path(__file__).resolve().parents[2]

GLOSSARY = """\
terms:
  - id: flag
    en: flag (a marker on a case)
    fr: marqueur
    ar: علامة تنبيه
    avoid:
      fr: "signalement: a formal report to the authorities"
  - id: case
    en: case
    fr: cas
    ar: حالة
    forms:
      ar: [حالات]
  - id: case_plan
    en: case plan
    fr: plan de prise en charge
  - id: trainee
    en: trainee
    fr: participant·e
exceptions:
  - {language: fr, term: case, msgid: "Case in point", reason: "an idiom"}
"""


def _catalogue(root: Path, language: str, entries: dict[str, str], header: str = "") -> Path:
    folder = root / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    lines = [header, 'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, msgstr in entries.items():
        lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    path = folder / "django.po"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_every_shipped_language_needs_a_catalogue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _catalogue(tmp_path, "fr", {"Case": "Cas"})
    assert check_messages.main(["x", str(tmp_path), "fr", "km"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path}/km/LC_MESSAGES/django.po:1: [km] no catalogue for a shipped language" in err
    assert "[fr]" not in err


def test_a_gap_names_file_line_and_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _catalogue(tmp_path, "sw", {"Case": "Kesi", "Flag": ""})
    assert check_messages.main(["x", str(tmp_path), "sw"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{path}:9: [sw] untranslated 'Flag'"


def test_complete_catalogues_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _catalogue(tmp_path, "fr", {"Case": "Cas"})
    _catalogue(tmp_path, "ar", {"Case": "حالة"})
    assert check_messages.main(["x", str(tmp_path), "fr", "ar"]) == 0
    assert capsys.readouterr().out.strip() == "Translations complete: ar, fr"


def _problems(tmp_path: Path, language: str, entries: dict[str, str]) -> list[str]:
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    path = _catalogue(tmp_path, language, entries)
    found = glossary.problems_in(path, glossary.load(tmp_path / "glossary.yaml"), language)
    return [problem.split(": ", 1)[1] for problem in found]


def test_an_avoided_word_is_reported(tmp_path: Path) -> None:
    assert _problems(tmp_path, "fr", {"Remove the flag": "Retirer le signalement"}) == [
        "'Remove the flag' uses 'signalement', which the glossary avoids for 'flag' (use 'marqueur')"]


def test_a_missing_term_is_reported(tmp_path: Path) -> None:
    assert _problems(tmp_path, "fr", {"Open cases": "Dossiers ouverts"}) == [
        "'Open cases' does not use the glossary's term for 'case': 'cas'"]


def test_forms_stems_longer_terms_codes_and_exceptions_are_accepted(tmp_path: Path) -> None:
    assert _problems(tmp_path, "fr", {
        "Flags": "Marqueurs",  # a plural contains the term
        "Write the case plan": "Rédiger le plan de prise en charge",  # "case plan" hides "case"
        "Trainees": "Participantes et participants",  # the stem of an inclusive form
        "Approved: %(case)s.": "Approuvé : %(case)s.",  # a placeholder is not a word
        "Case in point": "Exemple typique",  # an exception
    }) == []
    # Arabic short vowels are optional, and listed forms (plurals) count.
    assert _problems(tmp_path, "ar", {"Cases": "الحالات", "Flag": "علامةُ تنبيه"}) == []


def test_the_shipped_catalogues_follow_the_glossary() -> None:
    terms = glossary.load(ROOT / "locale" / "glossary.yaml")
    found = [problem for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
             if po_path.parts[-3] != "en"
             for problem in glossary.problems_in(po_path, terms, po_path.parts[-3])]
    assert found == []


def test_the_glossary_page_is_generated_from_the_glossary() -> None:
    page = glossary.markdown(glossary.load(ROOT / "locale" / "glossary.yaml"))
    assert (ROOT / "docs" / "developers" / "glossary.md").read_text(encoding="utf-8") == page
    french = glossary.markdown(glossary.load(ROOT / "locale" / "glossary.yaml"), "fr")
    assert (ROOT / "docs" / "developers" / "glossary.fr.md").read_text(encoding="utf-8") == french
    assert "Français, *marqueur*: pas “signalement”" in french
    assert "| flag (a marker on a case) | marqueur | علامة تنبيه | marca | alama | សញ្ញាសម្គាល់ |" in page
    assert "not “signalement”" in page
