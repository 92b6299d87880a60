"""Validate a configuration bundle: every problem, each with its file and line.

`validate_bundle(directory)` never stops at the first problem. It reads every
file whatever happened to the others, checks each item's structure on its own
(one broken lookup does not hide the problems of the next, and the parts of an
item that are fine are still checked), then checks references, fields and skip
logic, the policy and what the configuration lets people do. Items that failed
their structure check are remembered by id, so that references to them are not
reported a second time as "unknown".

Each problem is an error (the bundle is not loaded) or a warning (reported only);
`ParsedBundle.valid` means no error. The checks live in `checks/`, one module per
concern.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.common.sourcefiles import Problem

from .checks import run_checks
from .checks.references import CORE_FIELD_TYPES
from .parsed import Item, LocationRow, ParsedBundle

__all__ = ["CORE_FIELD_TYPES", "Item", "LocationRow", "ParsedBundle", "validate_bundle"]


def validate_bundle(directory: Path) -> ParsedBundle:
    """Parse and check every file of the bundle in `directory`."""
    parsed = ParsedBundle(directory=directory)
    if not directory.is_dir():
        parsed.problems.append(Problem(str(directory), 1, "not a directory", code="not-a-directory"))
        return parsed
    run_checks(parsed)
    return parsed
