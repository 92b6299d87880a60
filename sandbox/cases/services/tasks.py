"""Deadlines from the SOP policy, per risk level, on the simulated clock.

Deadlines are optional (format 2): a task with no deadline for the case's risk
level has no due date, and then no task row is opened for it.
"""

from __future__ import annotations

import datetime as dt
import re

from sandbox.configuration.runtime import PolicyDef

from ..models import Case, Referral, Task

_DURATION = re.compile(r"^(\d+)(h|d)$")


def parse_duration(text: str) -> dt.timedelta:
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"invalid duration {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    return dt.timedelta(hours=amount) if unit == "h" else dt.timedelta(days=amount)


def deadline(policy: PolicyDef, kind: str, risk: str) -> dt.timedelta | None:
    """The time allowed for a task, or None when the policy sets none. A risk not yet
    assessed counts as the most urgent: such a child is treated as at high risk."""
    per_level = policy.deadlines.get(kind) or {}
    if risk in per_level:
        return parse_duration(per_level[risk])
    if risk in policy.risk_levels:
        return None  # a known level the policy gives no deadline
    durations = [parse_duration(v) for v in per_level.values()]
    return min(durations) if durations else None


def open_task(case: Case, policy: PolicyDef, kind: str, start: dt.datetime,
              referral: Referral | None = None) -> Task | None:
    allowed = deadline(policy, kind, case.risk_level)
    if allowed is None:
        return None
    return Task.objects.create(
        space_id=case.space_id, case=case, kind=kind, referral=referral, started_at=start,
        due_at=start + allowed,
    )


def complete_tasks(case: Case, kinds: list[str], at: dt.datetime,
                   referral: Referral | None = None) -> int:
    tasks = Task.objects.filter(case=case, kind__in=kinds, completed_at__isnull=True)
    if referral is not None:
        tasks = tasks.filter(referral=referral)
    return tasks.update(completed_at=at)


def reschedule(case: Case, policy: PolicyDef) -> None:
    """After a change of risk level, open tasks fall due by the new level's deadlines."""
    for task in Task.objects.filter(case=case, completed_at__isnull=True):
        allowed = deadline(policy, task.kind, case.risk_level)
        if allowed is None:
            task.delete()  # no deadline at the new level: nothing falls due
            continue
        task.due_at = task.started_at + allowed
        task.save(update_fields=["due_at"])
