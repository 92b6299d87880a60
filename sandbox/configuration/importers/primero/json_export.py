"""Read Primero's configuration export (JSON), keeping the line of every value.

Primero saves its configuration (`PrimeroConfiguration#data`) as one object per
model: `{"FormSection": [...], "Lookup": [...], "Agency": [...], "Role": [...],
"UserGroup": [...]}`, each record being the model's `configuration_hash`
(`*_i18n` texts, `fields_attributes`, `form_section_read_write`...). The export
may wrap it (`{"data": {...}}` as the API returns it). Locations and modules are
not part of Primero's export; `Location` / `PrimeroModule` arrays are read when
present.

The standard `json` module forgets positions, so values are decoded here with a
small recursive reader (using `json.decoder.scanstring` for strings). A broken
record inside an array is reported as `PATH:LINE` and skipped; the others are kept.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from .values import Arr, Item, Obj, PrimeroSource, SourceProblem

NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
WHITESPACE = re.compile(r"[ \t\n\r]*")
#: Keys of the export (and friendly aliases) -> kind of record.
KINDS: dict[str, str] = {
    "FormSection": "form_section",
    "form_sections": "form_section",
    "Lookup": "lookup",
    "lookups": "lookup",
    "Agency": "agency",
    "agencies": "agency",
    "Role": "role",
    "roles": "role",
    "UserGroup": "user_group",
    "user_groups": "user_group",
    "PrimeroModule": "module",
    "primero_modules": "module",
    "modules": "module",
    "Location": "location",
    "locations": "location",
    "SystemSettings": "system_settings",
    "system_settings": "system_settings",
}
NOT_IMPORTED = ("Report", "ContactInformation", "ExportConfiguration", "User", "PrimeroProgram")


class JsonError(Exception):
    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos


class LineJsonReader:
    """Decodes JSON into `Obj`/`Arr`; bad array items are reported and skipped."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.problems: list[SourceProblem] = []

    def line(self, pos: int) -> int:
        lo, hi = 0, len(self.newlines)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.newlines[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo + 1

    def ws(self, pos: int) -> int:
        match = WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def read(self) -> Any:
        pos = self.ws(0)
        value, pos = self.value(pos)
        pos = self.ws(pos)
        if pos != len(self.text):
            raise JsonError(pos, "unexpected text after the JSON value")
        return value

    def value(self, pos: int) -> tuple[Any, int]:
        text = self.text
        if pos >= len(text):
            raise JsonError(pos, "unexpected end of the file")
        ch = text[pos]
        if ch == "{":
            return self.object(pos)
        if ch == "[":
            return self.array(pos)
        if ch == '"':
            try:
                return scanstring(text, pos + 1)
            except json.JSONDecodeError as exc:
                raise JsonError(exc.pos, exc.msg) from None
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                return value, pos + len(word)
        match = NUMBER.match(text, pos)
        if match:
            raw = match.group()
            return (float(raw) if match.group(1) or match.group(2) else int(raw)), match.end()
        raise JsonError(pos, f"unexpected {text[pos]!r}")

    def object(self, pos: int) -> tuple[Obj, int]:
        obj = Obj(self.line(pos))
        pos = self.ws(pos + 1)
        if self.text.startswith("}", pos):
            return obj, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise JsonError(pos, "expected a key in double quotes")
            key_pos = pos
            key, pos = self.value(pos)
            pos = self.ws(pos)
            if not self.text.startswith(":", pos):
                raise JsonError(pos, "expected ':' after a key")
            value, pos = self.value(self.ws(pos + 1))
            obj.put(key, value, self.line(key_pos))
            pos = self.ws(pos)
            if self.text.startswith(",", pos):
                pos = self.ws(pos + 1)
            elif self.text.startswith("}", pos):
                return obj, pos + 1
            else:
                raise JsonError(pos, "expected ',' or '}'")

    def array(self, pos: int) -> tuple[Arr, int]:
        arr = Arr(self.line(pos))
        pos = self.ws(pos + 1)
        if self.text.startswith("]", pos):
            return arr, pos + 1
        while True:
            start = pos
            try:
                value, pos = self.value(pos)
                arr.add(value, self.line(start))
                pos = self.ws(pos)
                if not (self.text.startswith(",", pos) or self.text.startswith("]", pos)):
                    raise JsonError(pos, "expected ',' or ']'")
            except JsonError as exc:
                self.problems.append(SourceProblem(self.path, self.line(exc.pos), f"cannot read: {exc}"))
                pos = self.skip_item(start)
                if pos < 0:
                    raise
            if self.text.startswith(",", pos):
                pos = self.ws(pos + 1)
            else:
                return arr, pos + 1

    def skip_item(self, start: int) -> int:
        """Position of the ',' or ']' ending the array item at `start`, or -1."""
        depth, pos, text = 0, start, self.text
        while pos < len(text):
            ch = text[pos]
            if ch == '"':
                end = pos + 1
                while end < len(text) and text[end] != '"':
                    end += 2 if text[end] == "\\" else 1
                pos = end + 1
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                if depth == 0:
                    return pos if ch == "]" else -1
                depth -= 1
            elif ch == "," and depth == 0:
                return pos
            pos += 1
        return -1


def read_export(path: Path, display: str | None = None) -> PrimeroSource:
    """Every configuration record of a configuration export file."""
    display = display or str(path)
    source = PrimeroSource()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        source.problems.append(SourceProblem(display, 1, f"cannot read the file: {exc}"))
        return source
    read_export_text(text, display, source)
    return source


def read_export_text(text: str, display: str, source: PrimeroSource) -> None:
    reader = LineJsonReader(text, display)
    try:
        data = reader.read()
    except JsonError as exc:
        source.problems.extend(reader.problems)
        source.problems.append(SourceProblem(display, reader.line(exc.pos), f"cannot read: {exc}"))
        return
    source.problems.extend(reader.problems)
    source.files_read += 1
    # The API wraps the configuration record ({"data": {"id": ..., "data": {...}}}); a saved
    # record has one "data"; a bare export has none.
    while isinstance(data, Obj) and isinstance(data.get("data"), Obj) and not (set(data) & set(KINDS)):
        data = data["data"]
    if not isinstance(data, Obj):
        source.problems.append(SourceProblem(display, 1, "expected an object of configuration records"))
        return
    for key, records in data.items():
        if key in NOT_IMPORTED:
            source.skipped.append((key, display, data.line_of(key)))
            continue
        kind = KINDS.get(key)
        if kind is None:
            source.problems.append(
                SourceProblem(display, data.line_of(key), f"unknown key '{key}', not read")
            )
            continue
        if not isinstance(records, Arr):
            source.problems.append(SourceProblem(display, data.line_of(key), f"'{key}' is not a list"))
            continue
        for index, record in enumerate(records):
            if isinstance(record, Obj):
                source.items.append(Item(kind, record, display))
            else:
                source.problems.append(
                    SourceProblem(display, records.line_of(index), f"an item of '{key}' is not an object")
                )
