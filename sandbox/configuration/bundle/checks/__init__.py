"""The checks of a configuration bundle, one module per concern.

- `structure`: reading every file and checking each item's shape on its own;
- `locations`: locations.csv;
- `references`: ids that name other items (lookups, modules, agencies, roles);
- `fields`: form sections, fields, defaults and skip logic;
- `policy`: deadlines and consent;
- `consent_access`: consent per provider and the form access it gates;
- `capabilities`: what the configuration lets people do (the go-live review);
- `translations`: translated texts, and the summary of translation gaps;
- `mapping`: mapping.yaml, the concepts portable scenarios name, against the bundle's ids.

`sandbox.configuration.bundle.validate.validate_bundle` runs them all, in one pass.
"""

from __future__ import annotations

from ..parsed import ParsedBundle
from .capabilities import check_capabilities
from .consent_access import check_consent_access
from .context import build_context
from .fields import check_sections
from .locations import check_locations, read_locations
from .mapping import check_bundle_mapping
from .policy import check_policies
from .references import check_agencies, check_bundle_file, check_lookups, check_modules, check_roles
from .structure import read_files


def run_checks(parsed: ParsedBundle) -> None:
    """Read every file into `parsed`, then run every check; problems go to `parsed.problems`."""
    read_files(parsed)
    read_locations(parsed)
    ctx = build_context(parsed)
    check_bundle_file(ctx)
    check_locations(parsed)
    check_lookups(ctx)
    check_modules(ctx)
    check_sections(ctx)
    check_agencies(ctx)
    check_roles(ctx)
    check_policies(ctx)
    check_consent_access(ctx)
    check_capabilities(ctx)
    check_bundle_mapping(ctx)
