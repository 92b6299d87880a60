"""Showing stored values to people: option labels, places, risk badges, action labels.

Everything here reads the configuration in memory (`space.config`), never the
database, so that a list of a thousand cases costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sandbox.common import i18n
from sandbox.common.i18n import pick
from sandbox.configuration.models import Step
from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef

from ..models import ApprovalKind, Case, RegistrationStatus, Stage, Status

#: A short, readable label for each action of the event log.
ACTION_LABELS: dict[str, Any] = {
    "case.search": _("Searched existing records"),
    "case.identify": _("Child identified"),
    "case.register": _("Case registered"),
    "case.update": _("Form saved"),
    "consent.record": _("Consent recorded"),
    "assessment.request": _("Assessment started"),
    "assessment.complete": _("Assessment completed"),
    "case_plan.save": _("Case plan saved"),
    "approval.request": _("Approval requested"),
    "approval.decide": _("Approval decided"),
    "service.add": _("Service added"),
    "service.implement": _("Service implemented"),
    "referral.create": _("Case referred"),
    "referral.accept": _("Referral accepted"),
    "referral.reject": _("Referral rejected"),
    "referral.done": _("Referral done"),
    "followup.record": _("Follow-up recorded"),
    "case.close": _("Case closed"),
    "case.reopen": _("Case reopened"),
    "transfer.create": _("Transfer offered"),
    "transfer.accept": _("Transfer accepted"),
    "transfer.reject": _("Transfer rejected"),
    "case.assign": _("Case reassigned"),
    "transfer.request": _("Transfer requested"),
    "transfer_request.accept": _("Transfer request accepted"),
    "transfer_request.decline": _("Transfer request declined"),
    "referral.revoke": _("Referral revoked"),
    "transfer.revoke": _("Transfer revoked"),
    "note.add": _("Note added"),
    "case.flag": _("Case flagged"),
    "case.unflag": _("Flag removed"),
    "referral.create.refused": _("Referral refused: consent missing"),
    "transfer.create.refused": _("Transfer refused: consent missing"),
    "transfer_request.accept.refused": _("Transfer request refused: consent missing"),
    "case.assign.refused": _("Reassignment refused: consent missing"),
    "service.add.refused": _("Service refused: consent missing"),
    "followup.record.refused": _("Follow-up refused: consent missing"),
    "assessment.request.refused": _("Assessment refused: consent missing"),
    "case.close.refused": _("Closure refused: not approved"),
    "case_plan.save.refused": _("Case plan refused: assessment not approved"),
    "case.export": _("Case exported"),
    "incident.export": _("Incident data exported (de-identified)"),
}

#: Bootstrap colours of the risk levels the shipped bundles use; others are grey.
RISK_COLOURS = {"high": "danger", "medium": "warning", "low": "success"}

#: Which SOP step each workflow stage belongs to (for the step bar of a case).
STAGE_STEP = {
    Stage.NEW: Step.CONSENT, Stage.REOPENED: Step.ASSESSMENT, Stage.ASSESSMENT: Step.ASSESSMENT,
    Stage.CASE_PLAN: Step.CASE_PLAN, Stage.SERVICE_PROVISION: Step.SERVICES,
    Stage.SERVICES_IMPLEMENTED: Step.SERVICES, Stage.CLOSED: Step.CLOSURE,
}

#: How dates are shown: day and month name, never an ambiguous 03/05.

YES = _("Yes")
NO = _("No")


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def lookup_label(config: BundleConfig, lookup: str | None, code: str) -> str:
    if not code:
        return ""
    if lookup and lookup in config.lookups:
        return config.lookups[lookup].label(code)
    return code


def options(config: BundleConfig, lookup: str | None) -> list[tuple[str, str]]:
    """The (code, label) choices of a lookup in the active language."""
    if not lookup or lookup not in config.lookups:
        return []
    return [(code, option.text()) for code, option in config.lookups[lookup].options.items()]


def system_options(config: BundleConfig, module: ModuleDef, name: str) -> list[tuple[str, str]]:
    return options(config, module.system_lookups.get(name))


def core_lookup(module: ModuleDef, core: str) -> str | None:
    """The lookup of a core field (sex, risk level) of the module."""
    field = module.fields.get(module.core_fields.get(core, ""))
    return field.lookup if field else None


def risk_label(config: BundleConfig, module: ModuleDef, code: str) -> str:
    return lookup_label(config, core_lookup(module, "risk_level"), code)


def risk_rank(config: BundleConfig, module: ModuleDef) -> dict[str, int]:
    """Risk codes by urgency: the order of the risk lookup's options (high first)."""
    lookup = core_lookup(module, "risk_level")
    codes = list(config.lookups[lookup].options) if lookup in config.lookups else []
    return {code: i for i, code in enumerate(codes)}


