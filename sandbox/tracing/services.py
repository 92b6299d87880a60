"""The actions of family tracing: one keyword-only, atomic service per action, each checking
the actor's role and scope, validating its input and writing exactly one event.

A tracing request is scoped like a case (its owner, agency and user groups). Matching
reads every case of the space, as the duplicate search does, but shows only what the
search shows (names, sex, age, place). Confirming a match shares the tracing request with
the case, so it needs the case's consent for tracing (`consent.required` of the policy
names it for `match.confirm`), or an override with a reason by a role that may override.
Confirmation, verification and the care arrangement are recorded as events on the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.cases.models import Case
from sandbox.cases.permissions import in_scope
from sandbox.cases.services._core import Action, check_consent, require_text
from sandbox.cases.services.refusals import records_refusal
from sandbox.common.errors import NotAllowed, NotFound, ValidationFailed
from sandbox.spaces.models import Member

from . import matching
from .formdata import clean_form, form_changes
from .models import (
    CareOutcome,
    MatchStatus,
    RequestStatus,
    Trace,
    TraceOutcome,
    TraceType,
    TracingMatch,
    TracingRequest,
)

#: The fields of a tracing request a worker writes, and their longest length.
TEXT_FIELDS = {"inquirer_name": 200, "inquirer_relationship": 100, "inquirer_contact": 200,
               "name_first": 120, "name_last": 120, "other_names": 200, "description": 5000,
               "circumstances": 5000}
REQUIRED = ("inquirer_name", "inquirer_relationship")
#: `data`: the values of the bundle's tracing request sections (see `formdata`).
FIELDS = (*TEXT_FIELDS, "sex", "age_from", "age_to", "separation_date", "separation_place", "data")
MAX_AGE = 25


def _scoped(act: Action, request: TracingRequest) -> TracingRequest:
    """The tracing request as it is now, if it is in this space and the actor's scope."""
    if request.space_id != act.space.pk:
        raise NotFound(_("No such tracing request in this space."))
    act.fresh(request)
    if act.role is not None and not in_scope(act.actor, request, act.role):  # type: ignore[arg-type]
        raise NotAllowed(
            _("This tracing request is outside the records you can act on (scope: %(scope)s).")
            % {"scope": act.role.scope}, code="forbidden_by_scope")
    return request


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"fields": {field: [message]}})


