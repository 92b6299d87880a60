"""The guide shows only screenshots the browser test takes (make screenshots), in every
language it is written in, and each language's page shows that language's screenshot."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from e2e.shots import SHOTS

DOCS = Path(settings.BASE_DIR) / "docs"
SHOTS_DIR = DOCS / "assets" / "screenshots"
LANGUAGES = [code for code, _ in settings.LANGUAGES]
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]*assets/screenshots/([a-z]+)/([\w-]+)\.png)\)")


def page_language(page: Path) -> str:
    parts = page.name.split(".")
    return parts[-2] if len(parts) == 3 else "en"


def test_every_screenshot_is_taken_by_the_browser_test_in_every_language() -> None:
    for language in LANGUAGES:
        taken = {p.stem for p in (SHOTS_DIR / language).glob("*.png")}
        assert taken == set(SHOTS), (f"docs/assets/screenshots/{language}: run `make screenshots` "
                                     f"(missing {sorted(set(SHOTS) - taken)}, "
                                     f"unknown {sorted(taken - set(SHOTS))})")
    folders = {p.name for p in SHOTS_DIR.iterdir() if p.is_dir()}
    assert folders == set(LANGUAGES)


def test_pages_show_screenshots_in_their_own_language() -> None:
    shown = 0
    for page in DOCS.rglob("*.md"):
        for link, language, name in IMAGE.findall(page.read_text(encoding="utf-8")):
            shown += 1
            assert name in SHOTS, f"{page}: {link} is not a screenshot the browser test takes"
            assert language == page_language(page), f"{page}: shows the {language} screenshot"
            assert (page.parent / link).resolve().is_file(), f"{page}: {link} does not exist"
    assert shown >= len(SHOTS), "the guide shows the screenshots"
