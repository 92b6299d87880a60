"""Identification and registration, editing form sections, and consent."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.common.i18n import pick
from sandbox.spaces.models import Member

from .. import matching
from ..formdata import (
    apply_defaults,
    clean_section,
    clean_value,
    core_values,
    drop_hidden,
    merge_section,
)
from ..models import Case, RegistrationStatus, Stage, TaskKind
from ..permissions import require_section_write
from ._core import Action, require_open
from .documents import UploadedFile, check_file, forget_unused, store
from .tasks import open_task, reschedule

SEARCH_LIMIT = 50
#: How alike (0..1, see matching.rank) two whole names must be for the same child registered
#: twice ("Aminah Diallo" for "Amina Diallo" 0.95; the search lists candidates from 0.70).
DUPLICATE_NAME = 0.95


@transaction.atomic
def case_search(*, actor: Member, query: str = "", age: int | None = None,
                location: str = "") -> list[Case]:
    """The duplicate check before registering: search every case of the space by
    name, case ID, age and location (names are shown so that duplicates are found).

    Age (one year either side) and location narrow the search; names are compared as
    `matching` does (spellings, accents, scripts, nicknames, swapped names), best first."""
    act = Action(actor, "case.search")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        raise ValidationFailed(_("Enter the age as a whole number."),
                               details={"fields": {"age": [_("Enter a whole number.")]}})
    cases = Case.objects.filter(space=act.space)
    terms = [t for t in (query or "").split() if t]
    by_id = [t for t in terms if cases.filter(display_id__iexact=t).exists()]
    if by_id:
        cases = cases.filter(display_id__iexact=by_id[0])
        terms = []
    if age is not None:
        cases = cases.filter(age__gte=max(age - 1, 0), age__lte=age + 1)
    if location:
        place = act.config.locations.get(location)
        if place is None:
            raise ValidationFailed(_("'%(value)s' is not a known location.") % {"value": location},
                                   details={"fields": {"location": [_("Unknown location.")]}})
        inside = [c for c, loc in act.config.locations.items()
                  if loc.path == place.path or loc.path.startswith(place.path + "/")]
        cases = cases.filter(location__in=inside)
    if terms:
        # Ranked on the few columns the comparison reads (plain rows, no model instances),
        # then the best loaded in full.
        light = [matching.Record(*row) for row in cases.values_list(*matching.Record._fields)]
        ranked = matching.rank(light, name=" ".join(terms))[:SEARCH_LIMIT]
        loaded = Case.objects.select_related("owner").in_bulk([c.case.pk for c in ranked])
        found = []
        for candidate in ranked:
            case = loaded[candidate.case.pk]
            case.match_reasons = candidate.reasons  # type: ignore[attr-defined]
            found.append(case)
    else:
        found = list(cases.select_related("owner").order_by("name_last", "name_first")[:SEARCH_LIMIT])
    act.record(details={"query": query, "age": age, "location": location,
                        "results": [c.display_id for c in found]})
    return found


def _split_by_section(act: Action, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Group flat field values by the form section that holds each field."""
    by_section: dict[str, dict[str, Any]] = {}
    unknown = []
    for key, value in data.items():
        field = act.module.fields.get(key)
        if field is None or not field.stores_value:
            unknown.append(key)
            continue
        by_section.setdefault(field.section, {})[key] = value
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)},
                               details={"fields": {k: [_("Unknown field.")] for k in unknown}})
    return by_section


def _registration_data(act: Action, data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Validate the registration-step sections named in `data` (and those with required fields)."""
    by_section = _split_by_section(act, data)
    cleaned: dict[str, Any] = apply_defaults(act.module, current, act.now)
    ctx = act.write_context()
    errors: dict[str, list[str]] = {}
    for section in act.module.sections:
        if section.step != "registration" and section.code not in by_section:
            continue
        require_section_write(act.actor, section.code, act.config)
        merge_section(section, by_section.get(section.code, {}), cleaned, act.config,
                      partial=True, ctx=ctx, errors=errors)
    if errors:
        raise ValidationFailed(_("The registration is not complete or not valid."),
                               details={"fields": errors})
    return cleaned


def case_prefix(module_code: str) -> str:
    """The prefix of case numbers: the module's short name (`cp` -> CP, Primero's
    `primeromodule-cp` -> CP), short enough for the case number's column."""
    last = re.split(r"[-_.]", module_code)[-1] or module_code
    return last[:8].upper() or "CASE"


