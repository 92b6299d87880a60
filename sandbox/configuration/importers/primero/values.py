"""Values read from a Primero source, each knowing the line it came from.

Both readers (Ruby seed files and the JSON configuration export) produce the same
shapes: `Obj` (a dict) and `Arr` (a list) remember the line of every key and
item, so that the converter can report a lossy step as `PATH:LINE` wherever the
value came from. A `Call` is a Ruby method call the seed reader kept (e.g.
`FormSection.where(unique_id: [...])`), for the converter to interpret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Obj(dict[str, Any]):
    """A hash/object with the line of itself and of each key."""

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def put(self, key: str, value: Any, line: int) -> None:
        self[key] = value
        self.key_lines[key] = line

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Arr(list[Any]):
    """An array with the line of itself and of each item."""

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def add(self, value: Any, line: int) -> None:
        self.append(value)
        self.item_lines.append(line)

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


@dataclass
class Call:
    """A method call kept as data: `receiver.method(args)` (receiver may be empty)."""

    receiver: str
    method: str
    args: list[Any]
    line: int

    def kwargs(self) -> Obj:
        """The trailing hash argument (Ruby's keyword arguments), or an empty one."""
        if self.args and isinstance(self.args[-1], Obj):
            return self.args[-1]
        return Obj(self.line)


@dataclass
class Item:
    """One configuration record of the source: a form section, a lookup, a role..."""

    kind: str
    data: Obj
    path: str

    @property
    def line(self) -> int:
        return self.data.line


@dataclass
class SourceProblem:
    """Something a reader could not read: reported, and the import goes on."""

    path: str
    line: int
    message: str


@dataclass
class PrimeroSource:
    """Everything read from a Primero source, in source order."""

    items: list[Item] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    #: Records of kinds the sandbox has no place for (reports, users...): (kind, path, line).
    skipped: list[tuple[str, str, int]] = field(default_factory=list)
    files_read: int = 0

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]
