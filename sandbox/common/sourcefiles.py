"""Reading YAML and CSV files so that every problem can name its file and line.

Configuration bundles and scenario files are written by people, so each problem
is reported as `PATH:LINE: message`. YAML is composed into nodes that know their
line (libyaml, see below); the nodes are then turned into plain Python
values and a map from each key path to its line, so that validation (pydantic)
and cross-reference checks can point at the right line.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

KeyPath = tuple[str | int, ...]


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, reported as `PATH:LINE: message`.

    An error makes the file unusable (a bundle with one is not loaded); a warning
    is reported and does not block. `code` names the kind of problem for machines
    (`unknown-reference`, `missing-translation`...), empty where nobody needs one.
    """

    path: str
    line: int
    message: str
    severity: str = ERROR
    code: str = ""

    def __str__(self) -> str:
        if self.severity == WARNING:
            return f"{self.path}:{self.line}: warning: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"path": self.path, "line": self.line, "message": self.message,
                                 "severity": self.severity}
        if self.code:
            found["code"] = self.code
        return found


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


# -- YAML ----------------------------------------------------------------------------
#
# Files are composed into nodes by libyaml (through PyYAML, in C: a bundle of a few
# thousand lines parses in milliseconds, where a pure-Python round-trip parser
# takes most of a second), then turned into plain values here. Plain scalars are
# resolved with the YAML 1.2 core schema, as ruamel.yaml does, not with PyYAML's
# YAML 1.1 rules: `yes`, `no`, `on` and `off` stay text, so an option id `no` is
# not silently turned into false.

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$")
_FLOAT = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
    r"|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME = re.compile(
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]*))?[ \t]*(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?)?$"
)
_PLAIN = "?plain"
_TAG = "tag:yaml.org,2002:"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Composes nodes only; marks plain scalars so that they are resolved here (YAML 1.2)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return str(super().resolve(kind, value, implicit))


def _number(text: str) -> int | float:
    if _INT.match(text):
        digits = text.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
            if digits.startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits)
    lowered = text.lower()
    if lowered.endswith((".inf", ".nan")):
        return float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
    return float(text.replace("_", ""))


def _timestamp(match: re.Match[str]) -> datetime.datetime:
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz: datetime.tzinfo | None = None
    if zone == "Z":
        tz = datetime.UTC
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        hours, _, minutes = zone[1:].partition(":")
        if not minutes and len(hours) > 2:
            hours, minutes = hours[:-2], hours[-2:]
        tz = datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes or 0)))
    return datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                             micro, tzinfo=tz)


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    tag = node.tag
    if tag == _PLAIN:
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value) or _FLOAT.match(value):
            return _number(value)
        if _DATE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        match = _DATETIME.match(value)
        if match:
            try:
                return _timestamp(match)
            except ValueError:
                return value
        return value
    # An explicit tag (`!!int "12"`): honour the standard ones, keep the text otherwise.
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool" and value in _BOOL:
        return _BOOL[value]
    if tag in (_TAG + "int", _TAG + "float") and (_INT.match(value) or _FLOAT.match(value)):
        number = _number(value)
        return float(number) if tag.endswith("float") else int(number)
    return value


