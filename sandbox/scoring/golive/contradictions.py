"""Contradictions inside a scenario: rules the scenario's own script or world decides.

`check_scenarios` fails a scenario when
- a rule is already met before the trainee acts (the empty attempt earns its points),
  unless the rule says so on purpose (`met_at_start: true`);
- a simulated actor's script contradicts a rule, or makes it unreachable: the
  supervisor approves a closure while a rule wants the case kept open; a provider
  rejects every referral while a rule wants one accepted or done;
- a rule gives points or a penalty without naming the objective of the brief it
  serves (`objective: N`);
- the board, the report and the results chart would count its steps differently.

Each finding is `PATH:LINE` at the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.common.sourcefiles import Source
from sandbox.scoring.steps import cohort_steps, count_steps, is_step

#: Approval kinds whose approval opens the way to closing the case.
CLOSURES = ("closure", "gbv_closure")


def _keeps_open(rule: Any) -> bool:
    """The rule wants the case not to be closed (at the end, or ever)."""
    if rule.rule == "never":
        return rule.action == "case.close"
    if rule.rule != "final" or rule.field not in ("status", "stage"):
        return False
    if rule.equals is not None:
        return rule.equals not in ("closed",)
    if rule.in_ is not None:
        return "closed" not in rule.in_
    return rule.not_equals == "closed"


def _wants_accepted_referral(rule: Any) -> bool:
    return rule.rule in ("happened", "within", "count") and rule.action in (
        "referral.accept", "referral.done")


def script_contradictions(scenario: Any, source: Source) -> list[str]:
    """Rules that the simulated actors' script contradicts or makes unreachable."""
    found: list[str] = []
    # When the reference solution itself asks for the closure (a closing-and-reopening
    # exercise), its approval is part of the story, not a trap.
    asks_closure = any(step.do == "approval.request" and (step.with_ or {}).get("kind") in CLOSURES
                       for step in scenario.solution)
    approvers = [] if asks_closure else [
        ref for ref, spec in scenario.actors.items()
        if any(kind in CLOSURES and d.decision == "approve" for kind, d in spec.approvals.items())]
    rejecters = [ref for ref, spec in scenario.actors.items()
                 if spec.referrals is not None and spec.referrals.decision == "reject"]
    for i, rule in enumerate(scenario.expected):
        line = source.line("expected", i)
        if approvers and _keeps_open(rule):
            found.append(f"{source.path}:{line}: rule '{rule.id}' wants the case kept open, but "
                         f"the simulated {', '.join(approvers)} approves its closure: a trainee "
                         "who follows the supervisor loses the points")
        if rule.by in rejecters and _wants_accepted_referral(rule):
            found.append(f"{source.path}:{line}: rule '{rule.id}' needs an accepted referral, but "
                         f"the simulated {rule.by} rejects every referral: it can never be met")
    return found


def met_before_acting(scenario: Any, empty: Any, source: Source) -> list[str]:
    """Rules the empty attempt (nothing done yet) already earns points for."""
    lines = {rule.id: source.line("expected", i) for i, rule in enumerate(scenario.expected)}
    on_purpose = {rule.id for rule in scenario.expected if rule.met_at_start}
    return [f"{source.path}:{lines.get(r.id, 1)}: rule '{r.id}' is already met before the trainee "
            f"acts ({r.points:g} of {r.max_points} points for doing nothing); say "
            "`met_at_start: true` if that is meant"
            for r in empty.rules
            if r.kind != "never" and r.points > 0 and r.id not in on_purpose]


def untied_rules(scenario: Any, source: Source) -> list[str]:
    """Rules that give points or take them away without naming the objective of the
    brief they serve: the trainee is scored on something nobody announced."""
    return [f"{source.path}:{source.line('expected', i)}: rule '{rule.id}' gives "
            f"{'a penalty' if getattr(rule, 'penalty', 0) else 'points'} but names no objective "
            f"of the brief (add `objective: N`, N from 1 to {len(scenario.objectives)})"
            for i, rule in enumerate(scenario.expected)
            if (rule.points or getattr(rule, "penalty", 0)) and rule.objective is None]


def step_counts_differ(scenario: Any, report: Any, source: Source,
                       dropped: Iterable[str] = ()) -> list[str]:
    """The trainer's board, the trainee's report and the results chart must show the
    same number of steps: each counts through `sandbox.scoring.steps`; this checks that
    they agree with each other and with the scenario's own steps."""
    left_out = set(dropped)
    counts = {
        "scenario": sum(1 for r in scenario.expected if is_step(r) and r.id not in left_out),
        "board": count_steps(report.rules).total,
        "report": count_steps(report.as_dict()["rules"]).total,
        "results": len(cohort_steps([report.as_dict()["rules"]])),
    }
    if len(set(counts.values())) == 1:
        return []
    shown = ", ".join(f"{k} {v}" for k, v in counts.items())
    return [f"{source.path}:{source.line('expected')}: the pages count the steps differently "
            f"({shown})"]
