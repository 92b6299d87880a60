"""Writing incident records: one keyword-only service per action, each checking the role,
the scope and the data, under the space's lock, writing exactly one event.

Exporting de-identified incident data changes no record, but it is data leaving the case
system: each export (the Incident Recorder, the statistics) writes one `incident.export`
event with what left (how many rows or cells, which months), never who is in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.cases.models import Case, Referral
from sandbox.cases.services._core import Action, require_open
from sandbox.common.errors import ValidationFailed
from sandbox.spaces.models import Member

from .classification import classify, ordered
from .models import Incident
from .recorder import Month, recorder_rows, statistics
from .vocabulary import GbvType, IncidentContext, PerpetratorRelationship, ServiceArea

#: The keys an incident body may have.
FIELDS = ("incident_date", "location", "acts", "perpetrator_relationship", "context",
          "services_provided", "referred_to")


def incident_defaults(case: Case) -> dict[str, Any]:
    """What an incident from this case starts with: the survivor's area, and the providers
    the case was referred to."""
    config = case.space.config
    referred = []
    for referral in Referral.objects.filter(case=case).select_related("to_member"):
        role = config.roles.get(referral.to_member.role) if referral.to_member else None
        if role and role.provider in ServiceArea.values and role.provider not in referred:
            referred.append(role.provider)
    return {"location": case.location, "referred_to": [p for p in ServiceArea.values if p in referred],
            "acts": [], "context": [], "services_provided": []}


@transaction.atomic
def incident_create(*, actor: Member, case: Case, data: dict[str, Any]) -> Incident:
    """Record an incident from the survivor's case ("incident from case"): the area, the
    referrals and the survivor's age and sex come from the case unless given."""
    act = Action(actor, "incident.create", case)
    require_open(case)
    values = _clean(act, {**incident_defaults(case), **(data or {})})
    count = Incident.objects.filter(space=act.space).count()
    incident = Incident.objects.create(
        space=act.space, case=case, display_id=f"INC-{count + 1:04d}",
        survivor_age=case.age, survivor_sex=case.sex, created_by=actor,
        created_at=act.now, updated_at=act.now, **values)
    act.record(record=incident, details=_details(incident), changes={})
    return incident


@transaction.atomic
def incident_update(*, actor: Member, incident: Incident, data: dict[str, Any]) -> Incident:
    """Correct an incident record: the keys given replace the recorded ones."""
    act = Action(actor, "incident.update", incident.case)
    act.fresh(incident)
    current = {key: getattr(incident, key) for key in FIELDS}
    current["incident_date"] = incident.incident_date.isoformat()
    values = _clean(act, {**current, **(data or {})})
    before = _details(incident)
    for key, value in values.items():
        setattr(incident, key, value)
    incident.updated_at = act.now
    incident.save()
    after = _details(incident)
    act.record(record=incident, details=after, changes={
        key: [before[key], after[key]] for key in after if before[key] != after[key]})
    return incident


#: The forms an export takes: a file, a page, the API's JSON.
EXPORT_FORMATS = ("csv", "page", "json")


@transaction.atomic
def recorder_export(*, actor: Member, file_format: str) -> list[dict[str, str]]:
    """The Incident Recorder rows the actor may export, recorded as one event: the number
    of rows and the months they were reported in."""
    act = _export_action(actor, file_format)
    rows = recorder_rows(viewer=actor)
    act.record(changes={}, details={
        "export": "recorder", "format": file_format, "rows": len(rows),
        **_period([row["reported_month"] for row in rows])})
    return rows


@transaction.atomic
def statistics_export(*, actor: Member, file_format: str) -> list[Month]:
    """The monthly statistics the actor may see, recorded as one event: the number of
    months and of cells, how many of them were suppressed, and the months covered."""
    act = _export_action(actor, file_format)
    months = statistics(viewer=actor)
    tables = [table for month in months for table in month.tables]
    act.record(changes={}, details={
        "export": "statistics", "format": file_format, "months": len(months),
        "cells": sum(len(t.cells) for t in tables),
        "suppressed": sum(len(t.suppressed) for t in tables),
        **_period([month.month for month in months])})
    return months


def _export_action(actor: Member, file_format: str) -> Action:
    if file_format not in EXPORT_FORMATS:
        raise ValidationFailed(_("Unknown export format: %(format)s.") % {"format": file_format})
    return Action(actor, "incident.export")


def _period(months: list[str]) -> dict[str, str]:
    """The first and last month (YYYY-MM) of an export; empty when nothing was exported."""
    return {"period_from": min(months, default=""), "period_to": max(months, default="")}


def _details(incident: Incident) -> dict[str, Any]:
    """What the event keeps: codes and dates only, never free text."""
    return {"incident": incident.display_id, "gbv_type": incident.gbv_type,
            "acts": list(incident.acts), "incident_date": str(incident.incident_date),
            "location": incident.location,
            "perpetrator_relationship": incident.perpetrator_relationship,
            "context": list(incident.context), "services_provided": list(incident.services_provided),
            "referred_to": list(incident.referred_to)}


def _clean(act: Action, data: dict[str, Any]) -> dict[str, Any]:
    """The incident's values, checked; every problem named by its field at once."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(FIELDS))
    for key in unknown:
        errors[key] = [_("Unknown field.")]
    values: dict[str, Any] = {}
    values["incident_date"] = _date(data.get("incident_date"), act.now.date(), errors)
    location = str(data.get("location") or "")
    if location not in act.config.locations:
        errors["location"] = [_("Choose the area where the incident happened.")]
    values["location"] = location
    values["acts"] = _choices(data.get("acts"), GbvType.values, "acts", errors, required=True)
    if values["acts"] and "acts" not in errors:
        values["gbv_type"] = classify(values["acts"])
        values["acts"] = ordered(values["acts"])
    relationship = data.get("perpetrator_relationship")
    if relationship not in PerpetratorRelationship.values:
        errors["perpetrator_relationship"] = [
            _("Choose the alleged perpetrator's relationship to the survivor.")]
    values["perpetrator_relationship"] = relationship
    values["context"] = _choices(data.get("context"), IncidentContext.values, "context", errors)
    for key in ("services_provided", "referred_to"):
        values[key] = _choices(data.get(key), ServiceArea.values, key, errors)
    if errors:
        raise ValidationFailed(_("The incident record has problems: see the fields."),
                               details={"fields": errors})
    return values


def _date(value: Any, today: dt.date, errors: dict[str, list[str]]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        errors["incident_date"] = [_("Enter the date of the incident (YYYY-MM-DD).")]
        return None
    if day > today:
        errors["incident_date"] = [_("The date of the incident cannot be in the future.")]
    return day


def _choices(value: Any, allowed: list[str], key: str, errors: dict[str, list[str]], *,
             required: bool = False) -> list[str]:
    if value in (None, ""):
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[key] = [_("Expected a list of codes.")]
        return []
    bad = [v for v in value if v not in allowed]
    if bad:
        errors[key] = [_("Not a valid choice: %(value)s.") % {"value": bad[0]}]
        return []
    if required and not value:
        errors[key] = [_("Choose at least one.")]
    return [v for v in allowed if v in value]