def _plain(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> Any:
    if isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1
        lines.setdefault(path, line)
        result: dict[str, Any] = {}
        first: dict[str, int] = {}
        merged: set[str] = set()
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in (_PLAIN, _TAG + "merge") \
                    and key_node.value == "<<":
                _merge(value_node, path, lines, result, merged)
                continue
            raw_key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else key_node.value
            key = raw_key if isinstance(raw_key, str) else str(raw_key)
            if key in first:
                raise yaml.MarkedYAMLError(
                    problem=f'found duplicate key "{key}" (first on line {first[key]})',
                    problem_mark=key_node.start_mark,
                )
            first[key] = key_line
            merged.discard(key)
            lines[(*path, key)] = key_line
            result[key] = _plain(value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        lines.setdefault(path, node.start_mark.line + 1)
        items = []
        for index, value_node in enumerate(node.value):
            lines[(*path, index)] = value_node.start_mark.line + 1
            items.append(_plain(value_node, (*path, index), lines))
        return items
    return _scalar(node)


def _merge(
    node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], result: dict[str, Any], merged: set[str]
) -> None:
    """`<<: *defaults`: keys of the merged mapping(s) that the mapping does not set itself."""
    sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for source in sources:
        if not isinstance(source, yaml.MappingNode):
            raise yaml.MarkedYAMLError(problem="a merge key (<<) needs a mapping",
                                       problem_mark=source.start_mark)
        values = _plain(source, (*path, "<<"), {})
        for key, value in values.items():
            if key not in result or key in merged:
                result[key] = value
                merged.add(key)
                lines.setdefault((*path, key), source.start_mark.line + 1)


#: How deep collections may nest: real files stay under ten levels.
MAX_DEPTH = 64
#: How many values aliases (`*name`) may add in all: a few repeated blocks, not a bomb.
MAX_ALIAS_EXPANSION = 10_000


def _guard(text: str) -> None:
    """Refuse nesting beyond MAX_DEPTH and aliases that expand beyond MAX_ALIAS_EXPANSION.

    Runs over libyaml's event stream, which is parsed without recursion, before
    anything is composed: composing a 100,000-deep file recurses, and turning an
    alias bomb into values takes exponential time and memory. Each anchored
    collection's size (aliases inside it counted expanded) is known when it
    closes, so the check stays linear in the length of the text.
    """
    depth = 0
    expanded = 0
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # open collections: [anchor, size so far]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark)
            stack.append([event.anchor, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            if stack:
                stack[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 1)
            expanded += size
            if expanded > MAX_ALIAS_EXPANSION:
                raise yaml.MarkedYAMLError(
                    problem=f"aliases expand to more than {MAX_ALIAS_EXPANSION} values",
                    problem_mark=event.start_mark)
            if stack:
                stack[-1][1] += size


def parse_yaml(text: str) -> tuple[Any, dict[KeyPath, int]]:
    """Plain data and the line of every key path; raises `yaml.YAMLError` on bad input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    _guard(text)
    node = yaml.compose(text, Loader=_Loader)
    lines: dict[KeyPath, int] = {(): 1}
    if node is None:
        return None, lines
    return _plain(node, (), lines), lines


def read_yaml(path: Path, display: str | None = None) -> tuple[Source | None, list[Problem]]:
    """Parse a YAML file; on a syntax error return no source and the problem."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(shown, 1, "file not found", code="file-not-found")]
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, 1, f"not UTF-8 text ({exc.reason})", code="not-utf8")]
    try:
        data, lines = parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(shown, line, f"YAML syntax error: {what}", code="yaml-syntax")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, 1, f"YAML syntax error: {exc}", code="yaml-syntax")]
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


