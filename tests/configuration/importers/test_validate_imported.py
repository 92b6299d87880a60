"""The bundle imported from the seed fixture is a valid bundle (format v2)."""

from __future__ import annotations

from sandbox.configuration.bundle.validate import validate_bundle
from sandbox.configuration.importers.primero import ImportResult


def test_the_imported_seed_bundle_validates(seed_import: ImportResult) -> None:
    parsed = validate_bundle(seed_import.bundle_dir)
    assert [str(p) for p in parsed.sorted_problems()] == []