def _date(value: Any, field: str, *, not_after: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise _invalid(field, _("Enter the date as YYYY-MM-DD.")) from None
    if not isinstance(value, dt.date):
        raise _invalid(field, _("Enter the date as YYYY-MM-DD."))
    if not_after is not None and value > not_after:
        raise _invalid(field, _("This date is in the future."))
    return value


def _age(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise _invalid(field, _("Enter an age from 0 to %(max)d.") % {"max": MAX_AGE})
    return value


def clean_request(act: Action, data: dict[str, Any], *, partial: bool = False,
                  current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values of a tracing request, checked against the configuration; every problem
    is reported at once, by field (a configured field by its id). `data["data"]` holds the
    values of the configured sections; `current` is the request's data now."""
    if not isinstance(data, dict):
        raise ValidationFailed(_("Expected an object of fields."))
    unknown = sorted(set(data) - set(FIELDS))
    problems: dict[str, list[str]] = {k: [_("Unknown field.")] for k in unknown}
    values: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name not in data:
            if not partial and name in REQUIRED:
                problems[name] = [_("This field is required.")]
            continue
        value = data[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems[name] = [_("Expected text.")]
        elif len(value) > limit:
            problems[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
        elif name in REQUIRED and not value.strip():
            problems[name] = [_("This field is required.")]
        else:
            values[name] = value.strip()
    if data.get("sex"):
        field = act.module.fields.get(act.module.core_fields.get("sex", ""))
        lookup = act.config.lookups.get(field.lookup) if field and field.lookup else None
        if lookup is not None and data["sex"] not in lookup.options:
            problems["sex"] = [_("'%(value)s' is not one of the options.") % {"value": data["sex"]}]
        else:
            values["sex"] = data["sex"]
    elif "sex" in data:
        values["sex"] = ""
    for name in ("age_from", "age_to"):
        if name in data:
            try:
                values[name] = _age(data[name], name)
            except ValidationFailed as exc:
                problems.update(exc.details["fields"])
    if "separation_date" in data:
        try:
            values["separation_date"] = _date(data["separation_date"], "separation_date",
                                              not_after=act.now.date())
        except ValidationFailed as exc:
            problems.update(exc.details["fields"])
    if "separation_place" in data:
        place = data["separation_place"] or ""
        if place and place not in act.config.locations:
            problems["separation_place"] = [_("Unknown location.")]
        else:
            values["separation_place"] = place
    low, high = values.get("age_from"), values.get("age_to")
    if low is not None and high is not None and low > high:
        problems["age_to"] = [_("The age range ends before it starts.")]
    if not partial and not any(values.get(k) for k in ("name_first", "name_last", "other_names",
                                                        "description")):
        problems.setdefault("name_first", []).append(
            _("Give a name of the child or a description."))
    if "data" in data or not partial:
        try:
            values["data"] = clean_form(act, data.get("data"), current or {}, partial=partial)
        except ValidationFailed as exc:
            problems.update(exc.details.get("fields", {}))
    if problems:
        raise ValidationFailed(_("Some fields need attention."), details={"fields": problems})
    return values


@transaction.atomic
def tracing_request_create(*, actor: Member, data: dict[str, Any]) -> TracingRequest:
    """Register an inquirer's request to find a child; the actor owns it."""
    act = Action(actor, "tracing_request.create")
    values = clean_request(act, data)
    number = TracingRequest.objects.filter(space=act.space).count() + 1
    request = TracingRequest.objects.create(
        space=act.space, display_id=f"TR-{number:04d}", owner=actor, agency=actor.agency,
        user_groups=list(actor.user_groups or []), created_at=act.now, updated_at=act.now,
        **values)
    changes = {k: [None, _plain(v)] for k, v in values.items() if v not in ("", None, {})
               and k != "data"}
    changes.update(form_changes({}, request.data))
    act.record(record=request, details={"display_id": request.display_id}, changes=changes)
    return request


@transaction.atomic
def tracing_request_update(*, actor: Member, request: TracingRequest,
                           data: dict[str, Any]) -> TracingRequest:
    """Change what is known of the inquirer or the child sought (only the fields given)."""
    act = Action(actor, "tracing_request.update")
    _scoped(act, request)
    values = clean_request(act, data, partial=True, current=request.data)
    changes = {k: [_plain(getattr(request, k)), _plain(v)] for k, v in values.items()
               if getattr(request, k) != v and k != "data"}
    if "data" in values:
        changes.update(form_changes(request.data, values["data"]))
    for key, value in values.items():
        setattr(request, key, value)
    if not any(getattr(request, k) for k in ("name_first", "name_last", "other_names", "description")):
        raise _invalid("name_first", _("Give a name of the child or a description."))
    if request.age_from is not None and request.age_to is not None \
            and request.age_from > request.age_to:
        raise _invalid("age_to", _("The age range ends before it starts."))
    request.updated_at = act.now
    request.save()
    act.record(record=request, details={"display_id": request.display_id}, changes=changes)
    return request


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def trace_record(*, actor: Member, request: TracingRequest, date: Any, trace_type: str,
                 outcome: str, place: str = "", note: str = "") -> Trace:
    """Record something done to find the child: an interview, a visit, a call..."""
    act = Action(actor, "trace.record")
    _scoped(act, request)
    when = _date(date, "date", not_after=act.now.date())
    if when is None:
        raise _invalid("date", _("This field is required."))
    if trace_type not in TraceType.values:
        raise _invalid("trace_type", _("'%(value)s' is not one of the options.") % {"value": trace_type})
    if outcome not in TraceOutcome.values:
        raise _invalid("outcome", _("'%(value)s' is not one of the options.") % {"value": outcome})
    if place and place not in act.config.locations:
        raise _invalid("place", _("Unknown location."))
    if not isinstance(note, str) or len(note) > 5000:
        raise _invalid("note", _("At most %(limit)d characters.") % {"limit": 5000})
    trace = Trace.objects.create(space=act.space, tracing_request=request, date=when,
                                 trace_type=trace_type, place=place, outcome=outcome,
                                 note=note.strip(), created_by=actor, created_at=act.now)
    request.updated_at = act.now
    request.save(update_fields=["updated_at"])
    act.record(record=trace, details={"tracing_request": request.display_id,
                                      "trace_type": trace_type, "outcome": outcome})
    return trace


def sought(request: TracingRequest, config: Any) -> matching.Sought:
    """What a tracing request tells the matching."""
    place = config.locations.get(request.separation_place) if request.separation_place else None
    names = tuple(n for n in (request.child_name, request.other_names) if n.strip())
    return matching.Sought(names=names, sex=request.sex, age_from=request.age_from,
                           age_to=request.age_to, place_path=place.path if place else None,
                           separated_on=request.separation_date)


@transaction.atomic
def match_search(*, actor: Member, request: TracingRequest) -> list[TracingMatch]:
    """Look for the child among every case of the space; the candidates are kept as proposed
    matches (replacing the proposals of an earlier search), best first."""
    act = Action(actor, "match.search")
    _scoped(act, request)
    rows = [matching.Row(*row) for row in
            Case.objects.filter(space=act.space).values_list(*matching.COLUMNS)]
    paths = {code: loc.path for code, loc in act.config.locations.items()}
    candidates = matching.rank(rows, sought(request, act.config), paths=paths,
                               dates=lambda pks: _dates_identified(act, list(pks)))
    decided = set(TracingMatch.objects.filter(tracing_request=request).exclude(
        status=MatchStatus.PROPOSED).values_list("case_id", flat=True))
    TracingMatch.objects.filter(tracing_request=request, status=MatchStatus.PROPOSED).delete()
    TracingMatch.objects.bulk_create([
        TracingMatch(space=act.space, tracing_request=request, case_id=c.row.pk, score=c.score,
                     reasons=[[why, detail] for why, detail in c.reasons], created_at=act.now)
        for c in candidates if c.row.pk not in decided])
    act.record(record=request, details={
        "tracing_request": request.display_id,
        "candidates": [{"case": c.row.display_id, "score": c.score} for c in candidates]})
    return list(TracingMatch.objects.filter(tracing_request=request).select_related("case"))


def _dates_identified(act: Action, pks: list[int]) -> dict[int, Any]:
    """When each of these cases' children was identified (form data, read for a few rows)."""
    cases = Case.objects.filter(space=act.space)
    if len(pks) <= 500:
        cases = cases.filter(pk__in=pks)
    return dict(cases.values_list("pk", "data__date_identified"))


def _match_action(actor: Member, match: TracingMatch, action: str, *statuses: str) -> Action:
    act = Action(actor, action)
    if match.space_id != act.space.pk:
        raise NotFound(_("No such match in this space."))
    act.fresh(match)
    _scoped(act, match.tracing_request)
    if match.status not in statuses:
        raise ValidationFailed(_("This match is %(status)s: this step does not apply to it.")
                               % {"status": match.get_status_display()}, code="wrong_status")
    return act


def _on_case(act: Action, match: TracingMatch, **details: Any) -> None:
    """The event of a step of a match, written on the case it concerns."""
    act.record(case=match.case, record=match, changes={}, details={
        "tracing_request": match.tracing_request.display_id, **details})


@records_refusal("match.confirm", record="match")
@transaction.atomic
def match_confirm(*, actor: Member, match: TracingMatch, reason: str,
                  consent_override_reason: str = "") -> TracingMatch:
    """Confirm that the case is the child sought, saying why; needs the case's consent for
    tracing (or an override with a reason)."""
    act = _match_action(actor, match, "match.confirm", MatchStatus.PROPOSED)
    reason = require_text(reason, "reason")
    consent = check_consent(act, match.case, consent_override_reason)
    match.status = MatchStatus.CONFIRMED
    match.decision_reason = reason
    match.consent_override_reason = consent.get("consent_override_reason", "")
    match.decided_by, match.decided_at = actor, act.now
    match.save()
    request = match.tracing_request
    request.status, request.updated_at = RequestStatus.MATCHED, act.now
    request.save(update_fields=["status", "updated_at"])
    _on_case(act, match, reason=reason, score=match.score, **consent)
    return match


@transaction.atomic
def match_reject(*, actor: Member, match: TracingMatch, reason: str) -> TracingMatch:
    """Say that the case is not the child sought, and why."""
    act = _match_action(actor, match, "match.reject", MatchStatus.PROPOSED)
    reason = require_text(reason, "reason")
    match.status = MatchStatus.REJECTED
    match.decision_reason = reason
    match.decided_by, match.decided_at = actor, act.now
    match.save()
    act.record(record=match, details={"tracing_request": match.tracing_request.display_id,
                                      "case": match.case.display_id, "reason": reason})
    return match


@transaction.atomic
def match_verify(*, actor: Member, match: TracingMatch, note: str) -> TracingMatch:
    """Record how the relationship was verified (the child and the inquirer recognise each
    other, documents, a neighbour's word...)."""
    act = _match_action(actor, match, "match.verify", MatchStatus.CONFIRMED)
    match.verification_note = require_text(note, "note")
    match.status, match.verified_at = MatchStatus.VERIFIED, act.now
    match.save()
    _on_case(act, match, note=match.verification_note)
    return match


@transaction.atomic
def reunification_record(*, actor: Member, match: TracingMatch, outcome: str, date: Any,
                         note: str) -> TracingMatch:
    """Record the care arrangement after verification: reunification with the family, or
    interim or alternative care, with its plan and follow-up."""
    act = _match_action(actor, match, "reunification.record", MatchStatus.VERIFIED)
    if outcome not in CareOutcome.values:
        raise _invalid("outcome", _("'%(value)s' is not one of the options.") % {"value": outcome})
    when = _date(date, "date", not_after=act.now.date())
    if when is None:
        raise _invalid("date", _("This field is required."))
    match.outcome, match.outcome_date = outcome, when
    match.outcome_note = require_text(note, "note")
    match.status = MatchStatus.CLOSED
    match.save()
    request = match.tracing_request
    request.status, request.updated_at = RequestStatus.CLOSED, act.now
    request.save(update_fields=["status", "updated_at"])
    _on_case(act, match, outcome=outcome, date=when.isoformat())
    return match