_BOUNDS = {
    "less_than_equal": "more than the largest allowed,",
    "greater_than_equal": "less than the smallest allowed,",
    "less_than": "not less than",
    "greater_than": "not more than",
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


@dataclass(frozen=True)
class Naming:
    """How to name items in messages by their id instead of their index.

    `lists` maps a list key to the word for one of its items and the key holding
    its id (`"options": ("option", "id")`), so that `lookups[58].options[13].label`
    reads "lookup 'risk', option 'hihg': label". `root` names the file's top-level
    item when the file is one item (a form section). `patterns` maps a regular
    expression of the schema to words a person understands.
    """

    lists: dict[str, tuple[str, str]] = field(default_factory=dict)
    root: str = ""
    patterns: dict[str, str] = field(default_factory=dict)

    def where(self, data: Any, loc: KeyPath) -> str:
        """`lookup 'risk', option 'hihg': label` for the location `loc` in `data`."""
        named: list[str] = [self.root] if self.root else []
        rest: list[str | int] = []
        node = data
        for index, part in enumerate(loc):
            child = _child(node, part)
            parent_key = loc[index - 1] if index else None
            if isinstance(part, int) and isinstance(parent_key, str) and parent_key in self.lists:
                word, key = self.lists[parent_key]
                ident = child.get(key) if isinstance(child, dict) else None
                if isinstance(ident, str | int) and not isinstance(ident, bool):
                    # The list key itself is implied by the word: drop it from `rest`.
                    if rest and rest[-1] == parent_key:
                        rest.pop()
                    if rest:
                        named.append(_loc_text(rest))
                        rest = []
                    named.append(f"{word} '{ident}'")
                    node = child
                    continue
            rest.append(part)
            node = child
        text = ", ".join(named)
        if rest:
            text = f"{text}: {_loc_text(rest)}" if text else _loc_text(rest)
        return text


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _quoted_values(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _did_you_mean(value: Any, allowed: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when `value` is close to one of `allowed`, else ``."""
    close = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validation_problems(
    error: ValidationError,
    source: Source,
    prefix: KeyPath = (),
    model: type[BaseModel] | None = None,
    naming: Naming | None = None,
) -> list[Problem]:
    """Turn a pydantic error into readable problems with lines.

    With `naming`, items are named by id ("lookup 'risk', option 'x': label")
    instead of by index, allowed values are listed and close ones suggested.
    """
    problems = []
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds the tag of a union member to the location; drop those.
        loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
        full = prefix + loc

        def where_of(path: KeyPath) -> str:
            return naming.where(source.data, path) if naming else _loc_text(path)

        where = where_of(full)
        kind = err["type"]
        value = err.get("input")
        code = "invalid-value"
        if kind == "extra_forbidden":
            code = "unknown-key"
            key = str(loc[-1]) if loc else "?"
            message = f"unknown key '{key}'"
            allowed = _allowed_keys(model, loc[:-1]) if model else []
            close = difflib.get_close_matches(key, allowed, n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            elif allowed:
                message += f" (allowed: {', '.join(sorted(allowed))})"
            parent = where_of(full[:-1])
            if parent:
                message = f"{parent}: {message}"
        elif kind == "missing":
            code = "missing-key"
            message = f"{where}: required key is missing"
        elif kind in _TYPE_NAMES:
            code = "wrong-type"
            message = f"{where}: expected {_TYPE_NAMES[kind]}, got {_describe(value)}"
            if naming and kind == "string_type" and isinstance(value, bool | int | float):
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                message += f' (write it in quotes: "{shown}")'
        elif kind == "literal_error":
            code = "not-allowed"
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{where}: '{value}' is not one of {expected}"
            if naming:
                message += _did_you_mean(value, _quoted_values(expected))
        elif kind == "string_pattern_mismatch":
            pattern = str(err.get("ctx", {}).get("pattern", ""))
            described = naming.patterns.get(pattern) if naming else None
            if described:
                message = f"{where}: '{value}' is not {described}"
            else:
                message = f"{where}: '{value}' is not a valid value ({err['msg']})"
        elif naming and kind in _BOUNDS:
            limit = next(iter(err.get("ctx", {}).values()), "?")
            message = f"{where}: {value} is {_BOUNDS[kind]} {limit}"
        elif naming and kind == "string_too_long":
            limit = err.get("ctx", {}).get("max_length", "?")
            message = f"{where}: '{value}' is too long (at most {limit} characters)"
        elif naming and kind == "too_short":
            message = f"{where}: must not be empty"
        elif kind == "value_error":
            message = f"{where}: {str(err['msg']).removeprefix('Value error, ')}"
        else:
            message = f"{where}: {err['msg']}"
        problems.append(Problem(source.path, source.line(*full), message, code=code))
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
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
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
