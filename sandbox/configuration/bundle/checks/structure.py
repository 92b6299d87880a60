"""Reading a bundle's files and checking each item's structure on its own.

Every file is read, whatever happened to the others. Each item of a list file
(a lookup, an agency, a role...) and each form section is validated on its own;
an item with a broken part keeps its other parts when the broken part can be
cut off (an option of a lookup, a field of a form section, an optional key), so
that its other problems and the references to it are still checked. What was
cut is remembered as broken, so that references to it are not reported again.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sandbox.common.sourcefiles import (
    KeyPath,
    Naming,
    Problem,
    Source,
    read_yaml,
    validation_problems,
)

from ..parsed import Item, ParsedBundle
from ..schema import (
    ACCESS_PATTERN,
    IDENT_PATTERN,
    LIST_FILES,
    OPTION_ID_PATTERN,
    BundleSpec,
    FormSectionSpec,
    Spec,
)

S = TypeVar("S", bound=Spec)

KNOWN_FILES = {"bundle.yaml", "locations.csv", "mapping.yaml", *LIST_FILES}
KINDS = {"modules": "module", "lookups": "lookup", "agencies": "agency",
         "user_groups": "user_group", "roles": "role", "policies": "policy"}
#: How messages name the items of each list, by id (see `Naming`).
NAMING_LISTS: dict[str, tuple[str, str]] = {
    "modules": ("module", "id"),
    "lookups": ("lookup", "id"),
    "options": ("option", "id"),
    "agencies": ("agency", "id"),
    "user_groups": ("user group", "id"),
    "roles": ("role", "id"),
    "policies": ("policy", "module"),
    "fields": ("field", "id"),
    "admin_levels": ("admin level", "level"),
}
PATTERNS = {
    IDENT_PATTERN: "a valid id (letters, digits, '_', '.' and '-', starting with a letter or "
                   "a digit, at most 100 characters)",
    OPTION_ID_PATTERN: "a valid option id (1 to 200 characters, no control characters, "
                       "no space at either end)",
    r"^[a-z][a-z0-9_\-]*$": "a valid bundle id (lower-case letters, digits, '_' and '-', "
                           "starting with a letter)",
    r"^[1-9][0-9]*(h|d)$": "a duration (a number of hours or days, e.g. 24h or 5d)",
    r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$": "a language code (e.g. en, fr, ar, pt-BR)",
    ACCESS_PATTERN: "a form access: read, read_write, none or read_if_consented:KIND",
    r"^[A-Za-z0-9]{1,10}$": "a file extension (letters and digits, no dot, e.g. pdf)",
}


def display(directory: Path, name: str) -> str:
    return str(directory / name)


def naming(root: str = "") -> Naming:
    return Naming(lists=NAMING_LISTS, root=root, patterns=PATTERNS)


# -- cutting broken parts off an item ------------------------------------------------


def _annotation_at(model: Any, path: KeyPath) -> list[str]:
    """What each step of `path` goes through: "model-required", "model-optional", "list",
    "dict" or "unknown" (an unknown key)."""
    steps: list[str] = []
    current: Any = model
    for part in path:
        if get_origin(current) in (Union, UnionType):
            # A union (X | None, str | ConsentFieldSpec): follow the member that fits.
            args = [a for a in get_args(current) if a is not type(None)]
            fitting = [a for a in args if _fits(a, part)]
            current = fitting[0] if fitting else (args[0] if args else None)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            info = _field_by_alias(current, part)
            if info is None:
                steps.append("unknown")
                current = None
                continue
            steps.append("model-required" if info.is_required() else "model-optional")
            current = info.annotation
        elif origin is list and isinstance(part, int):
            steps.append("list")
            current = (get_args(current) or (None,))[0]
        elif origin is dict and isinstance(part, str):
            steps.append("dict")
            current = (get_args(current) or (None, None))[1]
        else:
            steps.append("unknown")
            current = None
    return steps


def _fits(annotation: Any, part: str | int) -> bool:
    origin = get_origin(annotation)
    if isinstance(part, int):
        return origin is list
    return origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel))


def _field_by_alias(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _cut_point(model: type[BaseModel], loc: KeyPath) -> KeyPath | None:
    """The smallest part of the item, around the broken location, that can be cut off."""
    steps = _annotation_at(model, loc)
    for end in range(len(loc), 0, -1):
        if steps[end - 1] in ("list", "dict", "model-optional", "unknown"):
            return loc[:end]
    return None


def _prune(raw: Any, cuts: set[KeyPath], path: KeyPath, kept: dict[KeyPath, list[int]]) -> Any:
    if isinstance(raw, dict):
        return {k: _prune(v, cuts, (*path, k), kept) for k, v in raw.items() if (*path, k) not in cuts}
    if isinstance(raw, list):
        indices = [i for i in range(len(raw)) if (*path, i) not in cuts]
        if len(indices) != len(raw):
            kept[path] = indices
        return [_prune(raw[i], cuts, (*path, i), kept) for i in indices]
    return raw


def _to_raw(loc: KeyPath, kept: dict[KeyPath, list[int]]) -> KeyPath:
    raw: list[str | int] = []
    for part in loc:
        if isinstance(part, int) and tuple(raw) in kept:
            indices = kept[tuple(raw)]
            part = indices[part] if 0 <= part < len(indices) else part
        raw.append(part)
    return tuple(raw)


def salvage(
    model: type[S], raw: Any, error: ValidationError
) -> tuple[S | None, dict[KeyPath, list[int]], set[KeyPath]]:
    """The item without its broken parts, if what is left is still valid."""
    if not isinstance(raw, dict):
        return None, {}, set()
    cuts: set[KeyPath] = set()
    kept: dict[KeyPath, list[int]] = {}
    current = error
    for _ in range(6):
        for err in current.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
            cut = _cut_point(model, _to_raw(loc, kept))
            if cut is None:
                return None, {}, set()
            cuts.add(cut)
        kept = {}
        data = _prune(copy.deepcopy(raw), cuts, (), kept)
        try:
            return model.model_validate(data), kept, cuts
        except ValidationError as exc:
            current = exc
    return None, {}, set()


def _mark_cut_parts(parsed: ParsedBundle, raw: Any, cuts: set[KeyPath], owner: str) -> None:
    """Remember the ids of the fields and options that were cut off an item."""
    for cut in cuts:
        node = raw
        for part in cut:
            node = node.get(part) if isinstance(node, dict) else (
                node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node)
                else None)
        if len(cut) >= 2 and isinstance(cut[-1], int):
            parent = cut[-2]
            if isinstance(node, dict):
                if parent == "fields":
                    _mark_fields(parsed, [node])
                elif parent == "options":
                    parsed.mark_broken("option", f"{owner}/{node.get('id')}")


def _mark_fields(parsed: ParsedBundle, fields: Any) -> None:
    for raw in fields if isinstance(fields, list) else []:
        if isinstance(raw, dict):
            parsed.mark_broken("field", raw.get("id"))
            _mark_fields(parsed, raw.get("fields"))


def validate_item(
    parsed: ParsedBundle, model: type[S], raw: Any, source: Source, path: KeyPath, kind: str, root: str = ""
) -> Item[S] | None:
    """Validate one item; report its problems; keep what can be kept of it."""
    try:
        return Item(model.model_validate(raw), source, path)
    except ValidationError as exc:
        found = validation_problems(exc, source, path, model, naming(root))
        parsed.problems.extend(found)
        ident = raw.get("module" if kind == "policy" else "id") if isinstance(raw, dict) else None
        spec, kept, cuts = salvage(model, raw, exc)
        if spec is None:
            parsed.mark_broken(kind, ident)
            if kind == "section" and isinstance(raw, dict):
                # Keep its field ids known, so that references to them are not reported twice.
                _mark_fields(parsed, raw.get("fields"))
            if kind == "lookup" and isinstance(raw, dict):
                for option in raw.get("options") or []:
                    if isinstance(option, dict):
                        parsed.mark_broken("option", f"{ident}/{option.get('id')}")
            if kind == "module" and isinstance(ident, str) and isinstance(raw, dict):
                parsed.raw_modules[ident] = raw
            return None
        _mark_cut_parts(parsed, raw, cuts, str(ident))
        return Item(spec, source, path, kept=kept, dropped=cuts)


# -- files ---------------------------------------------------------------------------


def read_list_file(parsed: ParsedBundle, name: str) -> Source | None:
    allowed = LIST_FILES.get(name, {})
    source, problems = read_yaml(parsed.directory / name, display(parsed.directory, name))
    parsed.problems.extend(problems)
    if source is None:
        parsed.unreadable.update(KINDS[key] for key in allowed)
        return None
    if not isinstance(source.data, dict):
        keys = " and ".join(f"'{k}'" for k in allowed)
        parsed.problems.append(Problem(source.path, 1, f"expected a mapping with {keys}", code="wrong-type"))
        parsed.unreadable.update(KINDS[key] for key in allowed)
        return None
    meant: set[str] = set()
    for key in source.data:
        if key not in allowed:
            hint = _close(str(key), list(allowed))
            meant.update(k for k in allowed if hint == f" (did you mean '{k}'?)")
            parsed.problems.append(Problem(
                source.path, source.line(key),
                f"unknown key '{key}'{hint or ' (allowed: ' + ', '.join(allowed) + ')'}",
                code="unknown-key"))
    for key in allowed:
        if key not in source.data:
            # Nothing is known of these items: references to them cannot be called unknown.
            parsed.unreadable.add(KINDS[key])
            if key not in meant:  # a misspelt key is reported once, as unknown
                parsed.problems.append(Problem(source.path, 1, f"required key '{key}' is missing",
                                               code="missing-key"))
    return source


def _close(value: str, allowed: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, allowed, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def read_items(parsed: ParsedBundle, source: Source, key: str, model: type[S]) -> list[Item[S]]:
    """Validate each item of a top-level list on its own."""
    raw = source.data.get(key) if isinstance(source.data, dict) else None
    if raw is None:
        return []
    kind = KINDS[key]
    if not isinstance(raw, list):
        parsed.problems.append(Problem(source.path, source.line(key), f"{key}: expected a list",
                                       code="wrong-type"))
        parsed.unreadable.add(kind)
        return []
    items = []
    for index, value in enumerate(raw):
        item = validate_item(parsed, model, value, source, (key, index), kind)
        if item is not None:
            items.append(item)
    return items


def read_bundle_file(parsed: ParsedBundle) -> None:
    directory = parsed.directory
    source, problems = read_yaml(directory / "bundle.yaml", display(directory, "bundle.yaml"))
    parsed.problems.extend(problems)
    if source is None:
        return
    parsed.bundle = validate_item(parsed, BundleSpec, source.data, source, (), "bundle")
    if parsed.bundle is not None and not parsed.bundle.was_dropped("languages"):
        parsed.languages = list(parsed.bundle.spec.languages)
        parsed.admin_levels = {lvl.level for lvl in parsed.bundle.spec.admin_levels}
        return
    # bundle.yaml is broken: take what can be trusted of its languages and levels, so that
    # translations and locations are still checked.
    data = source.data if isinstance(source.data, dict) else {}
    languages = data.get("languages")
    if isinstance(languages, list):
        parsed.languages = [lang for lang in languages
                            if isinstance(lang, str) and re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", lang)]
    levels = data.get("admin_levels")
    if isinstance(levels, list):
        parsed.admin_levels = {lvl.get("level") for lvl in levels
                               if isinstance(lvl, dict) and isinstance(lvl.get("level"), int)}


def read_forms(parsed: ParsedBundle) -> None:
    directory = parsed.directory
    forms_dir = directory / "forms"
    form_files = sorted(forms_dir.glob("*.yaml")) if forms_dir.is_dir() else []
    if not form_files:
        parsed.problems.append(Problem(display(directory, "forms"), 1,
                                       "no form sections (expected forms/*.yaml)", code="no-items"))
    for path in form_files:
        source, problems = read_yaml(path, display(directory, f"forms/{path.name}"))
        parsed.problems.extend(problems)
        if source is None:
            # A section that cannot be read: its fields are unknown, so nothing that refers
            # to a field or a section can be called unknown.
            parsed.unreadable.update({"section", "field"})
            continue
        data = source.data
        ident = data.get("id") if isinstance(data, dict) else None
        root = f"form section '{ident}'" if isinstance(ident, str) else ""
        item = validate_item(parsed, FormSectionSpec, data, source, (), "section", root)
        if item is not None:
            parsed.sections.append(item)


def read_unexpected_files(parsed: ParsedBundle) -> None:
    directory = parsed.directory
    for child in sorted(directory.iterdir()):
        if child.name.startswith(".") or child.name in KNOWN_FILES or child.name == "forms":
            continue
        if child.name.lower().startswith("readme"):
            continue
        parsed.problems.append(
            Problem(display(directory, child.name), 1,
                    "unexpected file in a bundle (expected: bundle.yaml, modules.yaml, "
                    "lookups.yaml, forms/, locations.csv, agencies.yaml, roles.yaml, policy.yaml, "
                    "mapping.yaml)", code="unexpected-file")
        )


def read_files(parsed: ParsedBundle) -> None:
    """Read every file of the bundle into `parsed`, reporting structure problems."""
    read_unexpected_files(parsed)
    read_bundle_file(parsed)
    for name, keys in LIST_FILES.items():
        source = read_list_file(parsed, name)
        if source is None:
            continue
        for key, model in keys.items():
            getattr(parsed, key).extend(read_items(parsed, source, key, model))
    read_forms(parsed)
    if (parsed.directory / "mapping.yaml").is_file():
        source, problems = read_yaml(parsed.directory / "mapping.yaml",
                                     display(parsed.directory, "mapping.yaml"))
        parsed.problems.extend(problems)
        parsed.mapping = source
