"""Carry out an action by name, as scenario files write it.

Scenario histories, simulated actors and reference solutions all say what to do
with an action name (the contract names of `sandbox.common.actions`), a case
reference and parameters. This module turns that into a call of the matching
case service, finding the record an action applies to (the pending approval of
a kind, the latest referral to the actor...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sandbox.cases import services as s
from sandbox.cases.models import (
    Approval,
    ApprovalStatus,
    Case,
    Referral,
    ReferralStatus,
    Service,
    ServiceStatus,
    Transfer,
    TransferRequest,
    TransferRequestStatus,
    TransferStatus,
)
from sandbox.common.errors import ValidationFailed
from sandbox.gbv import services as gs
from sandbox.spaces.models import Member
from sandbox.tracing import services as ts
from sandbox.tracing.models import TracingMatch, TracingRequest


class Context:
    """What an action may refer to: cases by scenario reference, members by role."""

    def __init__(self, cases: dict[str, Case], members: dict[str, Member]) -> None:
        self.cases = cases
        self.members = members

    def member(self, ref: str) -> Member:
        if ref not in self.members:
            raise ValidationFailed(f"unknown role '{ref}'")
        return self.members[ref]


def context_of(space: Any, seed: Any) -> Context:
    """The members (by role reference) and focal cases (by case reference) of a seeded space."""
    members = {m.ref: m for m in Member.objects.filter(space=space) if m.ref}
    by_pk = {c.pk: c for c in Case.objects.filter(space=space, pk__in=list(seed.cases.values()))}
    return Context({ref: by_pk[pk] for ref, pk in seed.cases.items() if pk in by_pk}, members)


def _case(case: Case | None) -> Case:
    if case is None:
        raise ValidationFailed("this action needs a case")
    return case


def _date(value: Any, actor: Member) -> dt.date:
    if value in (None, "", "today"):
        return actor.space.clock.date()
    return dt.date.fromisoformat(value)


def _incident_data(params: dict[str, Any], actor: Member) -> dict[str, Any]:
    """An incident's values as a scenario gives them; a relative date ("today") is the
    simulated day."""
    data = {key: params[key] for key in gs.FIELDS if key in params}
    if data.get("incident_date") in ("", "today"):
        data["incident_date"] = _date("today", actor).isoformat()
    return data


def _pending_approval(case: Case, kind: str) -> Approval:
    approval = (Approval.objects.filter(case=case, kind=kind, status=ApprovalStatus.PENDING)
                .order_by("-pk").first())
    if approval is None:
        raise ValidationFailed(f"no pending {kind} approval on {case.display_id}")
    return approval


def _referral_for(case: Case, actor: Member, statuses: list[str]) -> Referral:
    referral = (Referral.objects.filter(case=case, status__in=statuses)
                .filter(to_member=actor).order_by("-pk").first()
                or Referral.objects.filter(case=case, status__in=statuses, to_member__isnull=True,
                                           to_agency=actor.agency).order_by("-pk").first()
                or Referral.objects.filter(case=case, status__in=statuses).order_by("-pk").first())
    if referral is None:
        raise ValidationFailed(f"no referral to answer on {case.display_id}")
    return referral


def _service(case: Case, service_type: str | None) -> Service:
    services = Service.objects.filter(case=case).exclude(status=ServiceStatus.IMPLEMENTED)
    if service_type:
        services = services.filter(service_type=service_type)
    service = services.order_by("pk").first()
    if service is None:
        raise ValidationFailed(f"no service to implement on {case.display_id}")
    return service


def _transfer(case: Case, actor: Member) -> Transfer:
    transfer = Transfer.objects.filter(case=case, to_member=actor,
                                       status=TransferStatus.PENDING).order_by("-pk").first()
    if transfer is None:
        raise ValidationFailed(f"no pending transfer to {actor.name} on {case.display_id}")
    return transfer


def _sent_transfer(case: Case) -> Transfer:
    transfer = Transfer.objects.filter(case=case, status=TransferStatus.PENDING).order_by("-pk").first()
    if transfer is None:
        raise ValidationFailed(f"no pending transfer on {case.display_id}")
    return transfer


def _sent_referral(case: Case) -> Referral:
    referral = Referral.objects.filter(case=case, status=ReferralStatus.PENDING).order_by("-pk").first()
    if referral is None:
        raise ValidationFailed(f"no pending referral on {case.display_id}")
    return referral


def _transfer_request(case: Case) -> TransferRequest:
    request = (TransferRequest.objects.filter(case=case, status=TransferRequestStatus.PENDING)
               .order_by("-pk").first())
    if request is None:
        raise ValidationFailed(f"no pending transfer request on {case.display_id}")
    return request


Handler = Callable[[Member, Case | None, dict[str, Any], Context], Any]


def _referral_create(a: Member, c: Case | None, w: dict[str, Any], ctx: Context) -> Any:
    to = w.get("to")
    return s.referral_create(
        actor=a, case=_case(c), service_type=w.get("service_type", ""), reason=w.get("reason", ""),
        to_member=ctx.member(to).pk if to else None, to_agency=w.get("to_agency", ""),
        urgency=w.get("urgency", ""), notes=w.get("notes", ""),
        consent_override_reason=w.get("consent_override_reason", ""),
        disclosed=w.get("disclosed"))


def _tracing_request(actor: Member) -> TracingRequest:
    """The latest tracing request of the space (scenarios have one at a time)."""
    request = TracingRequest.objects.filter(space=actor.space).order_by("-pk").first()
    if request is None:
        raise ValidationFailed("no tracing request in this space")
    return request


def _match(actor: Member, case: Case | None) -> TracingMatch:
    """The match of the latest tracing request with the case (found by match.search)."""
    request = _tracing_request(actor)
    match = TracingMatch.objects.filter(tracing_request=request, case=_case(case)).first()
    if match is None:
        raise ValidationFailed(f"no match of {request.display_id} with {_case(case).display_id}")
    match.tracing_request = request
    return match


HANDLERS: dict[str, Handler] = {
    "case.search": lambda a, c, w, ctx: s.case_search(
        actor=a, query=w.get("query", ""), age=w.get("age"), location=w.get("location", "")),
    "case.identify": lambda a, c, w, ctx: s.case_identify(actor=a, data=w.get("data", {}),
                                                          summary=w.get("summary", "")),
    "case.register": lambda a, c, w, ctx: s.case_register(actor=a, data=w.get("data", {}), case=c),
    "case.update": lambda a, c, w, ctx: s.case_update(
        actor=a, case=_case(c), section=w.get("section", ""), data=w.get("data", {}), partial=True),
    "consent.record": lambda a, c, w, ctx: s.consent_record(
        actor=a, case=_case(c), consent_type=w.get("consent_type", ""), given=w.get("given"),
        given_by=w.get("given_by", ""), notes=w.get("notes", "")),
    "assessment.request": lambda a, c, w, ctx: s.assessment_request(
        actor=a, case=_case(c), consent_override_reason=w.get("consent_override_reason", "")),
    "assessment.complete": lambda a, c, w, ctx: s.assessment_complete(
        actor=a, case=_case(c), data=w.get("data", {})),
    "case_plan.save": lambda a, c, w, ctx: s.case_plan_save(actor=a, case=_case(c),
                                                            data=w.get("data", {})),
    "approval.request": lambda a, c, w, ctx: s.approval_request(
        actor=a, case=_case(c), kind=w.get("kind", ""), comment=w.get("comment", "")),
    "approval.decide": lambda a, c, w, ctx: s.approval_decide(
        actor=a, approval=_pending_approval(_case(c), w.get("kind", "")),
        approve=w.get("approve", True), comment=w.get("comment", "")),
    "service.add": lambda a, c, w, ctx: s.service_add(
        actor=a, case=_case(c), service_type=w.get("service_type", ""),
        description=w.get("description", ""), provider_agency=w.get("provider_agency", ""),
        consent_override_reason=w.get("consent_override_reason", "")),
    "service.implement": lambda a, c, w, ctx: s.service_implement(
        actor=a, service=_service(_case(c), w.get("service_type")), notes=w.get("notes", "")),
    "referral.create": _referral_create,
    "referral.accept": lambda a, c, w, ctx: s.referral_accept(
        actor=a, referral=_referral_for(_case(c), a, [ReferralStatus.PENDING]),
        comment=w.get("comment", "")),
    "referral.reject": lambda a, c, w, ctx: s.referral_reject(
        actor=a, referral=_referral_for(_case(c), a, [ReferralStatus.PENDING]),
        comment=w.get("comment", "")),
    "referral.done": lambda a, c, w, ctx: s.referral_done(
        actor=a, referral=_referral_for(_case(c), a, [ReferralStatus.ACCEPTED]),
        comment=w.get("comment", "")),
    "followup.record": lambda a, c, w, ctx: s.followup_record(
        actor=a, case=_case(c), date=_date(w.get("date"), a), followup_type=w.get("followup_type", ""),
        findings=w.get("findings", ""), risk_level=w.get("risk_level", ""),
        consent_override_reason=w.get("consent_override_reason", "")),
    "case.close": lambda a, c, w, ctx: s.case_close(actor=a, case=_case(c), data=w.get("data", {})),
    "case.reopen": lambda a, c, w, ctx: s.case_reopen(actor=a, case=_case(c),
                                                      reason=w.get("reason", "")),
    "transfer.create": lambda a, c, w, ctx: s.transfer_create(
        actor=a, case=_case(c), to_member=ctx.member(w.get("to", "")).pk, reason=w.get("reason", ""),
        consent_override_reason=w.get("consent_override_reason", "")),
    "transfer.accept": lambda a, c, w, ctx: s.transfer_accept(
        actor=a, transfer=_transfer(_case(c), a), comment=w.get("comment", "")),
    "transfer.reject": lambda a, c, w, ctx: s.transfer_reject(
        actor=a, transfer=_transfer(_case(c), a), comment=w.get("comment", "")),
    "case.assign": lambda a, c, w, ctx: s.case_assign(
        actor=a, case=_case(c), to_member=ctx.member(w.get("to", "")).pk, reason=w.get("reason", ""),
        consent_override_reason=w.get("consent_override_reason", "")),
    "transfer.request": lambda a, c, w, ctx: s.transfer_request_create(
        actor=a, case=_case(c), reason=w.get("reason", "")),
    "transfer_request.accept": lambda a, c, w, ctx: s.transfer_request_accept(
        actor=a, transfer_request=_transfer_request(_case(c)), comment=w.get("comment", ""),
        consent_override_reason=w.get("consent_override_reason", "")),
    "transfer_request.decline": lambda a, c, w, ctx: s.transfer_request_decline(
        actor=a, transfer_request=_transfer_request(_case(c)), comment=w.get("comment", "")),
    "referral.revoke": lambda a, c, w, ctx: s.referral_revoke(
        actor=a, referral=_sent_referral(_case(c)), reason=w.get("reason", "")),
    "transfer.revoke": lambda a, c, w, ctx: s.transfer_revoke(
        actor=a, transfer=_sent_transfer(_case(c)), reason=w.get("reason", "")),
    "note.add": lambda a, c, w, ctx: s.note_add(actor=a, case=_case(c), subject=w.get("subject", ""),
                                                text=w.get("text", "")),
    "case.flag": lambda a, c, w, ctx: s.case_flag(actor=a, case=_case(c), reason=w.get("reason", "")),
    "case.unflag": lambda a, c, w, ctx: s.case_unflag(actor=a, case=_case(c)),
    "tracing_request.create": lambda a, c, w, ctx: ts.tracing_request_create(
        actor=a, data=w.get("data", {})),
    "tracing_request.update": lambda a, c, w, ctx: ts.tracing_request_update(
        actor=a, request=_tracing_request(a), data=w.get("data", {})),
    "trace.record": lambda a, c, w, ctx: ts.trace_record(
        actor=a, request=_tracing_request(a), date=_date(w.get("date"), a),
        trace_type=w.get("trace_type", ""), outcome=w.get("outcome", ""), place=w.get("place", ""),
        note=w.get("note", "")),
    "match.search": lambda a, c, w, ctx: ts.match_search(actor=a, request=_tracing_request(a)),
    "match.confirm": lambda a, c, w, ctx: ts.match_confirm(
        actor=a, match=_match(a, c), reason=w.get("reason", ""),
        consent_override_reason=w.get("consent_override_reason", "")),
    "match.reject": lambda a, c, w, ctx: ts.match_reject(
        actor=a, match=_match(a, c), reason=w.get("reason", "")),
    "match.verify": lambda a, c, w, ctx: ts.match_verify(actor=a, match=_match(a, c),
                                                         note=w.get("note", "")),
    "reunification.record": lambda a, c, w, ctx: ts.reunification_record(
        actor=a, match=_match(a, c), outcome=w.get("outcome", ""), date=_date(w.get("date"), a),
        note=w.get("note", "")),
    "incident.create": lambda a, c, w, ctx: gs.incident_create(
        actor=a, case=_case(c), data=_incident_data(w, a)),
}

#: Parameters each action accepts in a scenario's `with:`.
PARAMETERS: dict[str, set[str]] = {
    "case.search": {"query", "age", "location"},
    "case.identify": {"data", "summary"},
    "case.register": {"data"},
    "case.update": {"section", "data"},
    "consent.record": {"consent_type", "given", "given_by", "notes"},
    "assessment.request": {"consent_override_reason"},
    "assessment.complete": {"data"},
    "case_plan.save": {"data"},
    "approval.request": {"kind", "comment"},
    "approval.decide": {"kind", "approve", "comment"},
    "service.add": {"service_type", "description", "provider_agency", "consent_override_reason"},
    "service.implement": {"service_type", "notes"},
    "referral.create": {"service_type", "reason", "to", "to_agency", "urgency", "notes", "disclosed",
                        "consent_override_reason"},
    "referral.accept": {"comment"},
    "referral.reject": {"comment"},
    "referral.done": {"comment"},
    "followup.record": {"date", "followup_type", "findings", "risk_level", "consent_override_reason"},
    "case.close": {"data"},
    "case.reopen": {"reason"},
    "transfer.create": {"to", "reason", "consent_override_reason"},
    "transfer.accept": {"comment"},
    "transfer.reject": {"comment"},
    "case.assign": {"to", "reason", "consent_override_reason"},
    "transfer.request": {"reason"},
    "transfer_request.accept": {"comment", "consent_override_reason"},
    "transfer_request.decline": {"comment"},
    "referral.revoke": {"reason"},
    "transfer.revoke": {"reason"},
    "note.add": {"subject", "text"},
    "case.flag": {"reason"},
    "case.unflag": set(),
    "tracing_request.create": {"data"},
    "tracing_request.update": {"data"},
    "trace.record": {"date", "trace_type", "outcome", "place", "note"},
    "match.search": set(),
    "match.confirm": {"reason", "consent_override_reason"},
    "match.reject": {"reason"},
    "match.verify": {"note"},
    "reunification.record": {"outcome", "date", "note"},
    "incident.create": {"incident_date", "location", "acts", "perpetrator_relationship", "context",
                        "services_provided", "referred_to"},
}


def perform(actor: Member, action: str, case: Case | None, params: dict[str, Any],
            ctx: Context) -> Any:
    handler = HANDLERS.get(action)
    if handler is None:
        raise ValidationFailed(f"unknown action '{action}'")
    return handler(actor, case, params, ctx)
