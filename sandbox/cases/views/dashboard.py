"""The dashboard of a space: my open cases, tasks due, and what waits for me."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from ..models import ReferralStatus
from ..selectors import (
    CaseFilters,
    approvals_waiting,
    case_list,
    referrals_received,
    tasks_for,
    transfers_received,
)
from . import display as d
from .base import here, page

RECENT_CASES = 8


@login_required
def dashboard(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    mine = case_list(viewer=at.member, filters=CaseFilters(mine=True, status="open"))
    now, upcoming_days = at.space.clock, at.module.policy.upcoming_days
    rank = d.risk_rank(at.config, at.module)
    tasks = []
    for task in tasks_for(viewer=at.member):
        state = task.state(now, upcoming_days)
        if state in ("overdue", "upcoming"):
            tasks.append({"task": task, "state": state,
                          "risk": d.risk_label(at.config, at.module, task.case.risk_level),
                          "risk_colour": d.RISK_COLOURS.get(task.case.risk_level, "secondary")})
    # Overdue first, then the most urgent risk, then the nearest deadline.
    tasks.sort(key=lambda t: (t["state"] != "overdue", rank.get(t["task"].case.risk_level, len(rank)),
                              t["task"].due_at))
    can_decide = at.role.can("approval.decide")
    approvals = list(approvals_waiting(viewer=at.member)) if can_decide else []
    referrals = list(referrals_received(viewer=at.member).filter(status=ReferralStatus.PENDING))
    for referral in referrals:
        referral.type_label = d.lookup_label(  # type: ignore[attr-defined]
            at.config, at.module.system_lookups.get("service_type"), referral.service_type)
    transfers = list(transfers_received(viewer=at.member))
    recent = list(mine[:RECENT_CASES])
    for case in recent:
        case.risk_label = d.risk_label(at.config, at.module, case.risk_level)  # type: ignore[attr-defined]
        case.risk_colour = d.RISK_COLOURS.get(case.risk_level, "secondary")  # type: ignore[attr-defined]
    return page(request, at, "cases/dashboard.html", {
        "open_count": mine.count(), "tasks": tasks,
        "overdue_count": sum(1 for t in tasks if t["state"] == "overdue"),
        "can_decide": can_decide, "approvals": approvals, "referrals": referrals,
        "transfers": transfers, "recent": recent,
        "can_register": at.role.can("case.register"),
    }, nav="dashboard")
