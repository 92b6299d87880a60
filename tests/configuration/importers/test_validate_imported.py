"""The bundles imported from the fixtures are valid bundles (format v2): nothing blocks
loading, and the warnings are the true ones."""

from __future__ import annotations

from sandbox.configuration.bundle.validate import validate_bundle
from sandbox.configuration.importers.primero import ImportResult


def test_the_imported_seed_bundle_validates(seed_import: ImportResult) -> None:
    parsed = validate_bundle(seed_import.bundle_dir)
    assert [str(p) for p in parsed.errors()] == []
    # Primero's location types name the admin levels; no field uses them as a list.
    assert [p.message for p in parsed.warnings()] == [
        "lookup 'lookup-location-type' is not used by any field or system lookup"]


def test_the_imported_export_bundle_is_refused_only_because_nobody_may_reopen(
        export_import: ImportResult) -> None:
    # The export's roles give nobody the right to reopen a case: a true finding for the
    # implementer, and the only thing that blocks loading.
    parsed = validate_bundle(export_import.bundle_dir)
    assert [(p.path.rsplit("/", 1)[-1], p.message) for p in parsed.errors()] == [
        ("roles.yaml", "no role may take the SOP step 'case.reopen' (reopen a closed case): "
                       "add it to the permissions of the role that does this")]
