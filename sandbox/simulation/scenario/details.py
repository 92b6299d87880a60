"""What each action's event records in its `details`: the keys a rule's `where` may test.

A rule that tests a detail the action never records can never be met (or, in a
`never` rule, never broken): `validate_scenarios` refuses it. The action reference
(docs/reference/actions.md) lists these keys; keep both in step when an action
records something new.
"""

from __future__ import annotations

from sandbox.cases.disclosures import Disclosure

#: Recorded when a policy's consent was missing and a supervisor acted anyway.
CONSENT = ("consent_missing", "consent_override_reason")

EVENT_DETAILS: dict[str, tuple[str, ...]] = {
    "case.search": ("query", "age", "location", "results"),
    "case.identify": ("summary", "fields"),
    # duplicate_of: the case numbers of records likely to be the same child (names alike
    # by the duplicate search's comparison, sandbox.cases.matching, to 0.95 at least; sex
    # and age, give or take a year, not different): [] when none.
    "case.register": ("duplicate_of",),
    "case.update": ("section", "document"),
    "consent.record": ("consent_type", "given", "given_by", "notes"),
    "assessment.request": CONSENT,
    "assessment.complete": (),
    "case_plan.save": (),
    "approval.request": ("kind", "comment"),
    "approval.decide": ("kind", "approved", "comment"),
    "service.add": ("service_type", "provider_agency", *CONSENT),
    "service.implement": ("service_type",),
    # to_provider: the kind of provider the recipient is (GBV: health, psychosocial, legal,
    # safety), only when the recipient's role, or the agency referred to, names one.
    "referral.create": ("service_type", "reason", "urgency", "to_member", "to_agency", "disclosed",
                        "to_provider", *CONSENT),
    "referral.accept": ("comment",),
    "referral.reject": ("comment",),
    "referral.done": ("comment",),
    "transfer.create": ("to_member", "reason", *CONSENT),
    "transfer.accept": ("comment",),
    "transfer.reject": ("comment",),
    "case.assign": ("to_member", "reason", *CONSENT),
    "transfer.request": ("requested_by", "reason"),
    "transfer_request.accept": ("requested_by", "comment", *CONSENT),
    "transfer_request.decline": ("requested_by", "comment"),
    "referral.revoke": ("to_member", "to_agency", "reason"),
    "transfer.revoke": ("to_member", "reason"),
    "followup.record": ("followup_type", "date", "risk_before", "risk_after", *CONSENT),
    "note.add": ("subject",),
    "case.flag": ("reason",),
    "case.unflag": (),
    "case.close": (),
    "case.reopen": ("reason",),
    # Refused attempts (sandbox.cases.services.refusals): the refusal's code
    # (consent_required, consent_override_forbidden, closure_not_approved,
    # assessment_not_approved), the consent that was missing, and what was attempted.
    "referral.create.refused": ("code", "consent_missing", "service_type", "reason", "urgency",
                                "to_agency"),
    "transfer.create.refused": ("code", "consent_missing", "reason"),
    "transfer_request.accept.refused": ("code", "consent_missing", "comment"),
    "case.assign.refused": ("code", "consent_missing", "reason"),
    "service.add.refused": ("code", "consent_missing", "service_type"),
    "followup.record.refused": ("code", "consent_missing", "followup_type"),
    "assessment.request.refused": ("code", "consent_missing"),
    "case.close.refused": ("code",),
    "case_plan.save.refused": ("code",),
    "case.export": ("format", "deidentified", "cases"),
    # The GBV incident record: codes only (sandbox.gbv.services).
    "incident.create": ("incident", "gbv_type", "acts", "incident_date", "location",
                        "perpetrator_relationship", "context", "services_provided", "referred_to"),
    "incident.update": ("incident", "gbv_type", "acts", "incident_date", "location",
                        "perpetrator_relationship", "context", "services_provided", "referred_to"),
    # A de-identified export: what left (rows, or months and cells), never who.
    "incident.export": ("export", "format", "rows", "months", "cells", "suppressed",
                        "period_from", "period_to"),
    # Family tracing (sandbox.tracing.services): the steps of a match are events on the case.
    "tracing_request.create": ("display_id",),
    "tracing_request.update": ("display_id",),
    "trace.record": ("tracing_request", "trace_type", "outcome"),
    "match.search": ("tracing_request", "candidates"),
    "match.confirm": ("tracing_request", "reason", "score", *CONSENT),
    "match.reject": ("tracing_request", "case", "reason"),
    "match.verify": ("tracing_request", "note"),
    "reunification.record": ("tracing_request", "outcome", "date"),
}

#: The operators of a condition ({op: value}); anything else is a plain value to equal.
#: `has` tests a list (what a referral disclosed, the providers a survivor consented to): it
#: holds the value, or every value of a list; `has_any`: at least one of them; `lacks`: none.
OPERATORS = ("in", "not", "exists", "has", "has_any", "lacks")
#: Details whose values come from a fixed vocabulary (validated in rules).
DETAIL_VALUES: dict[str, tuple[str, ...]] = {"disclosed": tuple(Disclosure.values)}
#: Event paths a `where` may test besides `details.<key>` and `changes.<key>`.
EVENT_PATHS = ("actor", "case", "action")


def detail_keys(action: str) -> tuple[str, ...] | None:
    """The keys an action's event records, or None when the table does not know the action."""
    return EVENT_DETAILS.get(action)
