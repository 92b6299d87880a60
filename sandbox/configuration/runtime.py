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
    #: Never shown to users; set by `default` or by the system only.
    hidden: bool = False
    #: Shown, never changed by users.
    readonly: bool = False
    #: The value of a new record (`today` / `now` for dates), None for none.
    default: Any = None
    #: {pattern, message, min_length, max_length} (text) or {not_future} (dates).
    validation: dict[str, Any] = field(default_factory=dict)
    #: `agencies`, `user_groups` or `users` (the space's members), instead of a lookup.
    options_from: str = ""
    #: Uploads: accepted file extensions (lower case, no dot), and the largest file.
    accept: tuple[str, ...] = ()
    max_size_kb: int | None = None

    @property
    def stores_value(self) -> bool:
        """Separators are headings: they never hold a value."""
        return self.type != "separator"

    @property
    def has_options(self) -> bool:
        return self.type in ("select", "multi_select", "radio")


@dataclass(frozen=True)
class SectionDef:
    code: str
    module: str
    #: The SOP step of a case section; "" for a tracing request section.
    step: str
    order: int
    name: dict[str, str]
    help: dict[str, str]
    #: The fields in this section, in order. A field shared with other sections is
    #: listed in each; its value is one entry of the case data.
    fields: tuple[FieldDef, ...]
    #: "case", or "tracing_request" (a form of the tracing request, never of the case).
    record_type: str = "case"


#: Form access given only where the survivor consented: `read_if_consented:KIND`.
CONSENTED_PREFIX = "read_if_consented:"

#: Permissions that may be given per approval kind (`approval.decide:closure`).
_PER_KIND = ("approval.decide", "approval.request")


@dataclass(frozen=True)
class RoleDef:
    code: str
    name: dict[str, str]
    scope: str
    permissions: frozenset[str]
    form_access: dict[str, str]
    referral_recipient: bool
    #: The kind of service provider (an option of the policy's provider lookups), or "".
    provider: str = ""

    def can(self, action: str) -> bool:
        """May the role take `action`? For approvals, true when it may for at least one
        kind (`approval.decide:case_plan` grants `approval.decide` for case plans only)."""
        if action in self.permissions:
            return True
        if action in _PER_KIND:
            return any(p.startswith(action + ":") for p in self.permissions)
        return False

    def can_decide(self, kind: str) -> bool:
        """May the role approve or reject an approval of this kind?"""
        return "approval.decide" in self.permissions or f"approval.decide:{kind}" in self.permissions

    def can_request(self, kind: str) -> bool:
        """May the role ask for an approval of this kind?"""
        return "approval.request" in self.permissions or f"approval.request:{kind}" in self.permissions

    def section_access(self, section: str) -> str | None:
        """'read_write', 'read' or None (no access) for a form section, whatever the case.

        A section readable only with the survivor's consent (`read_if_consented:KIND`)
        counts as no access here: `section_access_on` decides it for one case."""
        access = self.form_access.get(section, self.form_access.get("*"))
        return access if access in ("read", "read_write") else None

    def section_access_on(self, section: str, data: dict[str, Any],
                          policy: PolicyDef) -> str | None:
        """The access to a form section of one case (its form data `data`): as
        `section_access`, and 'read' for a consent-gated section when the case records
        that kind of consent as given and names this role's provider in it."""
        access = self.form_access.get(section, self.form_access.get("*"))
        if access in ("read", "read_write"):
            return access
        if not access or not access.startswith(CONSENTED_PREFIX) or not self.provider:
            return None
        kind = access[len(CONSENTED_PREFIX):]
        return "read" if policy.provider_consented(kind, self.provider, data) else None


@dataclass(frozen=True)
class PolicyDef:
    deadlines: dict[str, dict[str, str]]
    upcoming_days: int
    approvals: dict[str, dict[str, Any]]
    consent_fields: dict[str, str]
    consent_required: dict[str, list[str]]
    #: {kind: the value meaning "given"}: True for tick boxes, an option id for yes/no fields.
    consent_given: dict[str, Any] = field(default_factory=dict)
    #: The options of the module's risk level field (a level missing from a task's
    #: deadlines has none; an unknown level counts as the most urgent).
    risk_levels: tuple[str, ...] = ()
    #: {kind: the multi-select field of the providers that consent covers}.
    consent_providers: dict[str, str] = field(default_factory=dict)
    #: The smallest count a statistics cell may show (the information-sharing protocol).
    min_cell_count: int = 1

    def provider_consented(self, kind: str, provider: str, data: dict[str, Any]) -> bool:
        """Is this kind of consent given for `provider`? The consent itself must be given
        and, when the policy lists providers for the kind, the provider must be listed."""
        if not self.consent_is_given(kind, data):
            return False
        field_code = self.consent_providers.get(kind)
        if not field_code:
            return True
        chosen = data.get(field_code) or []
        return provider in chosen if isinstance(chosen, list) else provider == chosen

    @property
    def plan_approval(self) -> str:
        """The approval kind of the plan: `action_plan` where the policy has it (GBV),
        else `case_plan`."""
        return "action_plan" if "action_plan" in self.approvals else "case_plan"

    @property
    def closure_approval(self) -> str:
        """The approval kind of closure: `gbv_closure` where the policy has it, else `closure`."""
        return "gbv_closure" if "gbv_closure" in self.approvals else "closure"

    def approval_required(self, kind: str) -> bool:
        return bool(self.approvals.get(kind, {}).get("required"))

    def consent_is_given(self, kind: str, data: dict[str, Any]) -> bool:
        """Does the case data record this kind of consent as given (tick box or yes/no)?"""
        code = self.consent_fields.get(kind)
        if not code:
            return False
        value = data.get(code)
        given = self.consent_given.get(kind, True)
        if given is True:
            return value is True
        return value == given

    def deadline_of(self, task: str, risk: str) -> str | None:
        """The deadline ("24h", "3d") of a task for a risk level, None when there is none."""
        return self.deadlines.get(task, {}).get(risk)


