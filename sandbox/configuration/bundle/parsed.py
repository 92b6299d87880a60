"""What validating a bundle produces: the well-formed items, where each came from, and
every problem found.

`load.py` writes a `ParsedBundle` to the database when it holds no error; the
checks in `checks/` read it. Items that failed their structure check are not in
the lists: their ids are remembered in `broken` (and whole files that could not
be read in `unreadable`), so that references to them are not reported a second
time as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sandbox.common.sourcefiles import ERROR, WARNING, KeyPath, Problem, Source

from .schema import (
    AgencySpec,
    BundleSpec,
    FormSectionSpec,
    LookupSpec,
    ModuleSpec,
    PolicySpec,
    RoleSpec,
    Spec,
    UserGroupSpec,
)

S = TypeVar("S", bound=Spec)


@dataclass
class Item(Generic[S]):
    """A validated item and where it came from.

    When parts of an item were broken (an option of a lookup, a field of a form
    section), the item keeps its other parts: `kept` maps the path of each list
    it was cut from to the original indices of the elements kept, so that lines
    still point at the right place, and `dropped` holds the cut paths.
    """

    spec: S
    source: Source
    path: KeyPath
    kept: dict[KeyPath, list[int]] = field(default_factory=dict)
    dropped: set[KeyPath] = field(default_factory=set)

    def raw_keys(self, keys: tuple[str | int, ...]) -> KeyPath:
        """The path in the file of `keys` (a path inside the spec)."""
        raw: list[str | int] = []
        for key in keys:
            if isinstance(key, int):
                kept = self.kept.get(tuple(raw))
                if kept is not None and 0 <= key < len(kept):
                    key = kept[key]
            raw.append(key)
        return tuple(raw)

    def line(self, *keys: str | int) -> int:
        return self.source.line(*(self.path + self.raw_keys(keys)))

    def problem(self, message: str, *keys: str | int, severity: str = ERROR, code: str = "") -> Problem:
        return Problem(self.source.path, self.line(*keys), message, severity, code)

    def was_dropped(self, *keys: str | int) -> bool:
        """Whether this part of the item was cut because it was broken."""
        return self.raw_keys(keys) in self.dropped

    def lost_keys(self, *keys: str | int) -> bool:
        """Whether a key of the mapping at `keys` was cut (so that what it said is unknown)."""
        raw = self.raw_keys(keys)
        return any(len(cut) == len(raw) + 1 and cut[: len(raw)] == raw for cut in self.dropped)


@dataclass
class LocationRow:
    code: str
    parent: str
    admin_level: int
    names: dict[str, str]
    line: int


@dataclass
class ParsedBundle:
    """What validation found: the items that are well-formed, and every problem."""

    directory: Path
    bundle: Item[BundleSpec] | None = None
    modules: list[Item[ModuleSpec]] = field(default_factory=list)
    lookups: list[Item[LookupSpec]] = field(default_factory=list)
    sections: list[Item[FormSectionSpec]] = field(default_factory=list)
    agencies: list[Item[AgencySpec]] = field(default_factory=list)
    user_groups: list[Item[UserGroupSpec]] = field(default_factory=list)
    roles: list[Item[RoleSpec]] = field(default_factory=list)
    policies: list[Item[PolicySpec]] = field(default_factory=list)
    locations: list[LocationRow] = field(default_factory=list)
    locations_path: str = ""
    #: `mapping.yaml` as read (optional): checked by `sandbox.configuration.vocabulary`.
    mapping: Source | None = None
    #: Ids of items (by kind: "lookup", "field", "option"...) that failed their structure
    #: check. Options are kept as "LOOKUP_ID/OPTION_ID".
    broken: dict[str, set[str]] = field(default_factory=dict)
    #: Kinds of item whose whole file could not be read: nothing is known of them.
    unreadable: set[str] = field(default_factory=set)
    #: Raw data of modules that failed their structure check (their policy is still checked).
    raw_modules: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The languages and administrative levels declared, even when bundle.yaml is broken.
    languages: list[str] = field(default_factory=list)
    admin_levels: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when nothing blocks loading (warnings do not)."""
        return not any(p.severity == ERROR for p in self.problems)

    def sorted_problems(self) -> list[Problem]:
        return sorted(set(self.problems))

    def errors(self) -> list[Problem]:
        return [p for p in self.sorted_problems() if p.severity == ERROR]

    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted_problems() if p.severity == WARNING]

    def mark_broken(self, kind: str, ident: Any) -> None:
        if isinstance(ident, str | int) and not isinstance(ident, bool):
            self.broken.setdefault(kind, set()).add(str(ident))

    def is_broken(self, kind: str, ident: str) -> bool:
        return kind in self.unreadable or ident in self.broken.get(kind, set())
