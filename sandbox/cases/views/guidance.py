"""Where a case stands in the SOP, and what can be done next: the step bar and the hint.

Both are read from the case's own state and the configured policy (consent recorded,
approvals required and given, services implemented), never from a scenario's expected
answer: the same case in a free practice space gets the same guidance. The step bar
marks a step done only when what the step asks for is true of the case, so a case can
have a later step done while an earlier one is not (consent never recorded, say); the
current step is the first step not done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sandbox.configuration.models import Step
from sandbox.configuration.runtime import PolicyDef

from ..models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    RegistrationStatus,
    Service,
    ServiceStatus,
)
from ..person import Person, person_of
from .panel import CasePanel, approved


@dataclass(frozen=True)
class Hint:
    """What the viewer can do next on a case: the step it belongs to, a sentence, and the
    action of the panel that does it ("" when the viewer only waits or reads)."""

    step: str
    text: str
    action: str = ""
    waiting: bool = False


def _approval_state(approvals: list[Approval], kind: str, since: Any = None) -> str:
    """'approved', 'pending', 'rejected' or '' (never asked) for the latest request of a kind."""
    if approved(approvals, kind, since=since):
        return "approved"
    asked = [a for a in approvals if a.kind == kind
             and (since is None or a.created_at >= since)]
    if not asked:
        return ""
    latest = max(asked, key=lambda a: (a.created_at, a.pk))
    return "pending" if latest.status == ApprovalStatus.PENDING else (
        "rejected" if latest.status == ApprovalStatus.REJECTED else "approved")


#: Actions outside the step bar of a case: family tracing has its own pages and steps, and
#: the consent it needs (for tracing) is asked when a match is confirmed, not at intake.
OFF_THE_STEP_BAR = ("match.",)


def consent_recorded(case: Case, policy: PolicyDef) -> bool:
    """Is consent recorded: an answer for each kind an action of the case's steps requires
    (or, when no such action requires one, an answer for at least one kind)?"""
    if not policy.consent_fields:
        return True

    def answered(kind: str) -> bool:
        return case.data.get(policy.consent_fields[kind]) not in (None, "")

    needed = {k for action, kinds in policy.consent_required.items()
              if not action.startswith(OFF_THE_STEP_BAR)
              for k in kinds if k in policy.consent_fields}
    return all(answered(k) for k in needed) if needed else any(map(answered, policy.consent_fields))


def steps_done(case: Case, policy: PolicyDef, *, approvals: list[Approval],
               services: list[Service]) -> dict[str, bool]:
    """Each SOP step, done or not, from what is true of the case."""
    def approved_if_required(kind: str, since: Any = None) -> bool:
        return not policy.approval_required(kind) or approved(approvals, kind, since=since)

    return {
        Step.REGISTRATION: case.registration_status == RegistrationStatus.REGISTERED,
        Step.CONSENT: consent_recorded(case, policy),
        Step.ASSESSMENT: case.assessment_completed_at is not None
        and approved_if_required(ApprovalKind.ASSESSMENT),
        Step.CASE_PLAN: case.case_plan_saved_at is not None
        and approved_if_required(policy.plan_approval),
        Step.SERVICES: bool(services) and all(s.status == ServiceStatus.IMPLEMENTED
                                              for s in services),
        Step.CLOSURE: not case.is_open,
    }


def step_bar(case: Case, policy: PolicyDef, *, approvals: list[Approval],
             services: list[Service]) -> list[dict[str, Any]]:
    """The SOP steps with their true state: done, current (the first not done) or to do."""
    done = steps_done(case, policy, approvals=approvals, services=services)
    current = next((s for s in Step if not done[s]), None)
    return [{"code": s.value, "label": s.label,
             "state": "done" if done[s] else ("current" if s == current else "todo")}
            for s in Step]


def next_step(case: Case, policy: PolicyDef, panel: CasePanel, *, approvals: list[Approval],
              services: list[Service], person: Person | None = None) -> Hint:
    """The hint for the first step not done, phrased for what the viewer's role can do and
    naming the person as the module does (`person`; "the child" when not given)."""
    person = person or person_of(None)
    bar = step_bar(case, policy, approvals=approvals, services=services)
    current = next((s["code"] for s in bar if s["state"] == "current"), Step.CLOSURE.value)
    if not case.is_open:
        if "reopen" in panel:
            return Hint(current, _("The case is closed. Reopen it only if new concerns "
                                   "regarding %(person)s arise.") % {"person": person.the},
                        "reopen")
        return Hint(current, _("The case is closed: nothing more is expected on it."))
    hint = _hint_for(current, case, policy, panel, approvals=approvals, services=services,
                     person=person)
    if hint.action and hint.action not in panel:
        # The SOP's next step is someone else's: say so rather than show a dead end.
        return Hint(current, _("%(step)s: your role cannot take this step on this case. The "
                               "case worker in charge or a supervisor does.")
                    % {"step": Step(current).label}, waiting=True)
    return hint


#: What to do about an approval the SOP requires, by kind and by state of its latest request
#: (whole sentences per kind: the languages agree the noun with the rest of the sentence).
APPROVAL_HINTS: dict[str, dict[str, Any]] = {
    ApprovalKind.ASSESSMENT: {
        "": gettext_lazy("Request the supervisor's approval of the assessment."),
        "pending": gettext_lazy("Waiting for the supervisor's decision on the assessment. Move the "
                         "clock to the next event to hear back."),
        "rejected": gettext_lazy("The supervisor did not approve the assessment: read the comment, "
                          "correct the assessment and request approval again."),
    },
    ApprovalKind.CASE_PLAN: {
        "": gettext_lazy("Request the supervisor's approval of the case plan."),
        "pending": gettext_lazy("Waiting for the supervisor's decision on the case plan. Move the "
                         "clock to the next event to hear back."),
        "rejected": gettext_lazy("The supervisor did not approve the case plan: read the comment, "
                          "update the case plan and request approval again."),
    },
    ApprovalKind.CLOSURE: {
        "": gettext_lazy("Every step is done: request the supervisor's approval of the closure."),
        "pending": gettext_lazy("Waiting for the supervisor's decision on the closure. Move the clock "
                         "to the next event to hear back."),
        "rejected": gettext_lazy("The supervisor did not approve the closure: read the comment, follow "
                          "up on what is missing and request approval again."),
    },
    ApprovalKind.ACTION_PLAN: {
        "": gettext_lazy("Request the supervisor's approval of the action plan."),
        "pending": gettext_lazy("Waiting for the supervisor's decision on the action plan. Move the "
                                "clock to the next event to hear back."),
        "rejected": gettext_lazy("The supervisor did not approve the action plan: read the comment, "
                                 "update the action plan and request approval again."),
    },
    ApprovalKind.GBV_CLOSURE: {
        "": gettext_lazy("Every step is done: request the supervisor's approval of the GBV closure."),
        "pending": gettext_lazy("Waiting for the supervisor's decision on the GBV closure. Move the "
                                "clock to the next event to hear back."),
        "rejected": gettext_lazy("The supervisor did not approve the GBV closure: read the comment, "
                                 "follow up on what is missing and request approval again."),
    },
}


def _hint_for(step: str, case: Case, policy: PolicyDef, panel: CasePanel, *,
              approvals: list[Approval], services: list[Service], person: Person) -> Hint:
    def approval_hint(kind: str, since: Any = None) -> Hint:
        state = _approval_state(approvals, kind, since)
        text = str(APPROVAL_HINTS[kind].get(state, APPROVAL_HINTS[kind][""]))
        if state == "pending":
            return Hint(step, text, waiting=True)
        if state == "rejected" and kind == policy.plan_approval and "case-plan" in panel:
            return Hint(step, text, "case-plan")
        if state == "rejected" and kind == ApprovalKind.ASSESSMENT and "assessment-complete" in panel:
            return Hint(step, text, "assessment-complete")
        return Hint(step, text, "approval-request")

    if step == Step.REGISTRATION:
        return Hint(step, _("Register %(person)s: search for duplicates, then fill in the "
                            "registration form.") % {"person": person.the}, "register")
    if step == Step.CONSENT:
        return Hint(step, _("Record consent: explain what will be done and shared, with whom "
                            "and why, and record each answer before any referral."), "consent")
    if step == Step.ASSESSMENT:
        if not case.assessment_started:
            return Hint(step, _("Start the assessment: this opens the assessment form and "
                                "starts its deadline."), "assessment-request")
        if case.assessment_completed_at is None:
            return Hint(step, _("Complete the assessment form: situation, needs and safety."),
                        "assessment-complete")
        return approval_hint(ApprovalKind.ASSESSMENT)
    if step == Step.CASE_PLAN:
        if case.case_plan_saved_at is None:
            return Hint(step, _("Write the case plan: one goal and action for each need found "
                                "in the assessment."), "case-plan")
        return approval_hint(policy.plan_approval)
    if step == Step.SERVICES:
        if not services:
            return Hint(step, _("Refer %(person)s to the services the case plan needs (with "
                                "consent to share), or add a service.") % {"person": person.the},
                        "refer" if "refer" in panel else "service-add")
        return Hint(step, _("Follow up with %(person)s and the services; a service is done "
                            "when it is marked implemented.") % {"person": person.the}, "followup")
    # Closure: every earlier step is done.
    closure = policy.closure_approval
    if policy.approval_required(closure) and not approved(approvals, closure, since=case.reopened_at):
        return approval_hint(closure, since=case.reopened_at)
    return Hint(step, _("Close the case: record why, and the situation at closure."), "close")
