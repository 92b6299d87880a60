"""Reading YAML and CSV files so that every problem can name its file and line.

Configuration bundles and scenario files are written by people, so each problem
is reported as `PATH:LINE: message`. YAML is parsed with ruamel.yaml, whose
round-trip nodes know their line; the data is then turned into plain Python
values and a map from each key path to its line, so that validation (pydantic)
and cross-reference checks can point at the right line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, reported as `PATH:LINE: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass
class Source:
    """A parsed file: its plain data and the line of every key path in it."""

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, *keys: str | int) -> int:
        """The line of the deepest known node on the path `keys` (1-based)."""
        path: KeyPath = tuple(keys)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, message: str, *keys: str | int) -> Problem:
        return Problem(self.path, self.line(*keys), message)


def _plain(node: Any, path: KeyPath, lines: dict[KeyPath, int]) -> Any:
    if isinstance(node, CommentedMap):
        lines.setdefault(path, node.lc.line + 1)
        result = {}
        for key, value in node.items():
            try:
                key_line = node.lc.key(key)[0] + 1
            except (KeyError, TypeError):
                key_line = lines[path]
            lines[(*path, str(key))] = key_line
            result[str(key) if not isinstance(key, str) else key] = _plain(
                value, (*path, str(key)), lines
            )
        return result
    if isinstance(node, CommentedSeq):
        lines.setdefault(path, node.lc.line + 1)
        items = []
        for index, value in enumerate(node):
            try:
                lines[(*path, index)] = node.lc.item(index)[0] + 1
            except (KeyError, TypeError, IndexError):
                lines[(*path, index)] = lines[path]
            items.append(_plain(value, (*path, index), lines))
        return items
    if isinstance(node, str):
        return str(node)
    return node


def read_yaml(path: Path, display: str | None = None) -> tuple[Source | None, list[Problem]]:
    """Parse a YAML file; on a syntax error return no source and the problem."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(shown, 1, "file not found")]
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, 1, f"not UTF-8 text ({exc.reason})")]
    yaml = YAML(typ="rt")
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(shown, line, f"YAML syntax error: {what}")]
    except YAMLError as exc:
        return None, [Problem(shown, 1, f"YAML syntax error: {exc}")]
    lines: dict[KeyPath, int] = {(): 1}
    data = _plain(node, (), lines)
    return Source(shown, data, lines), []


_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping",
    "float_type": "a number",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def _loc_text(loc: Iterable[str | int]) -> str:
    parts = []
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".")


def validation_problems(
    error: ValidationError, source: Source, prefix: KeyPath = (), model: type[BaseModel] | None = None
) -> list[Problem]:
    """Turn a pydantic error into readable problems with lines."""
    problems = []
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds the tag of a union member to the location; drop those.
        loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
        where = _loc_text(prefix + loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else "?"
            message = f"unknown key '{key}'"
            allowed = _allowed_keys(model, loc[:-1]) if model else []
            close = difflib.get_close_matches(key, allowed, n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            elif allowed:
                message += f" (allowed: {', '.join(sorted(allowed))})"
            parent = _loc_text(prefix + loc[:-1])
            if parent:
                message = f"{parent}: {message}"
        elif kind == "missing":
            message = f"{where}: required key is missing"
        elif kind in _TYPE_NAMES:
            message = f"{where}: expected {_TYPE_NAMES[kind]}, got {_describe(err.get('input'))}"
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{where}: '{err.get('input')}' is not one of {expected}"
        elif kind == "string_pattern_mismatch":
            message = f"{where}: '{err.get('input')}' is not a valid value ({err['msg']})"
        else:
            message = f"{where}: {err['msg']}"
        problems.append(source.problem(message, *(prefix + loc)))
    return problems


def _allowed_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys a model accepts at a location inside it (best effort, for hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if _is_mapping(current):
            # A mapping of names to models (roles: {caseworker: {...}}): `part` is a name.
            current = _inner_model(current)
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        annotation = info.annotation
        current = annotation if _is_mapping(annotation) else _inner_model(annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _is_mapping(annotation: Any) -> bool:
    origin = getattr(annotation, "__origin__", None)
    if origin is dict:
        return True
    return any(getattr(arg, "__origin__", None) is dict
               for arg in getattr(annotation, "__args__", ()) or ())


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
