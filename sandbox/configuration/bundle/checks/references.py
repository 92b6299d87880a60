"""References between files: every id named exists, every id is defined once.

bundle.yaml (languages, administrative levels), lookups (their options), modules
(system lookups, core fields), agencies (service types), user groups (agencies)
and roles (actions, approval kinds, form sections). Fields, skip logic and the
policy have their own modules.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sandbox.common.actions import ACTION_NAMES
from sandbox.common.sourcefiles import Problem

from ..schema import APPROVAL_TYPES, PER_APPROVAL_PERMISSIONS, SYSTEM_LOOKUPS, permission_parts
from .context import Context, did_you_mean, listed, unique
from .translations import check_text

UNKNOWN = "unknown-reference"

CORE_FIELD_TYPES: dict[str, set[str]] = {
    "name_first": {"text"},
    "name_last": {"text"},
    "sex": {"select", "radio"},
    "date_of_birth": {"date"},
    "age": {"number"},
    "location": {"location"},
    "risk_level": {"select", "radio"},
}


def check_bundle_file(ctx: Context) -> None:
    bundle = ctx.parsed.bundle
    if bundle is None:
        return
    check_text(ctx, bundle, bundle.spec.name, "name", "name")
    check_text(ctx, bundle, bundle.spec.description, "description", "description", required=False)
    for lang, count in Counter(bundle.spec.languages).items():
        if count > 1:
            ctx.error(bundle, f"language '{lang}' is listed twice", "languages", code="duplicate-id")
    levels = [lvl.level for lvl in bundle.spec.admin_levels]
    if sorted(levels) != list(range(len(levels))):
        ctx.error(bundle, f"admin levels must be 0, 1, 2, ... without gaps or repeats (found {levels})",
                  "admin_levels", code="admin-levels")
    for i, lvl in enumerate(bundle.spec.admin_levels):
        check_text(ctx, bundle, lvl.name, f"admin level {lvl.level} name", "admin_levels", i, "name")
    real = bundle.spec.real_data
    for key in ("national_id_patterns", "invented_patterns"):
        for i, pattern in enumerate(getattr(real, key) if real else []):
            try:
                re.compile(pattern)
            except re.error as exc:
                ctx.error(bundle, f"real_data: {key}: '{pattern}' is not a valid pattern ({exc})",
                          "real_data", key, i, code="bad-pattern")
    known = {column.id for section in ctx.parsed.sections for spec in section.spec.fields
             for column in (spec, *(spec.fields or ()))}
    for i, ident in enumerate(real.identifying_fields if real else []):
        if ident not in known and not ctx.parsed.is_broken("field", ident):
            ctx.error(bundle, f"real_data: identifying_fields: unknown field '{ident}'"
                      f"{did_you_mean(ident, known)}", "real_data", "identifying_fields", i,
                      code=UNKNOWN)


def check_lookups(ctx: Context) -> None:
    unique(ctx, ctx.parsed.lookups, "lookup")
    for item in ctx.parsed.lookups:
        spec = item.spec
        what = f"lookup '{spec.id}'"
        check_text(ctx, item, spec.name, f"{what} name", "name")
        seen: set[str] = set()
        for i, option in enumerate(spec.options):
            if option.id in seen:
                ctx.error(item, f"{what}: duplicate option id '{option.id}'", "options", i, "id",
                          code="duplicate-id")
            seen.add(option.id)
            check_text(ctx, item, option.label, f"{what}, option '{option.id}' label", "options", i, "label")
            check_text(ctx, item, option.description, f"{what}, option '{option.id}' description",
                       "options", i, "description", required=False)


def check_modules(ctx: Context) -> None:
    unique(ctx, ctx.parsed.modules, "module")
    for item in ctx.parsed.modules:
        spec = item.spec
        check_text(ctx, item, spec.name, f"module '{spec.id}' name", "name")
        if spec.person is not None:
            for form, text in spec.person.model_dump().items():
                check_text(ctx, item, text, f"module '{spec.id}' person ({form})", "person", form)
        for key in SYSTEM_LOOKUPS:
            ident = spec.system_lookups.get(key)
            if ident is None:
                continue
            ctx.used_lookups.add(ident)
            if ctx.unknown("lookup", ident, ctx.lookups):
                ctx.lookup_refs_broken = True
                ctx.error(item, f"module '{spec.id}', system lookup '{key}': unknown lookup "
                          f"'{ident}'{did_you_mean(ident, ctx.lookups)}", "system_lookups", key, code=UNKNOWN)
        for key, ident in spec.core_fields.model_dump().items():
            ref = ctx.field(spec.id, ident)
            if ref is None:
                if ctx.field_unknown(spec.id, ident):
                    ctx.error(item, f"module '{spec.id}', core field '{key}': unknown field '{ident}'"
                              f"{did_you_mean(ident, ctx.fields.get(spec.id, {}))}",
                              "core_fields", key, code=UNKNOWN)
                continue
            if ref.spec.type not in CORE_FIELD_TYPES[key]:
                allowed = " or ".join(sorted(CORE_FIELD_TYPES[key]))
                ctx.error(item, f"module '{spec.id}', core field '{key}': field '{ident}' is a "
                          f"{ref.spec.type}, expected {allowed}", "core_fields", key, code="wrong-field-type")


def check_agencies(ctx: Context) -> None:
    parsed = ctx.parsed
    service_types: set[str] = set()
    service_lookups = {m.system_lookups.get("service_type") for m in ctx.modules.values()}
    checkable = bool(ctx.modules) and all(s in ctx.options for s in service_lookups if s) and any(
        service_lookups)
    for lookup in service_lookups:
        service_types.update(ctx.options.get(lookup or "", []))
    unique(ctx, parsed.agencies, "agency")
    for item in parsed.agencies:
        what = f"agency '{item.spec.id}'"
        check_text(ctx, item, item.spec.name, f"{what} name", "name")
        for i, service in enumerate(item.spec.services):
            if checkable and service not in service_types and not any(
                    parsed.is_broken("option", f"{lookup}/{service}") for lookup in service_lookups):
                ctx.error(item, f"{what}: unknown service type '{service}'"
                          f"{did_you_mean(service, service_types)}", "services", i, code=UNKNOWN)
    if not parsed.agencies and "agency" not in parsed.unreadable and not parsed.broken.get("agency"):
        ctx.add(Problem(str(parsed.directory / "agencies.yaml"), 1, "no agencies", code="no-items"))
    unique(ctx, parsed.user_groups, "user group")
    for item in parsed.user_groups:
        what = f"user group '{item.spec.id}'"
        check_text(ctx, item, item.spec.name, f"{what} name", "name")
        key = "agency" if item.spec.agency is not None else "agencies"
        for i, agency in enumerate(item.spec.agency_ids):
            if ctx.unknown("agency", agency, ctx.agencies):
                keys: tuple[str | int, ...] = (key,) if key == "agency" else (key, i)
                ctx.error(item, f"{what}: unknown agency '{agency}'{did_you_mean(agency, ctx.agencies)}",
                          *keys, code=UNKNOWN)


def check_roles(ctx: Context) -> None:
    unique(ctx, ctx.parsed.roles, "role")
    for item in ctx.parsed.roles:
        spec = item.spec
        what = f"role '{spec.id}'"
        check_text(ctx, item, spec.name, f"{what} name", "name")
        for i, permission in enumerate(spec.permissions):
            action, kind = permission_parts(permission)
            if action not in ACTION_NAMES:
                ctx.error(item, f"{what}: unknown action '{permission}' in permissions"
                          f"{did_you_mean(action, ACTION_NAMES)}", "permissions", i, code="unknown-action")
            elif kind is not None and action not in PER_APPROVAL_PERMISSIONS:
                ctx.error(item, f"{what}: '{permission}': only {' and '.join(PER_APPROVAL_PERMISSIONS)} "
                          f"may name an approval type", "permissions", i, code="unknown-action")
            elif kind is not None and kind not in APPROVAL_TYPES:
                ctx.error(item, f"{what}: '{permission}': unknown approval type '{kind}' (approval types: "
                          f"{', '.join(APPROVAL_TYPES)}){did_you_mean(kind, APPROVAL_TYPES)}",
                          "permissions", i, code="unknown-approval-type")
        for section_id in spec.forms:
            if section_id != "*" and ctx.unknown("section", section_id, ctx.sections):
                ctx.error(item, f"{what}: unknown form section '{section_id}'"
                          f"{did_you_mean(section_id, ctx.sections) or _some(ctx.sections)}",
                          "forms", section_id, code=UNKNOWN)


def _some(known: dict[str, Any]) -> str:
    return f" (form sections: {listed(sorted(known))})" if known else ""
