"""What an export holds: the columns a role may read, and the de-identification rule.

Two rules decide every column, for every format (CSV, Excel, the PDF case file):

- **Form-level access.** A field is exported only when it sits on a form section the
  exporting role may read (`RoleDef.section_access`), exactly as the case page shows
  it; fields the configuration hides (system values) and uploads are never exported.
- **De-identification.** The de-identified variant leaves out what identifies a person:
  the module's core name and date of birth fields, the fields the bundle lists in
  `real_data.identifying_fields` (other names, phone numbers, addresses, ID numbers,
  relatives' dates of birth), every free-text field (`text`, `textarea`: anyone may be
  named in them) and every field choosing a member of staff, in subforms too. Places
  are cut to the district (admin level 2), the case worker's name is left out and the
  case ID becomes a pseudonym that is the same in every export of the same case (so
  files can be joined), but cannot be turned back into the case ID without the
  server's secret key.

Pure functions over the configuration in memory: no database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sandbox.cases.models import Case, Stage, Status
from sandbox.cases.views import display as d
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef, RoleDef

#: Core fields (module.core_fields keys) that name a person or give their date of birth.
IDENTIFYING_CORE = ("name_first", "name_last", "date_of_birth")
#: Field types whose values are typed freely: never in a de-identified export.
FREE_TEXT = ("text", "textarea")
#: Places in a de-identified export are no more precise than this admin level.
DEIDENTIFIED_LEVEL = 2


@dataclass(frozen=True)
class Plan:
    """The fields of one export: who reads them, and whether it is de-identified."""

    config: BundleConfig
    module: ModuleDef
    role: RoleDef
    deidentified: bool

    @property
    def fields(self) -> list[FieldDef]:
        return exported_fields(self.module, self.role, self.config, deidentified=self.deidentified)


def readable_fields(module: ModuleDef, role: RoleDef) -> list[FieldDef]:
    """The module's fields on a section the role may read, in the order of the forms.
    A field shared by several sections is readable when one of them is."""
    seen: set[str] = set()
    fields = []
    for section in module.sections:
        if not role.section_access(section.code):
            continue
        for fdef in section.fields:
            if fdef.code in seen or fdef.hidden or not fdef.stores_value or fdef.type == "upload":
                continue
            seen.add(fdef.code)
            fields.append(fdef)
    return fields


def identifying_codes(module: ModuleDef, config: BundleConfig) -> frozenset[str]:
    """The field ids that identify a person in this configuration (free text aside)."""
    core = {module.core_fields.get(name, "") for name in IDENTIFYING_CORE}
    listed = set((config.real_data or {}).get("identifying_fields") or ())
    return frozenset((core | listed) - {""})


def identifies(fdef: FieldDef, codes: frozenset[str]) -> bool:
    """Does the field identify someone: listed, typed freely, or naming a member of staff?"""
    return fdef.code in codes or fdef.type in FREE_TEXT or fdef.options_from == "users"


def exported_fields(module: ModuleDef, role: RoleDef, config: BundleConfig, *,
                    deidentified: bool) -> list[FieldDef]:
    """The fields an export holds. De-identified: without identifying fields, and
    subforms without their identifying columns (left out when none is left)."""
    fields = readable_fields(module, role)
    if not deidentified:
        return fields
    codes = identifying_codes(module, config)
    kept = []
    for fdef in fields:
        if identifies(fdef, codes):
            continue
        if fdef.type == "subform":
            columns = tuple(c for c in fdef.columns if not identifies(c, codes))
            if not any(c.stores_value and not c.hidden for c in columns):
                continue
            fdef = _with_columns(fdef, columns)
        kept.append(fdef)
    return kept


def _with_columns(fdef: FieldDef, columns: tuple[FieldDef, ...]) -> FieldDef:
    from dataclasses import replace

    return replace(fdef, columns=columns)


def pseudonym(case: Case) -> str:
    """A stable reference for a case in de-identified files, keyed by the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{case.space_id}:{case.display_id}".encode(),
                      hashlib.sha256).hexdigest()
    return "X-" + digest[:10].upper()


def coarse_place(config: BundleConfig, code: str | None) -> str:
    """A place no more precise than the district: its ancestor at that level."""
    place = config.locations.get(code or "")
    while place is not None and place.admin_level > DEIDENTIFIED_LEVEL and place.parent:
        place = config.locations.get(place.parent)
    return place.code if place is not None else ""


def cell(plan: Plan, fdef: FieldDef, value: Any, members: dict[str, str] | None = None) -> Any:
    """A stored value as a cell: option labels in the user's language, dates in ISO form
    (a date cell in Excel), numbers as numbers, subforms as one line per row."""
    if value is None or value == "" or value == []:
        return ""
    kind = fdef.type
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if kind == "location":
        code = coarse_place(plan.config, value) if plan.deidentified else value
        return plan.config.location_label(code)
    if kind == "subform":
        lines = []
        for row in value if isinstance(value, list) else []:
            if not isinstance(row, dict):
                continue
            parts = [f"{pick(col.label)}: {_text(cell(plan, col, row.get(col.code), members))}"
                     for col in fdef.columns if col.stores_value and not col.hidden
                     and row.get(col.code) not in (None, "", [])]
            lines.append("; ".join(parts))
        return "\n".join(lines)
    return str(d.field_display(plan.config, fdef, value, members))


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def header(plan: Plan, fields: list[FieldDef]) -> list[str]:
    first = [str(_("Reference"))] if plan.deidentified else [str(_("Case ID"))]
    first += [str(_("Status")), str(_("Stage")), str(_("Registered"))]
    if not plan.deidentified:
        first.append(str(_("Case worker")))
    first.append(str(_("Agency")))
    return first + [pick(f.label) or f.code for f in fields]


def row(plan: Plan, case: Case, fields: list[FieldDef], members: dict[str, str] | None = None) -> list[Any]:
    registered = case.registered_at.date() if case.registered_at else ""
    agency = plan.config.agencies.get(case.agency)
    first: list[Any] = [pseudonym(case) if plan.deidentified else case.display_id,
                        str(Status(case.status).label) if case.status in Status.values else case.status,
                        str(Stage(case.stage).label) if case.stage in Stage.values else case.stage,
                        registered]
    if not plan.deidentified:
        first.append(case.owner.name if case.owner else "")
    first.append(pick(agency.name) if agency else case.agency)
    return first + [cell(plan, f, case.data.get(f.code), members) for f in fields]


def table(plan: Plan, cases: Iterable[Case], members: dict[str, str] | None = None) -> list[list[Any]]:
    """The header and one row per case."""
    fields = plan.fields
    return [header(plan, fields), *(row(plan, case, fields, members) for case in cases)]