def _new_case(act: Action, status: str) -> Case:
    act.space.case_counter += 1
    type(act.space).objects.filter(pk=act.space.pk).update(case_counter=act.space.case_counter)
    prefix = case_prefix(act.module.code)
    return Case(
        space=act.space, module=act.module.code,
        display_id=f"{prefix}-{act.space.case_counter:04d}",
        registration_status=status, owner=act.actor, agency=act.actor.agency,
        user_groups=list(act.actor.user_groups), created_at=act.now, updated_at=act.now,
    )


@transaction.atomic
def case_identify(*, actor: Member, data: dict[str, Any], summary: str = "",
                  system: str = "") -> Case:
    """Record a child who was reported or identified, before the case is registered.
    Only the values given are kept; registration checks the required fields later.
    `system` names the simulation when a case arrives during an exercise (the case
    is then `actor`'s, but the event says the simulation created it)."""
    act = Action(actor, "case.identify", system=system)
    _split_by_section(act, data)  # unknown fields are refused
    defaults = apply_defaults(act.module, {}, act.now)
    ctx = act.write_context()
    values: dict[str, Any] = {}
    for key, value in data.items():
        fdef = act.module.fields[key]
        try:
            values[key] = clean_value(fdef, value, act.config, ctx)
        except ValueError as exc:
            raise ValidationFailed(str(exc), details={"fields": {key: [str(exc)]}}) from exc
        if (fdef.hidden or fdef.readonly) and ctx.by_user and values[key] != defaults.get(key):
            raise protected_field(fdef)
    case = _new_case(act, RegistrationStatus.IDENTIFIED)
    case.data = drop_hidden(act.module, {**defaults, **values})
    for key, value in core_values(act.module, values).items():
        setattr(case, key, value)
    case.save()
    act.record(case=case, details={"summary": summary, "fields": sorted(values)})
    return case


@transaction.atomic
def case_register(*, actor: Member, data: dict[str, Any], case: Case | None = None) -> Case:
    """Register a child: a new case, or one identified earlier (`case`)."""
    act = Action(actor, "case.register", case)
    if case is not None and case.registration_status != RegistrationStatus.IDENTIFIED:
        raise ValidationFailed(_("This case is already registered."), code="already_registered")
    values = _registration_data(act, data, case.data if case else {})
    if case is None:
        case = _new_case(act, RegistrationStatus.REGISTERED)
    case.registration_status = RegistrationStatus.REGISTERED
    case.data = values
    for key, value in core_values(act.module, values).items():
        setattr(case, key, value)
    case.stage = Stage.NEW
    case.registered_at = act.now
    case.updated_at = act.now
    case.save()
    open_task(case, act.module.policy, TaskKind.ASSESSMENT, act.now)
    act.record(case=case, details={"duplicate_of": likely_duplicates(case)})
    return case


def likely_duplicates(case: Case) -> list[str]:
    """Other records of the space that are likely the same child: the case numbers.

    The duplicate search's own comparison of names (`matching.rank`: spelling, sound,
    script, nickname, in any order), with a stricter bar than its list of candidates: the
    whole name alike to DUPLICATE_NAME or more, and neither the sex nor the age (give or take
    a year) known on both records and different.
    """
    if not (case.name_first or case.name_last):
        return []
    others = [matching.Record(*row) for row in Case.objects.filter(space_id=case.space_id)
              .exclude(pk=case.pk).values_list(*matching.Record._fields)]
    found = []
    for candidate in matching.rank(others, name=f"{case.name_first} {case.name_last}",
                                   threshold=DUPLICATE_NAME):
        other = candidate.case
        if case.sex and other.sex and case.sex != other.sex:
            continue
        if case.age is not None and other.age is not None and abs(case.age - other.age) > 1:
            continue
        found.append(other.display_id)
    return sorted(found)


