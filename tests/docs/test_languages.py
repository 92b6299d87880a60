"""The docs are in English and French: every English page has its French page, and the
site builds with no broken link (mkdocs' strict mode)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

DOCS = settings.BASE_DIR / "docs"

#: Pages another part of the project writes, whose French pages come with their next change;
#: until then the French site shows them in English.
NOT_YET_IN_FRENCH: set[str] = set()


def english_pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
                  if len(p.suffixes) == 1)


def test_every_english_page_has_a_french_page() -> None:
    missing = [page for page in english_pages()
               if page not in NOT_YET_IN_FRENCH and not (DOCS / page).with_suffix(".fr.md").is_file()]
    assert not missing, f"no French page for: {', '.join(missing)}"


def test_the_exceptions_are_still_needed() -> None:
    for page in NOT_YET_IN_FRENCH:
        assert (DOCS / page).is_file(), f"{page} is gone: remove it from NOT_YET_IN_FRENCH"
        assert not (DOCS / page).with_suffix(".fr.md").is_file(), (
            f"{page} has its French page now: remove it from NOT_YET_IN_FRENCH")


def test_french_pages_have_their_english_page() -> None:
    for page in DOCS.rglob("*.fr.md"):
        english = page.with_name(page.name.removesuffix(".fr.md") + ".md")
        assert english.is_file(), f"{page.relative_to(DOCS)} has no English page"


def test_strict_build_has_no_broken_link(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(tmp_path)],
        cwd=settings.BASE_DIR, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1",
                                                                    "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fr" / "trainers" / "programme" / "index.html").is_file()
    french = (tmp_path / "fr" / "trainees" / "sop-steps" / "index.html").read_text(encoding="utf-8")
    assert "Enregistrer un enfant" in french and 'hreflang="en"' in french


#: The trainee guide and the facilitator's quick guide, in every language of the interface.
EVERY_LANGUAGE = ["index.md", "case-system.md", "trainees/index.md", "trainees/sop-steps.md",
                  "trainees/scoring.md", "trainers/quick-guide.md"]


def test_the_trainee_guide_and_quick_guide_are_in_every_language() -> None:
    from django.conf import settings

    for page in EVERY_LANGUAGE:
        english = (DOCS / page).read_text(encoding="utf-8")
        for code, _name in settings.LANGUAGES:
            if code == "en":
                continue
            twin = (DOCS / page).with_suffix(f".{code}.md")
            assert twin.is_file(), f"docs/{page} has no {code} page"
            text = twin.read_text(encoding="utf-8")
            # Same structure: as many headings and links as the English page.
            assert text.count("\n#") == english.count("\n#"), f"{twin}: headings differ"
            assert text.count("](") == english.count("]("), f"{twin}: links or images differ"
