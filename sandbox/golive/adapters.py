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
    """The go-live report of the scenario library on the bundle in `folder`."""
    from sandbox.scoring.management.commands.check_scenarios import Command
    from sandbox.simulation.management.commands.validate_scenarios import scenario_paths

    results = Command()._against(folder, LIBRARY if LIBRARY is not None else scenario_paths([]))
    return {"ok": all(r["ok"] for r in results), "scenarios": results}