@dataclass(frozen=True)
class ModuleDef:
    code: str
    name: dict[str, str]
    core_fields: dict[str, str]
    system_lookups: dict[str, str]
    sections: tuple[SectionDef, ...]
    fields: dict[str, FieldDef]
    policy: PolicyDef
    #: The sections of the tracing request record (`record_type: tracing_request`), in
    #: order; kept apart so that whatever iterates `sections` sees the case's only.
    tracing_sections: tuple[SectionDef, ...] = ()
    #: What the pages call the person of a case: {form: {language: text}} (forms: one,
    #: many, a, the); empty for the default, "child" (see `sandbox.cases.person`).
    person: dict[str, dict[str, str]] = field(default_factory=dict)

    def section(self, code: str) -> SectionDef | None:
        return next((s for s in self.sections if s.code == code), None)

    def sections_of(self, field_code: str) -> tuple[str, ...]:
        """Every section a field appears on (one field may be on several)."""
        return tuple(s.code for s in self.sections if any(f.code == field_code for f in s.fields))

    def system_lookup(self, name: str) -> str | None:
        """The lookup a system list uses (`service_type`, `referral_reason`...), None when
        this configuration has none."""
        return self.system_lookups.get(name) or None


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
    #: "" when the agency has no type (Primero's agencies have none).
    type: str
    services: tuple[str, ...]
    #: The kinds of service provider the agency is (GBV consent per provider); () if none.
    providers: tuple[str, ...] = ()


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
    #: `bundle.yaml`'s `real_data` (country, national ID and invented patterns).
    real_data: dict[str, Any] = field(default_factory=dict, repr=False)

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
        hidden=row.hidden, readonly=row.readonly, default=row.default,
        validation=row.validation or {}, options_from=row.options_from or "",
        accept=tuple(row.accept or ()), max_size_kb=row.max_size_kb,
    )


def _module_fields(sections: tuple[SectionDef, ...]) -> dict[str, FieldDef]:
    """One definition per field id: its first occurrence, in the order of the forms."""
    fields: dict[str, FieldDef] = {}
    for section in sections:
        for fdef in section.fields:
            fields.setdefault(fdef.code, fdef)
    return fields


def _consent(consent: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """`consent.fields` of the policy: `kind: field` (a tick box) or
    `kind: {field, given}` (a yes/no field and the option meaning "given")."""
    fields: dict[str, str] = {}
    given: dict[str, Any] = {}
    for kind, value in (consent.get("fields") or {}).items():
        if isinstance(value, dict):
            fields[kind] = value.get("field", "")
            given[kind] = value.get("given", True)
        else:
            fields[kind] = value
            given[kind] = True
    return fields, given


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
            record_type=section.record_type,
        ))
    step_order = {step: i for i, step in enumerate(m.Step.values)}

    modules: dict[str, ModuleDef] = {}
    for module in m.Module.objects.filter(bundle=bundle).select_related("policy").order_by("pk"):
        own = sections_by_module.get(module.pk, [])
        sections = tuple(sorted((s for s in own if s.record_type == "case"),
                                key=lambda s: (step_order[s.step], s.order, s.code)))
        tracing = tuple(sorted((s for s in own if s.record_type == "tracing_request"),
                               key=lambda s: (s.order, s.code)))
        policy = module.policy
        consent_fields, consent_given = _consent(policy.consent or {})
        risk_field = next((f for s in sections for f in s.fields
                           if f.code == module.core_fields.get("risk_level")), None)
        risk_lookup = lookups.get(risk_field.lookup or "") if risk_field else None
        modules[module.code] = ModuleDef(
            code=module.code, name=module.name, core_fields=module.core_fields,
            system_lookups={k: v for k, v in (module.system_lookups or {}).items() if v},
            sections=sections,
            fields=_module_fields(sections), person=dict(module.person or {}),
            tracing_sections=tracing,
            policy=PolicyDef(
                deadlines=policy.deadlines or {}, upcoming_days=policy.upcoming_days,
                approvals=policy.approvals,
                consent_fields=consent_fields, consent_given=consent_given,
                consent_required=policy.consent.get("required", {}) or {},
                risk_levels=tuple(risk_lookup.options) if risk_lookup else (),
                consent_providers=dict(policy.consent.get("providers") or {}),
                min_cell_count=int((policy.statistics or {}).get("min_cell_count") or 1),
            ),
        )
    roles = {
        r.code: RoleDef(r.code, r.name, r.scope, frozenset(r.permissions), r.form_access,
                        r.referral_recipient, r.provider)
        for r in m.Role.objects.filter(bundle=bundle).order_by("pk")
    }
    agencies = {
        a.code: AgencyDef(a.code, a.name, a.short_name, a.type, tuple(a.services),
                          tuple(a.providers or ()))
        for a in m.Agency.objects.filter(bundle=bundle).order_by("pk")
    }
    groups = {
        g.code: {"code": g.code, "name": g.name,
                 "agency": (list(g.agencies) or [None])[0],
                 "agencies": list(g.agencies)}
        for g in m.UserGroup.objects.filter(bundle=bundle).order_by("pk")
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
        real_data=bundle.real_data or {},
    )
