"""What every check needs: the bundle's items indexed by id, and one way to report.

A `Context` is built once from a `ParsedBundle` after its files were read. It
knows which ids exist, which were broken (so that a reference to them is not
reported as unknown), and adds problems with their severity and machine code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.common.sourcefiles import ERROR, WARNING, Problem

from ..parsed import Item, ParsedBundle
from ..schema import (
    AgencySpec,
    FieldSpec,
    FormSectionSpec,
    LookupSpec,
    ModuleSpec,
    RoleSpec,
    UserGroupSpec,
)


@dataclass(frozen=True)
class FieldRef:
    """One occurrence of a field: the section (or subform) it is on and its path there."""

    item: Item[FormSectionSpec]
    spec: FieldSpec
    path: tuple[str | int, ...]

    @property
    def section(self) -> str:
        return self.item.spec.id

    def problem(self, message: str, *keys: str | int, severity: str = ERROR, code: str = "") -> Problem:
        return self.item.problem(message, *self.path, *keys, severity=severity, code=code)


@dataclass
class ModuleInfo:
    """What the policy and field checks need of a module, even when it is broken."""

    id: str
    core_fields: dict[str, str]
    system_lookups: dict[str, str]
    item: Item[ModuleSpec] | None
    #: True when some of its system lookups were broken: a missing one may just be broken.
    incomplete: bool = False


def field_scope(module: str, record_type: str = "case") -> str:
    """The key of `Context.fields` for a module's sections of one record type: the module id
    for cases, `MODULE@tracing_request` for tracing requests. A tracing request's data is
    its own: its fields are checked among themselves, never against the case's."""
    return module if record_type == "case" else f"{module}@{record_type}"


def did_you_mean(value: Any, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def listed(values: Iterable[str], limit: int = 12) -> str:
    """`a, b, c` or `a, b, ... (40 in all)` for long lists."""
    values = list(values)
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + f", ... ({len(values)} in all)"


@dataclass
class Context:
    parsed: ParsedBundle
    languages: list[str] = field(default_factory=list)
    levels: set[int] = field(default_factory=set)
    lookups: dict[str, Item[LookupSpec]] = field(default_factory=dict)
    #: Lookup id -> its option ids, in order.
    options: dict[str, list[str]] = field(default_factory=dict)
    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    sections: dict[str, Item[FormSectionSpec]] = field(default_factory=dict)
    #: Module id (`field_scope`) -> field id -> every occurrence (top-level fields of sections).
    fields: dict[str, dict[str, list[FieldRef]]] = field(default_factory=dict)
    agencies: dict[str, Item[AgencySpec]] = field(default_factory=dict)
    user_groups: dict[str, Item[UserGroupSpec]] = field(default_factory=dict)
    roles: dict[str, Item[RoleSpec]] = field(default_factory=dict)
    #: Lookup ids used by a field, a system lookup or the policy (for "unused" warnings).
    used_lookups: set[str] = field(default_factory=set)
    #: Set when a reference to a lookup could not be resolved: "unused" would then guess.
    lookup_refs_broken: bool = False
    #: Lookups that lost an option in the structure check: their options are not all known.
    incomplete_lookups: set[str] = field(default_factory=set)

    # -- reporting -------------------------------------------------------------------

    def add(self, problem: Problem) -> None:
        self.parsed.problems.append(problem)

    def error(self, item: Item[Any] | FieldRef, message: str, *keys: str | int, code: str) -> None:
        self.add(item.problem(message, *keys, severity=ERROR, code=code))

    def warning(self, item: Item[Any] | FieldRef, message: str, *keys: str | int, code: str) -> None:
        self.add(item.problem(message, *keys, severity=WARNING, code=code))

    # -- what exists ---------------------------------------------------------------

    def unknown(self, kind: str, ident: str, known: Iterable[str]) -> bool:
        """True when `ident` names nothing: not known, not broken, and its file was read.

        An id very close to a broken one (`closure_reason` when `closure reason` failed
        its structure check) is taken to mean it, and is not reported either.
        """
        if ident in known or self.parsed.is_broken(kind, ident):
            return False
        broken = self.parsed.broken.get(kind)
        return not (broken and difflib.get_close_matches(ident, list(broken), n=1, cutoff=0.85))

    def option_unknown(self, lookup: str, option: str) -> bool:
        """True when `option` is surely not an option of `lookup` (a known, intact lookup)."""
        if lookup not in self.options or lookup in self.incomplete_lookups:
            return False
        return option not in self.options[lookup] and not self.parsed.is_broken(
            "option", f"{lookup}/{option}")

    def field(self, module: str, ident: str) -> FieldRef | None:
        refs = self.fields.get(module, {}).get(ident)
        return refs[0] if refs else None

    def field_unknown(self, module: str, ident: str) -> bool:
        return self.field(module, ident) is None and not self.parsed.is_broken("field", ident)

    def lookup_options(self, lookup: str | None) -> list[str] | None:
        return self.options.get(lookup) if lookup else None


def unique(ctx: Context, items: list[Item[Any]], what: str) -> None:
    """Report every item whose id an earlier item of the same kind already has."""
    seen: dict[str, Item[Any]] = {}
    for item in items:
        ident = item.spec.id
        if ident in seen:
            first = seen[ident]
            ctx.error(item, f"duplicate {what} id '{ident}' (first defined at "
                      f"{first.source.path}:{first.line('id')})", "id", code="duplicate-id")
        else:
            seen[ident] = item


def build_context(parsed: ParsedBundle) -> Context:
    ctx = Context(parsed, languages=list(parsed.languages), levels=set(parsed.admin_levels))
    for broken in parsed.broken.get("option", set()):
        ctx.incomplete_lookups.add(broken.split("/", 1)[0])
    for item in parsed.lookups:
        ctx.lookups.setdefault(item.spec.id, item)
        ctx.options.setdefault(item.spec.id, [o.id for o in item.spec.options])
    for item in parsed.modules:
        if item.spec.id not in ctx.modules:
            ctx.modules[item.spec.id] = ModuleInfo(
                item.spec.id, item.spec.core_fields.model_dump(),
                item.spec.system_lookups.model_dump(exclude_none=True), item,
                incomplete=item.lost_keys() or item.lost_keys("system_lookups"))
            if ctx.modules[item.spec.id].incomplete:
                ctx.lookup_refs_broken = True
    for ident, raw in parsed.raw_modules.items():
        if ident in ctx.modules:
            continue
        core = raw.get("core_fields") if isinstance(raw.get("core_fields"), dict) else {}
        system = raw.get("system_lookups") if isinstance(raw.get("system_lookups"), dict) else {}
        ctx.modules[ident] = ModuleInfo(
            ident, {k: v for k, v in core.items() if isinstance(v, str)},
            {k: v for k, v in system.items() if isinstance(v, str)}, None, incomplete=True)
        ctx.lookup_refs_broken = True
    for item in parsed.sections:
        ctx.sections.setdefault(item.spec.id, item)
        module_fields = ctx.fields.setdefault(field_scope(item.spec.module, item.spec.record_type), {})
        for i, spec in enumerate(item.spec.fields):
            module_fields.setdefault(spec.id, []).append(FieldRef(item, spec, ("fields", i)))
    for item in parsed.agencies:
        ctx.agencies.setdefault(item.spec.id, item)
    for item in parsed.user_groups:
        ctx.user_groups.setdefault(item.spec.id, item)
    for item in parsed.roles:
        ctx.roles.setdefault(item.spec.id, item)
    return ctx
