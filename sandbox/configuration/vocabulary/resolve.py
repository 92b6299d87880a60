"""Turn SOP concepts into one bundle's ids, through its mapping.yaml.

A concept resolves, in this order, to: what `mapping.yaml` says; else the id of
the same name when the bundle has one (a bundle written with the vocabulary's
own names needs few lines of mapping); else nothing, and the caller says what
the implementer should map. A scenario plays in one module (`module: gbv`): the
mapping's `by_module.<module>` section, where there is one, comes before the
bundle-wide lines, so that `case_worker` is the GBV case worker in a GBV scenario
and the CP case worker everywhere else. Core fields resolve through the module's
`core_fields` and consent fields through the policy, so they need no mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef

from .concepts import CORE_FIELDS, KIND_WORDS, SYSTEM_LOOKUP_OF, VOCABULARY

#: Kinds whose value a bundle without the matching system lookup stores as written.
FREE_WITHOUT_LOOKUP = {"urgency"}


@dataclass(frozen=True)
class BundleIds:
    """The ids a mapping may point at, per kind (from a loaded or a parsed bundle)."""

    ids: dict[str, frozenset[str]]
    fields: frozenset[str] = frozenset()
    #: field id -> its option ids (fields with a lookup), and "FIELD.COLUMN" for subform columns.
    options: dict[str, frozenset[str]] = field(default_factory=dict)
    columns: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: BundleConfig, module: ModuleDef) -> BundleIds:
        def lookup(name: str | None) -> frozenset[str]:
            found = config.lookups.get(name or "")
            return frozenset(found.options) if found else frozenset()

        ids: dict[str, frozenset[str]] = {
            "modules": frozenset(config.modules), "roles": frozenset(config.roles),
            "agencies": frozenset(config.agencies),
            "user_groups": frozenset(config.user_groups), "locations": frozenset(config.locations),
        }
        for kind, system in SYSTEM_LOOKUP_OF.items():
            ids[kind] = lookup(module.system_lookups.get(system))
        if "consent" in ids:
            ids["consent"] = ids["consent"] & frozenset(module.policy.consent_fields) \
                if module.policy.consent_fields else ids["consent"]
        risk_field = module.fields.get(module.core_fields.get("risk_level", ""))
        ids["risk"] = lookup(risk_field.lookup if risk_field else None)
        providers: frozenset[str] = frozenset()
        for code in module.policy.consent_providers.values():
            chosen = module.fields.get(code)
            providers |= lookup(chosen.lookup if chosen else None)
        ids["providers"] = providers
        options, columns = field_options(
            ((code, f.lookup, [(c.code, c.lookup) for c in f.columns])
             for code, f in module.fields.items()), lookup)
        return cls(ids=ids, fields=frozenset(module.fields), options=options, columns=columns)


#: A field as `field_options` reads it: id, lookup id, and its subform columns (id, lookup id).
FieldShape = tuple[str, str | None, list[tuple[str, str | None]]]


def field_options(fields: Iterable[FieldShape], lookup: Callable[[str | None], frozenset[str]],
                  ) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The option ids of each field ("FIELD.COLUMN" for subform columns) and the columns of
    each subform, from fields given as `FieldShape`s (a loaded or a parsed bundle's)."""
    options: dict[str, frozenset[str]] = {}
    columns: dict[str, frozenset[str]] = {}
    for code, lookup_id, subform in fields:
        if lookup_id:
            options[code] = lookup(lookup_id)
        if subform:
            columns[code] = frozenset(column for column, _lookup in subform)
            for column, column_lookup in subform:
                if column_lookup:
                    options[f"{code}.{column}"] = lookup(column_lookup)
    return options, columns


def module_for(config: BundleConfig, concept: str) -> ModuleDef | None:
    """The bundle's module for a scenario's module concept (`cp`, `gbv`): as mapping.yaml
    says, else the module of that id."""
    mapped = (config.mapping.get("modules") or {}).get(concept)
    return config.modules.get(mapped if isinstance(mapped, str) else concept)


def module_concept(config: BundleConfig, module: ModuleDef) -> str:
    """The scenario concept (`cp`, `gbv`) of a bundle's module: the concept mapping.yaml maps
    to it, else its own id."""
    modules = config.mapping.get("modules") if isinstance(config.mapping, dict) else None
    for concept, mapped in (modules or {}).items():
        if mapped == module.code:
            return str(concept)
    return module.code