def protected_field(fdef: Any) -> ValidationFailed:
    """A user tried to set a hidden or read-only field."""
    name = pick(fdef.label) or fdef.code
    message = (_("%(field)s is read-only.") if fdef.readonly
               else _("%(field)s cannot be set by users.")) % {"field": name}
    return ValidationFailed(message, code="read_only", details={"fields": {fdef.code: [message]}})


@transaction.atomic
def case_update(*, actor: Member, case: Case, section: str, data: dict[str, Any],
                partial: bool = False, system: str = "",
                files: dict[str, list[UploadedFile]] | None = None) -> Case:
    """Save one form section of a case (`system`: new information from the simulation).
    `files`: new documents for the section's upload fields, stored with the save."""
    act = Action(actor, "case.update", case, system=system)
    section_def = act.module.section(section)
    if section_def is None:
        raise ValidationFailed(_("Unknown form section '%(section)s'.") % {"section": section})
    if not system:
        require_section_write(actor, section, act.config)
    require_open(case)
    data = dict(data)
    uploads = {f.code: f for f in section_def.fields if f.type == "upload"}
    for code, items in (files or {}).items():
        fdef = uploads.get(code)
        if fdef is None or not items:
            continue
        if fdef.readonly or fdef.hidden:
            raise protected_field(fdef)
        checked = [check_file(fdef, item) for item in items]  # all checked before any is stored
        kept = data.get(code, case.data.get(code)) or []
        added = [store(act, case, fdef, c).as_value() for c in checked]
        data[code] = [*kept, *added]
    values = clean_section(section_def, data, case.data, act.config, partial=partial,
                           ctx=act.write_context(case))
    new_data = {k: v for k, v in case.data.items() if k not in {f.code for f in section_def.fields}}
    new_data.update(values)
    old_risk = case.risk_level
    case.data = new_data
    for key, value in core_values(act.module, new_data).items():
        setattr(case, key, value)
    case.updated_at = act.now
    case.save()
    if case.risk_level != old_risk:
        reschedule(case, act.module.policy)
    if uploads:
        forget_unused(case)
    act.record(case=case, details={"section": section})
    return case


@transaction.atomic
def consent_record(*, actor: Member, case: Case, consent_type: str, given: bool,
                   given_by: str = "", notes: str = "") -> Case:
    """Record consent (or assent) of one type: services, sharing information, tracing..."""
    act = Action(actor, "consent.record", case)
    require_open(case)
    fields = act.module.policy.consent_fields
    if consent_type not in fields:
        raise ValidationFailed(
            _("'%(type)s' is not a consent type of this configuration.") % {"type": consent_type},
            details={"fields": {"consent_type": [_("Unknown consent type.")]}})
    if not isinstance(given, bool):
        raise ValidationFailed(_("Say whether consent was given (true or false)."),
                               details={"fields": {"given": [_("Expected true or false.")]}})
    field = act.module.fields[fields[consent_type]]
    if act.role and not any(act.role.section_access(s) == "read_write"
                            for s in act.module.sections_of(field.code)):
        raise NotAllowed(_("Your role may not edit the consent form."), code="forbidden_section")
    case.data = drop_hidden(act.module, {**case.data, field.code: consent_answer(
        act, consent_type, field, given)})
    case.updated_at = act.now
    case.save()
    act.record(case=case, details={"consent_type": consent_type, "given": given,
                                   "given_by": given_by, "notes": notes})
    return case



def consent_answer(act: Action, consent_type: str, field: Any, given: bool) -> Any:
    """The value that records the answer: yes/no on a tick box; on a yes/no radio or
    select, the option the policy names as "given", or for a refusal the other option
    (the one called no/false when the list has more than two)."""
    wanted = act.module.policy.consent_given.get(consent_type, True)
    if wanted is True:
        return given
    if given:
        return wanted
    lookup = act.config.lookups.get(field.lookup or "")
    others = [code for code in (lookup.options if lookup else {}) if code != wanted]
    refusal = next((c for c in others if c.lower() in ("no", "false", "n", "0")), None)
    if refusal is None and others:
        refusal = others[0]
    if refusal is None:
        raise ValidationFailed(_("This configuration cannot record a refused consent of this type."),
                               code="consent_refusal_unknown")
    return refusal