def location_choices(config: BundleConfig, level: int | None = None,
                     *, indent: bool = False) -> list[tuple[str, str]]:
    """Places in hierarchy order: those at `level` (with their parents in the label),
    or every place below the country, indented by level for a filter."""
    places = sorted(config.locations.values(), key=lambda loc: loc.path)
    choices = []
    for place in places:
        if level is not None:
            if place.admin_level == level:
                choices.append((place.code, config.location_label(place.code)))
        elif place.admin_level > 0:
            pad = "\u00a0\u00a0\u00a0" * (place.admin_level - 1) if indent else ""
            choices.append((place.code, pad + pick(place.name)))
    return choices


def format_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10]) if len(value) <= 10 else \
                dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    # As the page's language writes them (CLDR), like every date on the pages.
    if isinstance(value, dt.datetime):
        return i18n.format_datetime(value)
    if isinstance(value, dt.date):
        return i18n.format_date(value)
    return "" if value is None else str(value)


def option_label(config: BundleConfig, field: FieldDef, code: Any,
                 members: dict[str, str] | None = None) -> str:
    """The label of a chosen option: from the lookup, or an agency, group or member."""
    if field.options_from == "agencies":
        agency = config.agencies.get(code)
        return pick(agency.name) if agency else str(code)
    if field.options_from == "user_groups":
        group = config.user_groups.get(code)
        return pick(group["name"]) if group else str(code)
    if field.options_from == "users":
        return (members or {}).get(code, str(code))
    return lookup_label(config, field.lookup, code)


def field_display(config: BundleConfig, field: FieldDef, value: Any,
                  members: dict[str, str] | None = None) -> Any:
    """A stored form value as people read it; subforms give a list of rows of
    (label, text) pairs."""
    if value is None or value == "" or value == []:
        return ""
    kind = field.type
    if kind in ("select", "radio"):
        return option_label(config, field, value, members)
    if kind == "multi_select":
        return ", ".join(option_label(config, field, v, members) for v in value)
    if kind == "upload":
        return ", ".join(str(d.get("name", "")) for d in value if isinstance(d, dict))
    if kind == "tick_box":
        return str(YES if value else NO)
    if kind in ("date", "datetime"):
        return format_date(value)
    if kind == "location":
        return config.location_label(value)
    if kind == "subform":
        return [[(pick(col.label), field_display(config, col, row.get(col.code), members))
                 for col in field.columns if not col.hidden and col.stores_value]
                for row in value if isinstance(row, dict)]
    return str(value)


def column_display(config: BundleConfig, module: ModuleDef, name: str, value: Any,
                   members: dict[int, str]) -> str:
    """A case column's value (from the event log) as people read it."""
    if value is None or value == "":
        return ""
    if name == "stage":
        return str(Stage(value).label) if value in Stage.values else str(value)
    if name == "status":
        return str(Status(value).label) if value in Status.values else str(value)
    if name == "registration_status":
        return str(RegistrationStatus(value).label) if value in RegistrationStatus.values \
            else str(value)
    if name == "risk_level":
        return risk_label(config, module, value)
    if name == "owner_id":
        return members.get(value, f"#{value}")
    if name == "location":
        return config.location_label(value)
    if name == "agency":
        agency = config.agencies.get(value)
        return pick(agency.name) if agency else str(value)
    if name == "flagged":
        return str(YES if value else NO)
    return str(value)


