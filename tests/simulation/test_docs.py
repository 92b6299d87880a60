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


def test_the_authoring_guide_documents_every_operator_rule_kind_and_column_value() -> None:
    from sandbox.simulation.scenario.details import OPERATORS
    from sandbox.simulation.scenario.load import COLUMN_VALUES

    page = (settings.BASE_DIR / "docs" / "authoring" / "scenarios.md").read_text(encoding="utf-8")
    for operator in OPERATORS:
        assert f"| `{operator}` |" in page, operator
    for kind in ("happened", "before", "within", "final", "never", "count", "record"):
        assert f"| `{kind}` |" in page and f"rule: {kind}" in page, kind
    from sandbox.simulation.scenario.rules import RECORD_FIELDS, RECORD_STATUSES

    for record, statuses in RECORD_STATUSES.items():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{record}` |"))
        for value in (*statuses, *RECORD_FIELDS[record]):
            assert f"`{value}`" in row, (record, value)
    for column, values in COLUMN_VALUES.items():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{column}` |"))
        for value in values:
            assert f"`{str(value).lower()}`" in row, (column, value)


def test_the_action_reference_lists_every_detail_a_rule_may_test() -> None:
    from sandbox.simulation.scenario.details import EVENT_DETAILS

    page = (settings.BASE_DIR / "docs" / "reference" / "actions.md").read_text(encoding="utf-8")
    for action, keys in EVENT_DETAILS.items():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{action}` |"))
        for key in keys:
            assert f"`{key}`" in row, (action, key)
