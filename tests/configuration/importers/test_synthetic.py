"""The generator of a large Primero source used by the go-live benchmark."""

from __future__ import annotations

import time
from pathlib import Path

from sandbox.configuration.importers.primero import import_primero
from sandbox.configuration.importers.primero.synthetic import write_synthetic_seed


def test_a_large_source_imports_in_well_under_the_budget(tmp_path: Path) -> None:
    write_synthetic_seed(tmp_path / "src", lookups=70, forms=35)
    started = time.perf_counter()
    result = import_primero(tmp_path / "src", tmp_path / "out" / "large")
    elapsed = time.perf_counter() - started
    summary = result.report.summary
    assert summary["lookups"] >= 60 and summary["form_sections"] >= 30
    assert summary["locations"] == 31 and summary["languages"] == 2
    assert [e for e in result.report.entries if e.group in ("unreadable", "approximated", "dropped")] == []
    assert elapsed < 5  # the benchmark's whole import + validate + go-live budget is 10 s