def column_label(name: str) -> str:
    field_name = name[:-3] if name.endswith("_id") else name
    try:
        return str(Case._meta.get_field(field_name).verbose_name)
    except Exception:  # a column of an older version of the model
        return name


def change_rows(config: BundleConfig, module: ModuleDef, changes: dict[str, Any],
                members: dict[int, str]) -> list[dict[str, Any]]:
    """The changed fields of an event: label, before, after (in readable form); form
    fields first, in the order of the forms, then the case's own columns."""
    order = {code: i for i, code in enumerate(module.fields)}
    rows = []
    for key, pair in changes.items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        if key.startswith("data."):
            code = key[5:]
            field = module.fields.get(code)
            if field is not None and field.hidden:
                continue  # the system's own values are not shown to users
            if field is None:
                rows.append({"key": key, "label": code, "before": before, "after": after,
                             "sort": (1, 0, code)})
                continue
            rows.append({"key": key, "label": pick(field.label),
                         "before": field_display(config, field, before),
                         "after": field_display(config, field, after), "field": field,
                         "sort": (0, order.get(code, 0), code)})
        else:
            rows.append({"key": key, "label": capfirst(column_label(key)),
                         "before": column_display(config, module, key, before, members),
                         "after": column_display(config, module, key, after, members),
                         "sort": (2, 0, key)})
    rows.sort(key=lambda row: row["sort"])
    return rows


#: Labels of the details events carry (what is not a change of the case).
DETAIL_LABELS: dict[str, Any] = {
    "kind": _("Approval of"), "approved": _("Approved"), "comment": _("Comment"),
    "consent_type": _("Consent"), "given": _("Given"), "given_by": _("Given by"),
    "notes": _("Notes"), "subject": _("Subject"), "reason": _("Reason"),
    "service_type": _("Service"), "provider_agency": _("Provided by"),
    "to_member": _("To"), "to_agency": _("Agency"), "urgency": _("Urgency"),
    "followup_type": _("Type of follow-up"), "date": _("Date"),
    "risk_before": _("Risk level before"), "risk_after": _("Risk level after"),
    "section": _("Form"), "query": _("Searched for"), "age": _("Age"), "location": _("Location"),
    "summary": _("Summary"), "consent_missing": _("Consent missing"),
    "consent_override_reason": _("Reason for acting without consent"),
    "document": _("Document"),
    "format": _("File format"), "deidentified": _("De-identified"), "cases": _("Cases"),
}


def detail_rows(config: BundleConfig, module: ModuleDef, details: dict[str, Any]) -> list[tuple[str, str]]:
    """The details of an event as (label, text) pairs, codes shown with their labels."""
    lookups = module.system_lookups
    consent_lookup = lookups.get("consent_type")
    giver = module.fields.get("consent_given_by")

    def text(key: str, value: Any) -> str:
        if isinstance(value, bool):
            return str(YES if value else NO)
        if key == "kind":
            return str(ApprovalKind(value).label) if value in ApprovalKind.values else str(value)
        if key == "consent_type":
            return lookup_label(config, consent_lookup, value)
        if key == "consent_missing" and isinstance(value, list):
            return ", ".join(lookup_label(config, consent_lookup, v) for v in value)
        if key == "given_by":
            return lookup_label(config, giver.lookup if giver else None, value)
        if key in ("service_type", "followup_type"):
            return lookup_label(config, lookups.get(key), value)
        reasons = config.lookups.get(lookups.get("referral_reason", ""))
        if key == "reason" and reasons is not None and value in reasons.options:
            return reasons.label(value)
        if key in ("risk_before", "risk_after"):
            return risk_label(config, module, value)
        if key in ("to_agency", "provider_agency"):
            agency = config.agencies.get(value)
            return pick(agency.name) if agency else str(value)
        if key == "urgency":
            return lookup_label(config, "urgency", value)
        if key == "location":
            return config.location_label(value)
        if key == "section":
            section = module.section(value)
            return pick(section.name) if section else str(value)
        if key == "date":
            return format_date(value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    return [(str(DETAIL_LABELS.get(key, key)), text(key, value)) for key, value in details.items()
            if value not in ("", None, [], {}) and key not in ("results", "fields")]
