"""The names of every action a user can take in the case system.

These names are a contract: they appear in the event log, in role permissions of
configuration bundles, and in scenario files (expected steps and solutions). Add
names; never rename or remove one. The documentation page "Action names" is built
from this module's table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str
    summary: str
    #: True when the action only grants a permission and never appears as an event.
    permission_only: bool = False
    #: True when the name is only an event, never a permission: a refused attempt.
    event_only: bool = False
    #: True when the action may carry a consent rule of the SOP policy: its service
    #: checks the consent the policy names for it, or takes an override with a reason.
    consent: bool = False


ACTIONS: tuple[Action, ...] = (
    Action("case.search", "Search existing records (the duplicate check before registering)."),
    Action("case.identify", "Record a child who was identified or reported, before registration."),
    Action("case.register", "Register a child as a case."),
    Action("case.view", "Open a case record.", permission_only=True),
    Action("case.update", "Edit a form section of a case."),
    Action("consent.record", "Record consent or assent of a given type."),
    Action("consent.override", "Act without the consent the policy requires, giving a reason.",
           permission_only=True),
    Action("assessment.request", "Start the comprehensive assessment.", consent=True),
    Action("assessment.complete", "Complete the comprehensive assessment."),
    Action("case_plan.save", "Save the case plan."),
    Action("approval.request", "Ask a supervisor to approve an assessment, case plan or closure."),
    Action("approval.decide", "Approve or reject a pending approval, with a comment."),
    Action("approval.decide_own", "Decide an approval on a case one owns.", permission_only=True),
    Action("service.add", "Add a service to the case plan.", consent=True),
    Action("service.implement", "Mark a service as implemented."),
    Action("referral.create", "Refer the case to a user or agency for a service.", consent=True),
    Action("referral.accept", "Accept a referral received."),
    Action("referral.reject", "Reject a referral received, with a reason."),
    Action("referral.done", "Mark an accepted referral as done."),
    Action("followup.record", "Record a follow-up (visit, phone or remote).", consent=True),
    Action("case.close", "Close a case with a reason and closure assessment."),
    Action("case.reopen", "Reopen a closed case."),
    Action("transfer.create", "Transfer the case to another worker or agency.", consent=True),
    Action("transfer.accept", "Accept a transfer received."),
    Action("transfer.reject", "Reject a transfer received."),
    Action("case.assign", "Reassign a case to another worker at once.", consent=True),
    Action("transfer.request", "Ask the owner of a case to transfer it to oneself, with a reason."),
    Action("transfer_request.accept", "Accept a transfer request: the case goes to the requester.",
           consent=True),
    Action("transfer_request.decline", "Decline a transfer request, with a reason."),
    Action("referral.revoke", "Revoke a pending referral sent by mistake, with a reason."),
    Action("transfer.revoke", "Revoke a pending transfer sent by mistake, with a reason."),
    Action("note.add", "Add a case note."),
    Action("case.flag", "Flag a case for attention."),
    Action("case.unflag", "Remove a flag."),
    # Attempts the SOP policy refused: recorded without changing the case.
    Action("referral.create.refused", "A referral refused by the policy (consent missing).",
           event_only=True),
    Action("transfer.create.refused", "A transfer refused by the policy (consent missing).",
           event_only=True),
    Action("transfer_request.accept.refused", "A transfer request's acceptance refused by the "
           "policy (consent missing).", event_only=True),
    Action("case.assign.refused", "A reassignment refused by the policy (consent missing).",
           event_only=True),
    Action("service.add.refused", "A service refused by the policy (consent missing).",
           event_only=True),
    Action("followup.record.refused", "A follow-up refused by the policy (consent missing).",
           event_only=True),
    Action("assessment.request.refused", "An assessment refused by the policy (consent missing).",
           event_only=True),
    Action("match.confirm.refused", "A match confirmation refused by the policy (consent for "
           "tracing missing).", event_only=True),
    Action("case.close.refused", "A closure refused by the policy (not approved).",
           event_only=True),
    Action("case_plan.save.refused", "A case plan refused by the policy (assessment not "
           "approved).", event_only=True),
    Action("case.export", "Export cases (CSV, Excel) or a case file (PDF), in full or de-identified."),
    # The GBV module (GBVIMS+): the incident record and its de-identified data.
    Action("incident.view", "Read the GBV incident records of the cases one can see.",
           permission_only=True),
    Action("incident.create", "Record a GBV incident from a survivor's case (GBVIMS classification)."),
    Action("incident.update", "Correct a GBV incident record."),
    Action("incident.export", "Export de-identified GBV incident data (the Incident Recorder) or "
           "its monthly statistics: one event per export, with its size and months."),
    # Family tracing: an inquirer's request to find a child, and the cases that may be the child.
    Action("tracing_request.create", "Register a tracing request: an inquirer looking for a child."),
    Action("tracing_request.update", "Change what a tracing request says of the inquirer or the child."),
    Action("tracing_request.view", "Open a tracing request.", permission_only=True),
    Action("trace.record", "Record an action taken to find the child of a tracing request."),
    Action("match.search", "Look for the child of a tracing request among the cases."),
    Action("match.confirm", "Confirm that a case is the child of a tracing request, with a reason.",
           consent=True),
    Action("match.reject", "Reject a proposed match between a tracing request and a case, with a reason."),
    Action("match.verify", "Record how a confirmed match was verified."),
    Action("reunification.record", "Record the reunification (or interim or alternative care) "
           "after a verified match."),
)

#: The names a role's permissions may give.
ACTION_NAMES: frozenset[str] = frozenset(a.name for a in ACTIONS if not a.event_only)
EVENT_ACTION_NAMES: frozenset[str] = frozenset(a.name for a in ACTIONS if not a.permission_only)
#: The actions a consent rule of the SOP policy may name.
CONSENT_ACTION_NAMES: frozenset[str] = frozenset(a.name for a in ACTIONS if a.consent)
