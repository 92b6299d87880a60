"""What each action's event records in its `details`: the keys a rule's `where` may test.

A rule that tests a detail the action never records can never be met (or, in a
`never` rule, never broken): `validate_scenarios` refuses it. The action reference
(docs/reference/actions.md) lists these keys; keep both in step when an action
records something new.
"""

from __future__ import annotations

#: Recorded when a policy's consent was missing and a supervisor acted anyway.
CONSENT = ("consent_missing", "consent_override_reason")

EVENT_DETAILS: dict[str, tuple[str, ...]] = {
    "case.search": ("query", "age", "location", "results"),
    "case.identify": ("summary", "fields"),
    "case.register": (),
    "case.update": ("section", "document"),
    "consent.record": ("consent_type", "given", "given_by", "notes"),
    "assessment.request": (),
    "assessment.complete": (),
    "case_plan.save": (),
    "approval.request": ("kind", "comment"),
    "approval.decide": ("kind", "approved", "comment"),
    "service.add": ("service_type", "provider_agency"),
    "service.implement": ("service_type",),
    "referral.create": ("service_type", "reason", "urgency", "to_member", "to_agency", *CONSENT),
    "referral.accept": ("comment",),
    "referral.reject": ("comment",),
    "referral.done": ("comment",),
    "transfer.create": ("to_member", "reason", *CONSENT),
    "transfer.accept": ("comment",),
    "transfer.reject": ("comment",),
    "case.assign": ("to_member", "reason"),
    "followup.record": ("followup_type", "date", "risk_before", "risk_after"),
    "note.add": ("subject",),
    "case.flag": ("reason",),
    "case.unflag": (),
    "case.close": (),
    "case.reopen": ("reason",),
    "case.export": ("format", "deidentified", "cases"),
}

#: The operators of a condition ({op: value}); anything else is a plain value to equal.
OPERATORS = ("in", "not", "exists")
#: Event paths a `where` may test besides `details.<key>` and `changes.<key>`.
EVENT_PATHS = ("actor", "case", "action")


def detail_keys(action: str) -> tuple[str, ...] | None:
    """The keys an action's event records, or None when the table does not know the action."""
    return EVENT_DETAILS.get(action)
