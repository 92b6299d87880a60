"""Fixtures of the importer tests: the Primero sources written for them, imported once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.configuration.importers.primero import ImportResult, import_primero

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "primero"
SEED = FIXTURES / "seed"
SEED_CONFIG = SEED / "db" / "configuration"
EXPORT = FIXTURES / "configuration.json"


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """The 1-based line of the first `needle` in `path` (after the line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start) if needle in line) + 1


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    out = tmp_path_factory.mktemp("seed") / "valdoria"
    return import_primero(SEED, out)


@pytest.fixture(scope="module")
def export_import(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    out = tmp_path_factory.mktemp("export") / "kestria"
    return import_primero(EXPORT, out)
