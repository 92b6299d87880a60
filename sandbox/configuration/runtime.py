"""The configuration of a bundle as plain, immutable Python objects, cached in memory.

Validating a form value, rendering a form and checking a permission happen on
every request; reading a dozen tables each time would be slow. A `BundleConfig`
is built once per bundle and reused until the bundle is loaded again (its
`loaded_at` changes, which every process notices on its next request).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.common.i18n import pick

from . import models as m


@dataclass(frozen=True)
class OptionDef:
    code: str
    label: dict[str, str]
    description: dict[str, str]

    def text(self, language: str | None = None) -> str:
        return pick(self.label, language) or self.code


@dataclass(frozen=True)
class LookupDef:
    code: str
    name: dict[str, str]
    options: dict[str, OptionDef]

    def label(self, code: str, language: str | None = None) -> str:
        option = self.options.get(code)
        return option.text(language) if option else code


@dataclass(frozen=True)
class FieldDef:
    code: str
    type: str
    label: dict[str, str]
    help: dict[str, str]
    required: bool
    lookup: str | None
    min_value: int | None
    max_value: int | None
    admin_level: int | None
    show_if: dict[str, Any] | None
    section: str
    columns: tuple[FieldDef, ...] = ()


@dataclass(frozen=True)
class SectionDef:
    code: str
    module: str
    step: str
    order: int
    name: dict[str, str]
    help: dict[str, str]
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class RoleDef:
    code: str
    name: dict[str, str]
    scope: str
    permissions: frozenset[str]
    form_access: dict[str, str]
    referral_recipient: bool

    def can(self, action: str) -> bool:
        return action in self.permissions

    def section_access(self, section: str) -> str | None:
        """'read_write', 'read' or None (no access) for a form section."""
        return self.form_access.get(section, self.form_access.get("*"))


@dataclass(frozen=True)
class PolicyDef:
    deadlines: dict[str, dict[str, str]]
    upcoming_days: int
    approvals: dict[str, dict[str, Any]]
    consent_fields: dict[str, str]
    consent_required: dict[str, list[str]]

    def approval_required(self, kind: str) -> bool:
        return bool(self.approvals.get(kind, {}).get("required"))


@dataclass(frozen=True)
class ModuleDef:
    code: str
    name: dict[str, str]
    core_fields: dict[str, str]
    system_lookups: dict[str, str]
    sections: tuple[SectionDef, ...]
    fields: dict[str, FieldDef]
    policy: PolicyDef

    def section(self, code: str) -> SectionDef | None:
        return next((s for s in self.sections if s.code == code), None)


@dataclass(frozen=True)
class LocationDef:
    code: str
    parent: str | None
    admin_level: int
    name: dict[str, str]
    path: str


@dataclass(frozen=True)
class AgencyDef:
    code: str
    name: dict[str, str]
    short_name: str
    type: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class BundleConfig:
    code: str
    version: int
    name: dict[str, str]
    languages: tuple[str, ...]
    admin_levels: tuple[dict[str, Any], ...]
    modules: dict[str, ModuleDef]
    lookups: dict[str, LookupDef]
    roles: dict[str, RoleDef]
    agencies: dict[str, AgencyDef]
    user_groups: dict[str, dict[str, Any]]
    locations: dict[str, LocationDef] = field(repr=False)
    loaded_at: datetime | None = None
    #: The bundle's `mapping.yaml` (SOP concept -> id), empty when it has none.
    mapping: dict[str, Any] = field(default_factory=dict, repr=False)

    def location_name(self, code: str | None, language: str | None = None) -> str:
        if not code:
            return ""
        loc = self.locations.get(code)
        return pick(loc.name, language) if loc else code

    def location_label(self, code: str | None, language: str | None = None) -> str:
        """The place with its parents, most specific first: "Ville, District, Province"."""
        loc = self.locations.get(code or "")
        if loc is None:
            return code or ""
        names = []
        for part in reversed(loc.path.split("/")):
            place = self.locations[part]
            if place.admin_level == 0:
                break
            names.append(pick(place.name, language))
        return ", ".join(names)


_cache: dict[str, BundleConfig] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def get_config(bundle: m.Bundle | str) -> BundleConfig:
    """The runtime configuration of a bundle (a row, or its code)."""
    if isinstance(bundle, str):
        bundle = m.Bundle.objects.get(code=bundle)
    cached = _cache.get(bundle.code)
    if cached is not None and cached.loaded_at == bundle.loaded_at:
        return cached
    config = _build(bundle)
    with _lock:
        _cache[bundle.code] = config
    return config


def _field_def(row: m.Field, columns: dict[int, list[m.Field]], section: str) -> FieldDef:
    return FieldDef(
        code=row.code, type=row.type, label=row.label, help=row.help, required=row.required,
        lookup=row.lookup.code if row.lookup_id and row.lookup else None,
        min_value=row.min_value, max_value=row.max_value, admin_level=row.admin_level,
        show_if=row.show_if, section=section,
        columns=tuple(_field_def(c, columns, section) for c in columns.get(row.pk, [])),
    )


def _build(bundle: m.Bundle) -> BundleConfig:
    lookups: dict[str, LookupDef] = {}
    options_by_lookup: dict[int, dict[str, OptionDef]] = {}
    for option in m.LookupOption.objects.filter(lookup__bundle=bundle).order_by("lookup", "order"):
        options_by_lookup.setdefault(option.lookup_id, {})[option.code] = OptionDef(
            option.code, option.label, option.description)
    for lookup in m.Lookup.objects.filter(bundle=bundle).order_by("pk"):
        lookups[lookup.code] = LookupDef(lookup.code, lookup.name,
                                         options_by_lookup.get(lookup.pk, {}))

    rows = list(m.Field.objects.filter(section__bundle=bundle).select_related("lookup")
                .order_by("order", "pk"))
    columns: dict[int, list[m.Field]] = {}
    top: dict[int, list[m.Field]] = {}
    for row in rows:
        if row.parent_id:
            columns.setdefault(row.parent_id, []).append(row)
        else:
            top.setdefault(row.section_id, []).append(row)

    sections_by_module: dict[int, list[SectionDef]] = {}
    for section in m.FormSection.objects.filter(bundle=bundle).select_related("module").order_by("pk"):
        sections_by_module.setdefault(section.module_id, []).append(SectionDef(
            code=section.code, module=section.module.code, step=section.step,
            order=section.order, name=section.name, help=section.help,
            fields=tuple(_field_def(r, columns, section.code) for r in top.get(section.pk, [])),
        ))
    step_order = {step: i for i, step in enumerate(m.Step.values)}

    modules: dict[str, ModuleDef] = {}
    for module in m.Module.objects.filter(bundle=bundle).select_related("policy").order_by("pk"):
        sections = tuple(sorted(sections_by_module.get(module.pk, []),
                                key=lambda s: (step_order[s.step], s.order, s.code)))
        policy = module.policy
        modules[module.code] = ModuleDef(
            code=module.code, name=module.name, core_fields=module.core_fields,
            system_lookups=module.system_lookups, sections=sections,
            fields={f.code: f for s in sections for f in s.fields},
            policy=PolicyDef(
                deadlines=policy.deadlines, upcoming_days=policy.upcoming_days,
                approvals=policy.approvals,
                consent_fields=policy.consent.get("fields", {}),
                consent_required=policy.consent.get("required", {}),
            ),
        )
    roles = {
        r.code: RoleDef(r.code, r.name, r.scope, frozenset(r.permissions), r.form_access,
                        r.referral_recipient)
        for r in m.Role.objects.filter(bundle=bundle).order_by("pk")
    }
    agencies = {
        a.code: AgencyDef(a.code, a.name, a.short_name, a.type, tuple(a.services))
        for a in m.Agency.objects.filter(bundle=bundle).order_by("pk")
    }
    groups = {
        g.code: {"code": g.code, "name": g.name, "agency": g.agency.code}
        for g in m.UserGroup.objects.filter(bundle=bundle).select_related("agency").order_by("pk")
    }
    codes = dict(m.Location.objects.filter(bundle=bundle).values_list("pk", "code"))
    locations = {
        loc.code: LocationDef(loc.code, codes.get(loc.parent_id) if loc.parent_id else None,
                              loc.admin_level, loc.name, loc.path)
        for loc in m.Location.objects.filter(bundle=bundle).order_by("path")
    }
    return BundleConfig(
        code=bundle.code, version=bundle.version, name=bundle.name,
        languages=tuple(bundle.languages), admin_levels=tuple(bundle.admin_levels),
        modules=modules, lookups=lookups, roles=roles, agencies=agencies, user_groups=groups,
        locations=locations, loaded_at=bundle.loaded_at, mapping=bundle.mapping or {},
    )
