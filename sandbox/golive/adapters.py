"""The two pieces a review calls that live in other layers: the Primero importer and
the go-live report of the scenario library. Kept here, in one place, so the review's
services read as the steps an implementer sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The scenario files the go-live report runs; None: the whole library.
LIBRARY: list[Path] | None = None


def import_primero(source: Path, out: Path) -> dict[str, Any]:
    """Import a Primero configuration (seed tree or JSON) into a bundle at `out`;
    returns the import report (also when nothing could be read, and then there is
    no bundle at `out`)."""
    from sandbox.configuration.importers.primero import ImportFailed
    from sandbox.configuration.importers.primero import import_primero as run

    try:
        result = run(source, out, report_dir=out.parent / "import-report")
    except ImportFailed as exc:
        return exc.report.as_dict()
    return result.report.as_dict()


def golive_report(folder: Path) -> dict[str, Any]:
    """The go-live report of the scenario library on the bundle in `folder` (loaded in a
    transaction that is rolled back: nothing stays)."""
    from sandbox.scoring.golive import golive_report as run

    return run(LIBRARY, directory=folder)
