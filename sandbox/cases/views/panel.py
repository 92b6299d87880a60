"""Which actions a member may take on a case now, for the buttons of the case page.

This mirrors the rules of the services (role × scope, the case's state, the SOP
policy) so that a trainee sees only the buttons that can work. The services stay
the real guard: a forged request is refused there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    Referral,
    ReferralStatus,
    RegistrationStatus,
    Service,
    ServiceStatus,
    Transfer,
    TransferStatus,
)
from ..permissions import in_scope, is_related
from .base import Here

#: The actions of the case page: URL name → action name of the case system.
CASE_ACTIONS: dict[str, str] = {
    "register": "case.register",
    "consent": "consent.record",
    "assessment-request": "assessment.request",
    "assessment-complete": "assessment.complete",
    "case-plan": "case_plan.save",
    "approval-request": "approval.request",
    "service-add": "service.add",
    "refer": "referral.create",
    "followup": "followup.record",
    "close": "case.close",
    "reopen": "case.reopen",
    "transfer": "transfer.create",
    "assign": "case.assign",
    "note": "note.add",
    "flag": "case.flag",
    "unflag": "case.unflag",
}

#: Actions whose form is a page of its own (long configured forms); the others are dialogs.
PAGE_ACTIONS = ("register", "assessment-complete", "case-plan", "close")


def approved(approvals: list[Approval], kind: str, since: dt.datetime | None = None) -> bool:
    """Is the latest decision on this kind (after `since`) an approval? As the services decide."""
    decided = [a for a in approvals if a.kind == kind and a.status != ApprovalStatus.PENDING
               and (since is None or (a.decided_at is not None and a.decided_at >= since))]
    decided.sort(key=lambda a: (a.decided_at or dt.datetime.min.replace(tzinfo=dt.UTC), a.pk))
    return bool(decided) and decided[-1].status == ApprovalStatus.APPROVED


@dataclass
class CasePanel:
    """The actions open to the viewer on one case, and why closing may be blocked."""

    allowed: set[str] = field(default_factory=set)
    approval_kinds: list[str] = field(default_factory=list)
    close_blocked: str = ""
    can_edit_sections: bool = False
    implementable: set[int] = field(default_factory=set)
    referrals_done: set[int] = field(default_factory=set)
    #: Pending referrals and transfers the viewer may revoke (the sender, or a supervisor).
    revocable_referrals: set[int] = field(default_factory=set)
    revocable_transfers: set[int] = field(default_factory=set)

    def __contains__(self, name: str) -> bool:
        return name in self.allowed


def case_panel(at: Here, case: Case, *, approvals: list[Approval], services: list[Service],
               referrals: list[Referral], transfers: list[Transfer]) -> CasePanel:
    role, member = at.role, at.member
    # As the services decide: in the role's scope, or a recipient of a referral or transfer.
    reachable = in_scope(member, case, role) or is_related(member, case)
    policy = at.module.policy

    def can(action: str) -> bool:
        return reachable and role.can(action)

    def writes(step: str) -> bool:
        return all(role.section_access(s.code) == "read_write"
                   for s in at.module.sections if s.step == step)

    panel = CasePanel()
    is_open = case.is_open
    registered = case.registration_status == RegistrationStatus.REGISTERED
    pending = {a.kind for a in approvals if a.status == ApprovalStatus.PENDING}

    def add(name: str, condition: bool) -> None:
        if condition and can(CASE_ACTIONS[name]):
            panel.allowed.add(name)

    add("register", case.registration_status == RegistrationStatus.IDENTIFIED and writes("registration"))
    # A consent field may be on several sections: writing one of them is enough.
    consent_fields = [f for f in policy.consent_fields.values() if f in at.module.fields]
    add("consent", is_open and all(any(role.section_access(s) == "read_write"
                                       for s in at.module.sections_of(f)) for f in consent_fields))
    add("assessment-request", is_open and registered and not case.assessment_started)
    add("assessment-complete", is_open and registered and case.assessment_started
        and ApprovalKind.ASSESSMENT not in pending and not approved(approvals, ApprovalKind.ASSESSMENT)
        and writes("assessment"))
    assessment_ok = case.assessment_completed_at is not None and (
        not policy.approval_required(ApprovalKind.ASSESSMENT)
        or approved(approvals, ApprovalKind.ASSESSMENT))
    add("case-plan", is_open and registered and assessment_ok
        and policy.plan_approval not in pending and writes("case_plan"))

    kinds = []
    if case.assessment_completed_at and not approved(approvals, ApprovalKind.ASSESSMENT):
        kinds.append(ApprovalKind.ASSESSMENT)
    if case.case_plan_saved_at and not approved(approvals, policy.plan_approval):
        kinds.append(policy.plan_approval)
    closure = policy.closure_approval
    if registered and not approved(approvals, closure, since=case.reopened_at):
        kinds.append(closure)
    panel.approval_kinds = [k for k in kinds if k in policy.approvals and k not in pending
                            and role.can_request(k)]
    add("approval-request", is_open and bool(panel.approval_kinds))

    add("service-add", is_open)
    add("refer", is_open and registered)
    add("followup", is_open and registered)
    add("close", is_open and registered and writes("closure"))
    if "close" in panel.allowed and policy.approval_required(closure) \
            and not approved(approvals, closure, since=case.reopened_at):
        panel.close_blocked = (
            _("Waiting for the supervisor's approval of the closure.")
            if closure in pending
            else _("Closure needs a supervisor's approval first: request closure approval."))
    add("reopen", not is_open)
    add("transfer", is_open and not any(t.status == TransferStatus.PENDING for t in transfers))
    add("assign", True)
    add("note", True)
    add("flag", not case.flagged)
    add("unflag", case.flagged)

    panel.can_edit_sections = is_open and can("case.update")
    if is_open and can("service.implement"):
        pending = [s for s in services if s.status != ServiceStatus.IMPLEMENTED]
        if not in_scope(member, case, role):
            # A recipient implements only the services referred to them and accepted.
            mine = {r.service_id for r in referrals if r.to_member_id == member.pk
                    and r.status in (ReferralStatus.ACCEPTED, ReferralStatus.DONE)}
            pending = [s for s in pending if s.pk in mine]
        panel.implementable = {s.pk for s in pending}
    if can("referral.done"):
        panel.referrals_done = {r.pk for r in referrals if r.status == ReferralStatus.ACCEPTED}
    if in_scope(member, case, role):
        # As the services decide (may_revoke): the sender, or a role that oversees the case.
        def revocable(record: Referral | Transfer) -> bool:
            return record.to_member_id != member.pk and (
                record.created_by_id == member.pk or role.scope != "own")

        if role.can("referral.revoke"):
            panel.revocable_referrals = {r.pk for r in referrals if r.status == ReferralStatus.PENDING
                                         and revocable(r)}
        if role.can("transfer.revoke"):
            panel.revocable_transfers = {t.pk for t in transfers if t.status == TransferStatus.PENDING
                                         and revocable(t)}
    return panel


def approval_alerts(approvals: list[Approval]) -> list[dict[str, Any]]:
    """The latest decision of each kind when it is a rejection: the case worker must act on it."""
    latest: dict[str, Approval] = {}
    for approval in sorted(approvals, key=lambda a: (a.created_at, a.pk)):
        latest[approval.kind] = approval
    return [{"approval": a, "kind": a.get_kind_display()} for a in latest.values()
            if a.status == ApprovalStatus.REJECTED]