def module_section(mapping: Any, concept: str) -> dict[str, Any]:
    """The `by_module.<concept>` section of a mapping (empty when there is none)."""
    by_module = mapping.get("by_module") if isinstance(mapping, dict) else None
    section = by_module.get(concept) if isinstance(by_module, dict) else None
    return section if isinstance(section, dict) else {}


def unmapped(kind: str, concept: str) -> str:
    """The sentence an implementer acts on when a concept has no id in the bundle."""
    word = KIND_WORDS.get(kind, kind)
    if kind == "roles":
        return f"the bundle has no role for '{concept}': map `roles.{concept}` in mapping.yaml"
    return f"the bundle has no {word} for '{concept}': map `{kind}.{concept}` in mapping.yaml"


class Resolver:
    """Concept -> id for one bundle and module (pure: reads only the runtime configuration)."""

    def __init__(self, config: BundleConfig, module: ModuleDef) -> None:
        self.config = config
        self.module = module
        self.mapping: dict[str, Any] = config.mapping if isinstance(config.mapping, dict) else {}
        self.own = module_section(self.mapping, module_concept(config, module))
        self.ids = BundleIds.from_config(config, module)

    def _map(self, kind: str) -> dict[str, Any]:
        """The lines of one kind: the module's own (`by_module`) over the bundle-wide ones."""
        value = self.mapping.get(kind)
        own = self.own.get(kind)
        return {**(value if isinstance(value, dict) else {}),
                **(own if isinstance(own, dict) else {})}

    def has_lookup(self, kind: str) -> bool:
        system = SYSTEM_LOOKUP_OF.get(kind)
        return system is None or bool(self.module.system_lookups.get(system))

    def id(self, kind: str, concept: Any) -> str | None:
        """The bundle's id for a concept of `kind`, or None."""
        if not isinstance(concept, str):
            return None
        valid = self.ids.ids.get(kind, frozenset())
        mapped = self._map(kind).get(concept)
        if isinstance(mapped, str) and mapped in valid:
            return mapped
        if concept in valid:
            return concept
        if kind in FREE_WITHOUT_LOOKUP and not self.has_lookup(kind):
            return concept
        return None

    # -- fields ----------------------------------------------------------------------------

    def field(self, concept: str) -> FieldDef | None:
        """The module's field for a field concept, or None."""
        fields = self.module.fields
        if concept in CORE_FIELDS:
            return fields.get(self.module.core_fields.get(concept, ""))
        if concept.startswith("consent_") and concept[8:] in VOCABULARY["consent"]:
            kind = self.id("consent", concept[8:])
            code = self.module.policy.consent_fields.get(kind or "")
            if code is not None:
                return fields.get(code)
        mapped = self._map("fields").get(concept)
        if isinstance(mapped, str) and mapped in fields:
            return fields[mapped]
        return fields.get(concept)

    def column(self, field_concept: str, field_def: FieldDef, concept: str) -> FieldDef | None:
        columns = {c.code: c for c in field_def.columns}
        mapped = self._map("fields").get(f"{field_concept}.{concept}")
        if isinstance(mapped, str) and mapped in columns:
            return columns[mapped]
        return columns.get(concept)

    def option(self, field_concept: str, field_def: FieldDef, value: Any) -> str | None:
        """The option id for an option concept of a field (through its own map, the kind of
        its lookup, or the same id)."""
        if not isinstance(value, str) or not field_def.lookup:
            return None
        lookup = self.config.lookups.get(field_def.lookup)
        valid = set(lookup.options) if lookup else set()
        by_field = self._map("options").get(field_concept)
        if isinstance(by_field, dict) and isinstance(by_field.get(value), str) \
                and by_field[value] in valid:
            return str(by_field[value])
        if value in valid:
            return value
        kind = self.kind_of_lookup(field_def.lookup)
        if kind is not None:
            found = self.id(kind, value)
            if found in valid:
                return found
        return None

    def kind_of_lookup(self, lookup: str) -> str | None:
        """The concept kind whose values are the options of `lookup` (service kinds...)."""
        for kind, system in SYSTEM_LOOKUP_OF.items():
            if self.module.system_lookups.get(system) == lookup:
                return kind
        risk = self.module.fields.get(self.module.core_fields.get("risk_level", ""))
        if risk is not None and risk.lookup == lookup:
            return "risk"
        for code in self.module.policy.consent_providers.values():
            chosen = self.module.fields.get(code)
            if chosen is not None and chosen.lookup == lookup:
                return "providers"
        return None
