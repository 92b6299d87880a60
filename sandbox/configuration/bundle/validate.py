"""Validate a configuration bundle: every problem, each with its file and line.

`validate_bundle(directory)` never stops at the first problem. It parses every
file, checks each item's structure on its own (so one broken lookup does not hide
the problems of the next), then checks the references between files. Items that
failed the structure check are remembered by id, so that references to them are
not reported a second time as "unknown".
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from sandbox.common.actions import ACTION_NAMES
from sandbox.common.sourcefiles import KeyPath, Problem, Source, read_yaml, validation_problems

from .schema import (
    LIST_FILES,
    LOOKUP_TYPES,
    AgencySpec,
    BundleSpec,
    FieldSpec,
    FormSectionSpec,
    LookupSpec,
    ModuleSpec,
    PolicySpec,
    RoleSpec,
    Spec,
    UserGroupSpec,
    permission_parts,
)

S = TypeVar("S", bound=Spec)

CORE_FIELD_TYPES: dict[str, set[str]] = {
    "name_first": {"text"},
    "name_last": {"text"},
    "sex": {"select", "radio"},
    "date_of_birth": {"date"},
    "age": {"number"},
    "location": {"location"},
    "risk_level": {"select", "radio"},
}
KNOWN_FILES = {"bundle.yaml", "locations.csv", "mapping.yaml", *LIST_FILES}


@dataclass
class Item(Generic[S]):
    """A validated item and where it came from."""

    spec: S
    source: Source
    path: KeyPath

    def line(self, *keys: str | int) -> int:
        return self.source.line(*(self.path + keys))

    def problem(self, message: str, *keys: str | int) -> Problem:
        return self.source.problem(message, *(self.path + keys))


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
    broken: dict[str, set[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def sorted_problems(self) -> list[Problem]:
        return sorted(set(self.problems))


def _display(directory: Path, name: str) -> str:
    return str(directory / name)


def _items(
    parsed: ParsedBundle, source: Source, key: str, model: type[S], kind: str
) -> list[Item[S]]:
    """Validate each item of a top-level list on its own."""
    raw = source.data.get(key) if isinstance(source.data, dict) else None
    if raw is None:
        return []
    if not isinstance(raw, list):
        parsed.problems.append(source.problem(f"{key}: expected a list", key))
        return []
    items: list[Item[S]] = []
    for index, value in enumerate(raw):
        try:
            spec = model.model_validate(value)
        except ValidationError as exc:
            parsed.problems.extend(validation_problems(exc, source, (key, index), model))
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                parsed.broken.setdefault(kind, set()).add(value["id"])
            continue
        items.append(Item(spec, source, (key, index)))
    return items


def _read_list_file(parsed: ParsedBundle, name: str) -> Source | None:
    path = parsed.directory / name
    source, problems = read_yaml(path, _display(parsed.directory, name))
    parsed.problems.extend(problems)
    if source is None:
        return None
    allowed = LIST_FILES.get(name, {})
    if not isinstance(source.data, dict):
        keys = " and ".join(f"'{k}'" for k in allowed)
        parsed.problems.append(source.problem(f"expected a mapping with {keys}"))
        return None
    for key in source.data:
        if key not in allowed:
            parsed.problems.append(
                source.problem(f"unknown key '{key}' (allowed: {', '.join(allowed)})", key)
            )
    for key in allowed:
        if key not in source.data:
            parsed.problems.append(source.problem(f"required key '{key}' is missing"))
    return source


def validate_bundle(directory: Path) -> ParsedBundle:
    """Parse and check every file of the bundle in `directory`."""
    parsed = ParsedBundle(directory=directory)
    if not directory.is_dir():
        parsed.problems.append(Problem(str(directory), 1, "not a directory"))
        return parsed

    for child in sorted(directory.iterdir()):
        if child.name.startswith(".") or child.name in KNOWN_FILES or child.name == "forms":
            continue
        if child.name.lower().startswith("readme"):
            continue
        parsed.problems.append(
            Problem(_display(directory, child.name), 1,
                    "unexpected file in a bundle (expected: bundle.yaml, modules.yaml, "
                    "lookups.yaml, forms/, locations.csv, agencies.yaml, roles.yaml, policy.yaml, "
                    "mapping.yaml)")
        )

    source, problems = read_yaml(directory / "bundle.yaml", _display(directory, "bundle.yaml"))
    parsed.problems.extend(problems)
    if source is not None:
        try:
            parsed.bundle = Item(BundleSpec.model_validate(source.data), source, ())
        except ValidationError as exc:
            parsed.problems.extend(validation_problems(exc, source, (), BundleSpec))

    kinds = {"modules": "module", "lookups": "lookup", "agencies": "agency",
             "user_groups": "user_group", "roles": "role", "policies": "policy"}
    for name, keys in LIST_FILES.items():
        source = _read_list_file(parsed, name)
        if source is None:
            continue
        for key, model in keys.items():
            getattr(parsed, key).extend(_items(parsed, source, key, model, kinds[key]))

    forms_dir = directory / "forms"
    form_files = sorted(forms_dir.glob("*.yaml")) if forms_dir.is_dir() else []
    if not form_files:
        parsed.problems.append(Problem(_display(directory, "forms"), 1,
                                       "no form sections (expected forms/*.yaml)"))
    for path in form_files:
        source, problems = read_yaml(path, _display(directory, f"forms/{path.name}"))
        parsed.problems.extend(problems)
        if source is None:
            continue
        try:
            spec = FormSectionSpec.model_validate(source.data)
        except ValidationError as exc:
            parsed.problems.extend(validation_problems(exc, source, (), FormSectionSpec))
            if isinstance(source.data, dict) and isinstance(source.data.get("id"), str):
                parsed.broken.setdefault("section", set()).add(source.data["id"])
                # Keep its field ids known, so that references to them are not reported twice.
                for raw in source.data.get("fields") or []:
                    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                        parsed.broken.setdefault("field", set()).add(raw["id"])
            continue
        parsed.sections.append(Item(spec, source, ()))

    if (directory / "mapping.yaml").is_file():
        source, problems = read_yaml(directory / "mapping.yaml", _display(directory, "mapping.yaml"))
        parsed.problems.extend(problems)
        parsed.mapping = source

    _read_locations(parsed)
    if parsed.bundle is not None:
        _check_references(parsed)
    return parsed


# -- locations ---------------------------------------------------------------------


def _read_locations(parsed: ParsedBundle) -> None:
    display = _display(parsed.directory, "locations.csv")
    parsed.locations_path = display
    path = parsed.directory / "locations.csv"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        parsed.problems.append(Problem(display, 1, "file not found"))
        return
    except UnicodeDecodeError as exc:
        parsed.problems.append(Problem(display, 1, f"not UTF-8 text ({exc.reason})"))
        return
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        parsed.problems.append(Problem(display, 1, "empty file (expected a header row)"))
        return
    except csv.Error as exc:
        parsed.problems.append(Problem(display, 1, f"CSV syntax error: {exc}"))
        return
    header = [h.strip() for h in header]
    languages = parsed.bundle.spec.languages if parsed.bundle else []
    expected = ["code", "parent", "admin_level", *(f"name_{lang}" for lang in languages)]
    for column in expected:
        if column not in header:
            parsed.problems.append(Problem(display, 1, f"missing column '{column}'"))
    for column in header:
        if column not in expected and not column.startswith("name_"):
            parsed.problems.append(Problem(display, 1, f"unknown column '{column}'"))
        elif column.startswith("name_") and column not in expected and languages:
            parsed.problems.append(
                Problem(display, 1, f"column '{column}' is for a language the bundle does not declare")
            )
    if any(c not in header for c in ("code", "parent", "admin_level")):
        return
    index = {name: header.index(name) for name in header}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.problems.append(Problem(display, reader.line_num, f"CSV syntax error: {exc}"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            parsed.problems.append(
                Problem(display, line, f"expected {len(header)} columns, found {len(row)}")
            )
            continue
        level_text = row[index["admin_level"]].strip()
        try:
            level = int(level_text)
        except ValueError:
            parsed.problems.append(
                Problem(display, line, f"admin_level '{level_text}' is not a whole number")
            )
            continue
        names = {
            lang: row[index[f"name_{lang}"]].strip()
            for lang in languages
            if f"name_{lang}" in index
        }
        parsed.locations.append(
            LocationRow(row[index["code"]].strip(), row[index["parent"]].strip(), level, names, line)
        )


def _check_locations(parsed: ParsedBundle, levels: set[int]) -> None:
    display = parsed.locations_path
    by_code: dict[str, LocationRow] = {}
    for row in parsed.locations:
        if not row.code:
            parsed.problems.append(Problem(display, row.line, "empty code"))
            continue
        if row.code in by_code:
            parsed.problems.append(
                Problem(display, row.line,
                        f"duplicate code '{row.code}' (first on line {by_code[row.code].line})")
            )
            continue
        by_code[row.code] = row
        if row.admin_level not in levels:
            parsed.problems.append(
                Problem(display, row.line,
                        f"admin_level {row.admin_level} is not declared in bundle.yaml")
            )
        for lang, name in row.names.items():
            if not name:
                parsed.problems.append(
                    Problem(display, row.line, f"location '{row.code}': missing name_{lang}")
                )
    if not by_code:
        parsed.problems.append(Problem(display, 1, "no locations"))
    for row in by_code.values():
        if not row.parent:
            if row.admin_level != 0:
                parsed.problems.append(
                    Problem(display, row.line,
                            f"location '{row.code}' at level {row.admin_level} has no parent")
                )
            continue
        parent = by_code.get(row.parent)
        if parent is None:
            parsed.problems.append(
                Problem(display, row.line,
                        f"location '{row.code}': parent '{row.parent}' does not exist")
            )
        elif parent.admin_level != row.admin_level - 1:
            parsed.problems.append(
                Problem(display, row.line,
                        f"location '{row.code}' (level {row.admin_level}): parent '{row.parent}' "
                        f"is at level {parent.admin_level}, expected {row.admin_level - 1}")
            )
    # Cycles: follow parents; a chain that comes back to a visited code is a cycle.
    reported: set[str] = set()
    for start in by_code.values():
        seen: list[str] = []
        code = start.code
        while code and code in by_code and code not in seen:
            seen.append(code)
            code = by_code[code].parent
        if code in seen:
            cycle = seen[seen.index(code):]
            if not reported.intersection(cycle):
                reported.update(cycle)
                first = by_code[cycle[0]]
                chain = " -> ".join([*cycle, cycle[0]])
                parsed.problems.append(
                    Problem(display, first.line, f"locations form a cycle: {chain}")
                )


# -- references between files ------------------------------------------------------


class _Checker:
    def __init__(self, parsed: ParsedBundle) -> None:
        self.parsed = parsed
        assert parsed.bundle is not None
        self.languages = list(parsed.bundle.spec.languages)
        self.problems = parsed.problems

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def broken(self, kind: str, ident: str) -> bool:
        return ident in self.parsed.broken.get(kind, set())

    def text(self, item: Item[Any], value: dict[str, str] | None, what: str, *keys: str | int) -> None:
        """A translated text must have every declared language, and only those."""
        if value is None:
            return
        for lang in self.languages:
            if not (value.get(lang) or "").strip():
                self.add(item.problem(f"{what}: missing '{lang}' translation", *keys))
        for lang in value:
            if lang not in self.languages:
                self.add(item.problem(
                    f"{what}: language '{lang}' is not declared in bundle.yaml", *keys, lang))

    def unique(self, items: list[Item[Any]], what: str, keys: KeyPath = ()) -> dict[str, Item[Any]]:
        seen: dict[str, Item[Any]] = {}
        for item in items:
            ident = item.spec.id
            if ident in seen:
                first = seen[ident]
                self.add(item.problem(
                    f"duplicate {what} id '{ident}' (first defined at "
                    f"{first.source.path}:{first.line('id')})", *keys, "id"))
            else:
                seen[ident] = item
        return seen


def _check_references(parsed: ParsedBundle) -> None:
    check = _Checker(parsed)
    bundle = parsed.bundle
    assert bundle is not None

    # bundle.yaml
    check.text(bundle, bundle.spec.name, "name", "name")
    check.text(bundle, bundle.spec.description, "description", "description")
    for lang, count in Counter(bundle.spec.languages).items():
        if count > 1:
            check.add(bundle.problem(f"language '{lang}' is listed twice", "languages"))
    levels = [lvl.level for lvl in bundle.spec.admin_levels]
    if sorted(levels) != list(range(len(levels))):
        check.add(bundle.problem(
            f"admin levels must be 0, 1, 2, ... without gaps or repeats (found {levels})",
            "admin_levels"))
    for i, lvl in enumerate(bundle.spec.admin_levels):
        check.text(bundle, lvl.name, f"admin level {lvl.level} name", "admin_levels", i, "name")
    _check_locations(parsed, set(levels))

    # lookups
    lookups = check.unique(parsed.lookups, "lookup")
    options: dict[str, set[str]] = {}
    for item in parsed.lookups:
        spec = item.spec
        check.text(item, spec.name, f"lookup '{spec.id}' name", "name")
        seen: set[str] = set()
        for i, option in enumerate(spec.options):
            if option.id in seen:
                check.add(item.problem(
                    f"lookup '{spec.id}': duplicate option id '{option.id}'", "options", i, "id"))
            seen.add(option.id)
            check.text(item, option.label, f"lookup '{spec.id}' option '{option.id}' label",
                       "options", i, "label")
            check.text(item, option.description,
                       f"lookup '{spec.id}' option '{option.id}' description",
                       "options", i, "description")
        options.setdefault(spec.id, seen)

    def lookup_known(ident: str) -> bool:
        return ident in lookups or check.broken("lookup", ident)

    # modules
    modules = check.unique(parsed.modules, "module")
    for item in parsed.modules:
        check.text(item, item.spec.name, f"module '{item.spec.id}' name", "name")
        for key, ident in item.spec.system_lookups.model_dump(exclude_none=True).items():
            if not lookup_known(ident):
                check.add(item.problem(
                    f"system lookup '{key}': unknown lookup '{ident}'", "system_lookups", key))

    # form sections and fields, per module
    sections = check.unique(parsed.sections, "form section")
    fields_by_module: dict[str, dict[str, tuple[Item[FormSectionSpec], FieldSpec, KeyPath]]] = {}
    for item in parsed.sections:
        spec = item.spec
        if spec.module not in modules and not check.broken("module", spec.module):
            check.add(item.problem(f"form section '{spec.id}': unknown module '{spec.module}'",
                                   "module"))
        check.text(item, spec.name, f"form section '{spec.id}' name", "name")
        check.text(item, spec.help, f"form section '{spec.id}' help", "help")
        module_fields = fields_by_module.setdefault(spec.module, {})
        for i, fld in enumerate(spec.fields):
            path: KeyPath = ("fields", i)
            if fld.id in module_fields:
                other_item, _, other_path = module_fields[fld.id]
                check.add(item.problem(
                    f"duplicate field id '{fld.id}' in module '{spec.module}' (first defined at "
                    f"{other_item.source.path}:{other_item.line(*other_path)})", *path, "id"))
                continue
            module_fields[fld.id] = (item, fld, path)

    for item in parsed.sections:
        module_fields = fields_by_module.get(item.spec.module, {})
        for i, fld in enumerate(item.spec.fields):
            _check_field(check, item, fld, ("fields", i), module_fields, options, lookup_known,
                         levels, nested=False)

    # core fields of each module
    for item in parsed.modules:
        module_fields = fields_by_module.get(item.spec.id, {})
        for key, ident in item.spec.core_fields.model_dump().items():
            entry = module_fields.get(ident)
            if entry is None:
                if not check.broken("field", ident):
                    check.add(item.problem(
                        f"core field '{key}': unknown field '{ident}' in module '{item.spec.id}'",
                        "core_fields", key))
                continue
            if entry[1].type not in CORE_FIELD_TYPES[key]:
                allowed = " or ".join(sorted(CORE_FIELD_TYPES[key]))
                check.add(item.problem(
                    f"core field '{key}': field '{ident}' is a {entry[1].type}, expected {allowed}",
                    "core_fields", key))

    # agencies and groups
    service_types: set[str] = set()
    for module in parsed.modules:
        service_types |= options.get(module.spec.system_lookups.service_type, set())
    agencies = check.unique(parsed.agencies, "agency", ())
    for item in parsed.agencies:
        check.text(item, item.spec.name, f"agency '{item.spec.id}' name", "name")
        for i, service in enumerate(item.spec.services):
            if parsed.modules and service not in service_types:
                check.add(item.problem(
                    f"agency '{item.spec.id}': unknown service type '{service}'", "services", i))
    check.unique(parsed.user_groups, "user group")
    for item in parsed.user_groups:
        check.text(item, item.spec.name, f"user group '{item.spec.id}' name", "name")
        key = "agency" if item.spec.agency is not None else "agencies"
        for agency in item.spec.agency_ids:
            if agency not in agencies and not check.broken("agency", agency):
                check.add(item.problem(
                    f"user group '{item.spec.id}': unknown agency '{agency}'", key))
    if not parsed.agencies:
        check.add(Problem(_display(parsed.directory, "agencies.yaml"), 1, "no agencies"))

    # roles
    check.unique(parsed.roles, "role")
    for item in parsed.roles:
        spec = item.spec
        check.text(item, spec.name, f"role '{spec.id}' name", "name")
        for i, permission in enumerate(spec.permissions):
            if permission_parts(permission)[0] not in ACTION_NAMES:
                check.add(item.problem(
                    f"role '{spec.id}': unknown action '{permission}' in permissions",
                    "permissions", i))
        for section_id in spec.forms:
            if section_id != "*" and section_id not in sections and not check.broken(
                "section", section_id
            ):
                check.add(item.problem(
                    f"role '{spec.id}': unknown form section '{section_id}'", "forms", section_id))

    # policies
    policed: dict[str, Item[PolicySpec]] = {}
    for item in parsed.policies:
        _check_policy(check, item, modules, fields_by_module, options, policed)
    for ident, module in modules.items():
        if ident not in policed and not check.broken("policy", ident):
            check.add(module.problem(f"module '{ident}' has no policy in policy.yaml", "id"))


def _check_field(
    check: _Checker,
    item: Item[FormSectionSpec],
    fld: FieldSpec,
    path: KeyPath,
    module_fields: dict[str, tuple[Item[FormSectionSpec], FieldSpec, KeyPath]],
    options: dict[str, set[str]],
    lookup_known: Any,
    levels: list[int],
    nested: bool,
) -> None:
    what = f"field '{fld.id}'"
    check.text(item, fld.label, f"{what} label", *path, "label")
    check.text(item, fld.help, f"{what} help", *path, "help")
    if fld.type in LOOKUP_TYPES:
        if fld.lookup is None:
            check.add(item.problem(f"{what}: a {fld.type} needs a 'lookup'", *path))
        elif not lookup_known(fld.lookup):
            check.add(item.problem(f"{what}: unknown lookup '{fld.lookup}'", *path, "lookup"))
    elif fld.lookup is not None:
        check.add(item.problem(f"{what}: a {fld.type} field takes no 'lookup'", *path, "lookup"))
    if fld.type != "number" and (fld.min is not None or fld.max is not None):
        check.add(item.problem(f"{what}: 'min' and 'max' apply to number fields only", *path))
    if fld.min is not None and fld.max is not None and fld.min > fld.max:
        check.add(item.problem(f"{what}: min {fld.min} is greater than max {fld.max}", *path, "min"))
    if fld.admin_level is not None:
        if fld.type != "location":
            check.add(item.problem(f"{what}: 'admin_level' applies to location fields only",
                                   *path, "admin_level"))
        elif fld.admin_level not in levels:
            check.add(item.problem(f"{what}: admin level {fld.admin_level} is not declared",
                                   *path, "admin_level"))
    if fld.type == "subform":
        if nested:
            check.add(item.problem(f"{what}: subforms cannot be nested", *path, "type"))
        elif not fld.fields:
            check.add(item.problem(f"{what}: a subform needs 'fields'", *path))
        else:
            columns: dict[str, tuple[Item[FormSectionSpec], FieldSpec, KeyPath]] = {}
            for i, column in enumerate(fld.fields):
                column_path = (*path, "fields", i)
                if column.id in columns:
                    check.add(item.problem(
                        f"subform '{fld.id}': duplicate column id '{column.id}'", *column_path, "id"))
                columns[column.id] = (item, column, column_path)
            for i, column in enumerate(fld.fields):
                _check_field(check, item, column, (*path, "fields", i),
                             {**module_fields, **columns}, options, lookup_known, levels, nested=True)
    elif fld.fields is not None:
        check.add(item.problem(f"{what}: only a subform takes 'fields'", *path, "fields"))

    if fld.show_if is not None:
        cond = fld.show_if
        target = module_fields.get(cond.field)
        if cond.field is None:
            return
        if (cond.equals is None) == (cond.in_ is None):
            check.add(item.problem(f"{what}: show_if needs exactly one of 'equals' or 'in'",
                                   *path, "show_if"))
        if cond.field == fld.id:
            check.add(item.problem(f"{what}: show_if refers to the field itself",
                                   *path, "show_if", "field"))
        elif target is None:
            if not check.broken("field", cond.field):
                check.add(item.problem(f"{what}: show_if names unknown field '{cond.field}'",
                                       *path, "show_if", "field"))
        else:
            target_field = target[1]
            values = [cond.equals] if cond.equals is not None else list(cond.in_ or [])
            for value in values:
                problem = _value_problem(target_field, value, options)
                if problem:
                    check.add(item.problem(f"{what}: show_if value {problem}", *path, "show_if"))


def _value_problem(target: FieldSpec, value: Any, options: dict[str, set[str]]) -> str | None:
    if target.type == "tick_box":
        if not isinstance(value, bool):
            return f"'{value}' must be true or false for tick box '{target.id}'"
    elif target.type in LOOKUP_TYPES and target.lookup in options:
        if str(value) not in options[target.lookup]:
            return f"'{value}' is not an option of lookup '{target.lookup}' (field '{target.id}')"
    elif target.type == "number" and not isinstance(value, int):
        return f"'{value}' must be a number for field '{target.id}'"
    return None


def _check_policy(
    check: _Checker,
    item: Item[PolicySpec],
    modules: dict[str, Item[ModuleSpec]],
    fields_by_module: dict[str, dict[str, tuple[Item[FormSectionSpec], FieldSpec, KeyPath]]],
    options: dict[str, set[str]],
    policed: dict[str, Item[PolicySpec]],
) -> None:
    spec = item.spec
    if spec.module in policed:
        check.add(item.problem(f"module '{spec.module}' has a second policy", "module"))
        return
    policed[spec.module] = item
    module = modules.get(spec.module)
    if module is None:
        if not check.broken("module", spec.module):
            check.add(item.problem(f"policy: unknown module '{spec.module}'", "module"))
        return
    module_fields = fields_by_module.get(spec.module, {})

    risk_field = module_fields.get(module.spec.core_fields.risk_level)
    risk_levels = options.get(risk_field[1].lookup or "", set()) if risk_field else set()
    for task, per_level in spec.deadlines.items():
        if not risk_levels:
            break
        for level in per_level:
            if level not in risk_levels:
                check.add(item.problem(
                    f"policy '{spec.module}': deadline for unknown risk level '{level}' "
                    f"(risk levels: {', '.join(sorted(risk_levels))})",
                    "deadlines", task, level))

    consent_lookup = module.spec.system_lookups.consent_type
    consent_types = options.get(consent_lookup)
    given = spec.consent.given_values()
    for consent_type, field_id in spec.consent.field_ids().items():
        if consent_types is not None and consent_type not in consent_types:
            check.add(item.problem(
                f"policy '{spec.module}': '{consent_type}' is not an option of lookup "
                f"'{consent_lookup}'", "consent", "fields", consent_type))
        target = module_fields.get(field_id)
        if target is None:
            if not check.broken("field", field_id):
                check.add(item.problem(
                    f"policy '{spec.module}': consent field '{field_id}' does not exist",
                    "consent", "fields", consent_type))
        elif given[consent_type] is True and target[1].type != "tick_box":
            check.add(item.problem(
                f"policy '{spec.module}': consent field '{field_id}' must be a tick_box, "
                f"not a {target[1].type}", "consent", "fields", consent_type))
    for action, needed in spec.consent.required.items():
        if action not in ACTION_NAMES:
            check.add(item.problem(f"policy '{spec.module}': unknown action '{action}'",
                                   "consent", "required", action))
        for i, consent_type in enumerate(needed):
            if consent_type not in spec.consent.fields:
                check.add(item.problem(
                    f"policy '{spec.module}': '{action}' requires consent '{consent_type}', "
                    f"which has no field in consent.fields", "consent", "required", action, i))
