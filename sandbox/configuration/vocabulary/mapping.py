"""mapping.yaml: the SOP concepts of portable scenarios mapped to a bundle's ids.

```yaml
roles:        {case_worker: ROLE_ID, supervisor: ROLE_ID, ...}
agencies:     {lead: AGENCY_ID, ...}
user_groups:  {lead_office: GROUP_ID, ...}
consent:      {services: CONSENT_TYPE_OPTION_ID, ...}
services:     {family_tracing: SERVICE_TYPE_OPTION_ID, ...}
referral_reasons / followup_types / closure_reasons / urgency: {CONCEPT: OPTION_ID}
risk:         {high: OPTION_ID, medium: OPTION_ID, low: OPTION_ID}
fields:       {CONCEPT: FIELD_ID, "FIELD_CONCEPT.COLUMN_CONCEPT": COLUMN_ID}  # (subform columns)
options:      {FIELD_CONCEPT: {OPTION_CONCEPT: OPTION_ID}}
locations:    {CONCEPT: LOCATION_CODE}
providers:    {health: PROVIDER_OPTION_ID, ...}   # GBV: the kinds of provider consent names
by_module:    {MODULE_CONCEPT: {roles: {...}, consent: {...}, fields: {...}, ...}}
```

Every key is optional. `by_module` holds, per module concept (`cp`, `gbv`), lines
that hold only for scenarios of that module and come before the bundle-wide ones:
the same kinds, checked against that module's consent types, fields and lookups.

`check_mapping` reports each problem as `PATH:LINE: message`: unknown kinds and
concepts (with the closest names), and ids the bundle does not have (with the ones
it has).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from sandbox.common.sourcefiles import Problem, Source

from .concepts import KIND_WORDS, VOCABULARY
from .resolve import BundleIds

#: The top-level keys of mapping.yaml.
MAPPING_KEYS = ("modules", "roles", "agencies", "user_groups", "consent", "services", "referral_reasons",
                "followup_types", "closure_reasons", "urgency", "risk", "fields", "options",
                "locations", "providers", "by_module")
#: The kinds a `by_module` section may hold.
MODULE_KEYS = tuple(k for k in MAPPING_KEYS if k not in ("modules", "by_module"))
#: Kinds whose concepts are open (any name a scenario uses).
OPEN_KINDS = {"fields", "options"}


def _closest(word: str, choices: Any) -> str:
    found = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean '{found[0]}'?)" if found else ""


def _allowed(ids: frozenset[str] | set[str], limit: int = 12) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:limit])
    return f"{shown}, ..." if len(names) > limit else shown or "none"


def check_mapping(source: Source | None, ids: BundleIds,
                  unknown: frozenset[str] = frozenset(),
                  module_ids: Callable[[str], BundleIds | None] | None = None) -> list[Problem]:
    """Every problem of a bundle's mapping.yaml (none when there is no such file).

    `unknown` names kinds whose ids are not all known (their file was broken): a
    target of those kinds is not called missing, the file's own problem says enough.
    `module_ids` gives the ids of the module a `by_module` section is for (None: the
    bundle has no such module)."""
    if source is None or source.data is None:
        return []
    data = source.data
    problems: list[Problem] = []

    def add(message: str, *keys: str | int) -> None:
        problems.append(source.problem(message, *keys))

    if not isinstance(data, dict):
        add("mapping.yaml is a mapping of concept kinds (" + ", ".join(MAPPING_KEYS) + ")")
        return problems
    _check_kinds(data, ids, unknown, add, (), MAPPING_KEYS)
    by_module = data.get("by_module")
    if by_module is None:
        return problems
    if not isinstance(by_module, dict):
        add("'by_module' maps module concepts to mappings (gbv: {roles: ..., consent: ...})",
            "by_module")
        return problems
    for concept, section in by_module.items():
        concept = str(concept)
        where = ("by_module", concept)
        if concept not in VOCABULARY["modules"]:
            add(f"by_module: unknown module concept '{concept}'"
                f"{_closest(concept, VOCABULARY['modules'])} (one of: "
                f"{', '.join(VOCABULARY['modules'])})", *where)
            continue
        found = module_ids(concept) if module_ids is not None else ids
        if found is None:
            add(f"by_module.{concept}: the bundle has no module for '{concept}': map "
                f"`modules.{concept}` in mapping.yaml", *where)
            continue
        if not isinstance(section, dict):
            add(f"by_module.{concept}: a mapping of concept kinds ({', '.join(MODULE_KEYS)})",
                *where)
            continue
        _check_kinds(section, found, unknown, add, where, MODULE_KEYS)
    return problems


def _check_kinds(data: dict[str, Any], ids: BundleIds, unknown: frozenset[str], add0: Any,
                 prefix: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    """The kinds of one mapping (the file, or one `by_module` section)."""
    def add(message: str, *keys: str | int) -> None:
        if prefix:  # by_module.gbv.roles.case_worker: ..., by_module.gbv: unknown key ...
            joiner = ": " if message.startswith(("unknown key", "'")) else "."
            message = ".".join(prefix) + joiner + message
        add0(message, *prefix, *keys)

    for kind, entries in data.items():
        if kind == "by_module" and not prefix:
            continue
        if kind not in allowed:
            add(f"unknown key '{kind}'{_closest(str(kind), allowed)} "
                f"(one of: {', '.join(allowed)})", kind)
            continue
        if not isinstance(entries, dict):
            add(f"'{kind}' maps concepts to ids (CONCEPT: ID)", kind)
            continue
        for concept, target in entries.items():
            concept = str(concept)
            if kind not in OPEN_KINDS and concept not in VOCABULARY.get(kind, {}):
                add(f"{kind}: unknown concept '{concept}'{_closest(concept, VOCABULARY[kind])} "
                    f"(see docs/authoring/vocabulary.md)", kind, concept)
                continue
            if kind in unknown:
                continue
            if kind == "options":
                _check_options(concept, target, ids, add)
                continue
            if not isinstance(target, str) or not target:
                add(f"{kind}.{concept}: give one id", kind, concept)
                continue
            if kind == "fields":
                _check_field(concept, target, ids, add, entries)
                continue
            valid = ids.ids.get(kind, frozenset())
            if target not in valid:
                add(f"{kind}.{concept}: the bundle has no {KIND_WORDS[kind]} '{target}'"
                    f"{_closest(target, valid)} (has: {_allowed(valid)})", kind, concept)


def _check_field(concept: str, target: str, ids: BundleIds, add: Any,
                 entries: dict[str, Any]) -> None:
    if "." in concept:
        # "FIELD_CONCEPT.COLUMN_CONCEPT": COLUMN_ID, a column of the subform the field maps to.
        field_concept = concept.split(".", 1)[0]
        field_id = entries.get(field_concept, field_concept)
        columns = ids.columns.get(str(field_id))
        if columns is None:
            add(f"fields.{concept}: '{field_concept}' is not a subform field of the bundle",
                "fields", concept)
        elif target not in columns:
            add(f"fields.{concept}: subform '{field_id}' has no column '{target}'"
                f"{_closest(target, columns)} (has: {_allowed(columns)})", "fields", concept)
        return
    if target not in ids.fields:
        add(f"fields.{concept}: the bundle has no field '{target}'{_closest(target, ids.fields)}",
            "fields", concept)


def _check_options(concept: str, target: Any, ids: BundleIds, add: Any) -> None:
    if not isinstance(target, dict):
        add(f"options.{concept}: map option concepts to option ids (CONCEPT: OPTION_ID)",
            "options", concept)
        return
    # The field concept names a field of the bundle through `fields:` or by its own id;
    # only the option ids are checked here, against every lookup they could belong to.
    every = frozenset().union(*ids.options.values()) if ids.options else frozenset()
    for option, value in target.items():
        if not isinstance(value, str) or value not in every:
            add(f"options.{concept}.{option}: no lookup of the bundle has the option '{value}'",
                "options", concept, option)
