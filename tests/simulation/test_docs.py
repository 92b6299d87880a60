"""The generated scenario documentation is fresh: the library page, the scenario JSON
Schema and the concept vocabulary (`python -m scripts.gen_scenario_docs` writes them)."""

from __future__ import annotations

import pytest
from django.conf import settings

from scripts.gen_scenario_docs import GENERATED


@pytest.mark.parametrize("path", sorted(GENERATED), ids=[p.name for p in sorted(GENERATED)])
def test_generated_documentation_is_fresh(path) -> None:  # type: ignore[no-untyped-def]
    on_disk = (settings.BASE_DIR / path).read_text(encoding="utf-8")
    assert on_disk == GENERATED[path](), f"{path} is stale: run python -m scripts.gen_scenario_docs"


def test_every_concept_is_in_the_vocabulary_page() -> None:
    from sandbox.configuration.vocabulary import VOCABULARY

    page = (settings.BASE_DIR / "docs" / "authoring" / "vocabulary.md").read_text(encoding="utf-8")
    for concepts in VOCABULARY.values():
        for concept in concepts:
            assert f"| `{concept}` |" in page, concept
