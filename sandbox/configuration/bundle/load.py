"""Load a validated bundle into the database, atomically."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from sandbox.common.sourcefiles import Problem

from .. import models as m
from .schema import FieldSpec, dump_show_if
from .validate import ParsedBundle, validate_bundle


class BundleInvalid(Exception):
    """The bundle has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the configuration bundle")
        self.problems = problems


def load_bundle(directory: Path) -> m.Bundle:
    """Validate the bundle in `directory`, then replace its configuration in one transaction."""
    parsed = validate_bundle(directory)
    if not parsed.valid:
        # Warnings do not block loading: only the errors are the reason it was refused.
        raise BundleInvalid(parsed.errors())
    with transaction.atomic():
        bundle = write_bundle(parsed)
    from ..runtime import clear_cache

    clear_cache()
    return bundle


def write_bundle(parsed: ParsedBundle) -> m.Bundle:
    """Write a validated bundle (replacing the rows of the same bundle code); the caller
    holds the transaction. `load_bundle` is the way in for everyone else."""
    assert parsed.bundle is not None
    spec = parsed.bundle.spec
    bundle, _ = m.Bundle.objects.update_or_create(
        code=spec.id,
        defaults={
            "version": spec.version,
            "name": spec.name,
            "description": spec.description or {},
            "languages": spec.languages,
            "admin_levels": [lvl.model_dump() for lvl in sorted(spec.admin_levels,
                                                                key=lambda lvl: lvl.level)],
            "source_path": str(parsed.directory),
            "real_data": spec.real_data.model_dump() if spec.real_data else {},
            "mapping": parsed.mapping.data if parsed.mapping is not None
            and isinstance(parsed.mapping.data, dict) else {},
        },
    )
    # Replace everything the bundle held. Cases refer to configuration by code,
    # not by row, so practice spaces survive a reload of their bundle.
    m.Field.objects.filter(section__bundle=bundle).delete()
    for model in (m.Policy, m.FormSection, m.Role, m.UserGroup, m.Agency, m.Module):
        model.objects.filter(bundle=bundle).delete()
    m.LookupOption.objects.filter(lookup__bundle=bundle).delete()
    m.Lookup.objects.filter(bundle=bundle).delete()
    m.Location.objects.filter(bundle=bundle).delete()

    lookups = {}
    option_rows = []
    for item in parsed.lookups:
        lookup = m.Lookup.objects.create(bundle=bundle, code=item.spec.id, name=item.spec.name)
        lookups[item.spec.id] = lookup
        for order, option in enumerate(item.spec.options):
            option_rows.append(m.LookupOption(
                lookup=lookup, code=option.id, label=option.label,
                description=option.description or {}, order=order))
    m.LookupOption.objects.bulk_create(option_rows)

    modules = {}
    for item in parsed.modules:
        modules[item.spec.id] = m.Module.objects.create(
            bundle=bundle, code=item.spec.id, name=item.spec.name,
            record_type=item.spec.record_type,
            core_fields=item.spec.core_fields.model_dump(),
            # Format v2: every system lookup is optional; absent ones are left out.
            system_lookups=item.spec.system_lookups.model_dump(exclude_none=True),
            person=item.spec.person.model_dump() if item.spec.person else {},
        )

    for item in parsed.sections:
        section = m.FormSection.objects.create(
            bundle=bundle, module=modules[item.spec.module], code=item.spec.id,
            record_type=item.spec.record_type,
            step=item.spec.step if item.spec.record_type == "case" else "",
            order=item.spec.order, name=item.spec.name,
            help=item.spec.help or {},
        )
        _write_fields(section, item.spec.fields, lookups, parent=None)

    by_code: dict[str, m.Location] = {}
    rows = sorted(parsed.locations, key=lambda row: row.admin_level)
    for row in rows:
        parent = by_code.get(row.parent) if row.parent else None
        path = f"{parent.path}/{row.code}" if parent else row.code
        by_code[row.code] = m.Location(
            bundle=bundle, code=row.code, parent=parent, admin_level=row.admin_level,
            name=row.names, path=path,
        )
    # Parents are saved before children: one bulk insert per level.
    for level in sorted({row.admin_level for row in rows}):
        batch = [loc for loc in by_code.values() if loc.admin_level == level]
        for loc in batch:
            loc.parent_id = loc.parent.pk if loc.parent else None
        m.Location.objects.bulk_create(batch)

    agencies = {}
    for item in parsed.agencies:
        agencies[item.spec.id] = m.Agency.objects.create(
            bundle=bundle, code=item.spec.id, name=item.spec.name,
            short_name=item.spec.display_short_name, type=item.spec.type or "",
            services=item.spec.services, providers=item.spec.providers,
        )
    m.UserGroup.objects.bulk_create([
        m.UserGroup(bundle=bundle, code=item.spec.id, name=item.spec.name,
                    agency=agencies[item.spec.first_agency] if item.spec.first_agency else None,
                    agencies=item.spec.agency_ids)
        for item in parsed.user_groups
    ])
    m.Role.objects.bulk_create([
        m.Role(bundle=bundle, code=item.spec.id, name=item.spec.name, scope=item.spec.scope,
               permissions=item.spec.permissions, form_access=item.spec.forms,
               referral_recipient=item.spec.referral_recipient,
               provider=item.spec.provider or "")
        for item in parsed.roles
    ])
    for item in parsed.policies:
        m.Policy.objects.create(
            bundle=bundle, module=modules[item.spec.module],
            deadlines=item.spec.deadlines or {}, upcoming_days=item.spec.upcoming_days,
            approvals={k: v.model_dump() for k, v in item.spec.approvals.items()},
            consent=item.spec.consent.model_dump(mode="json"),
            statistics=item.spec.statistics.model_dump(mode="json"),
        )
    return bundle


def _write_fields(
    section: m.FormSection,
    specs: list[FieldSpec],
    lookups: dict[str, m.Lookup],
    parent: m.Field | None,
) -> None:
    for order, spec in enumerate(specs):
        field = m.Field.objects.create(
            section=section, parent=parent, code=spec.id, type=spec.type, label=spec.label,
            help=spec.help or {}, required=spec.required,
            lookup=lookups.get(spec.lookup) if spec.lookup else None,
            min_value=spec.min, max_value=spec.max, admin_level=spec.admin_level,
            show_if=dump_show_if(spec.show_if), hidden=spec.hidden, readonly=spec.readonly,
            default=spec.default,
            validation=spec.validation.model_dump(exclude_none=True) if spec.validation else {},
            options_from=spec.options_from or "",
            accept=[ext.lower().lstrip(".") for ext in spec.accept or []],
            max_size_kb=spec.upload_max_size_kb if spec.type == "upload" else None,
            order=order,
        )
        if spec.fields:
            _write_fields(section, spec.fields, lookups, parent=field)
