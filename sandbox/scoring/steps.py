"""What counts as a step, and how many were met: one answer for every page.

The trainer's live board, the trainee's report and the cohort's results chart all
speak of "steps". A step is a rule that gives points (a `never` rule is a line not
to cross, not a step). Each of those pages counts through these functions, and
`check_scenarios` verifies that they agree for every scenario of the library, so a
trainee never reads "5 / 7 steps" where the trainer's board says "5 / 8".

They take a scorer's `RuleResult` list or a kept report's `rules` (dicts) alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StepCount:
    met: int
    total: int


def _kind(rule: Any) -> str:
    return rule["rule"] if isinstance(rule, Mapping) else rule.kind


def _passed(rule: Any) -> bool:
    return bool(rule["passed"] if isinstance(rule, Mapping) else rule.passed)


def _id(rule: Any) -> str:
    return str(rule["id"] if isinstance(rule, Mapping) else rule.id)


def is_step(rule: Any) -> bool:
    """A rule result (or a scenario's rule) that is a step the trainee should take."""
    kind = rule.rule if hasattr(rule, "rule") and isinstance(rule.rule, str) else _kind(rule)
    return kind != "never"


def count_steps(rules: Iterable[Any]) -> StepCount:
    """Steps met and steps expected, in one report's rules."""
    steps = [r for r in rules if is_step(r)]
    return StepCount(met=sum(_passed(r) for r in steps), total=len(steps))


def cohort_steps(reports: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    """Step by step across several reports (one per trainee): `id`, `title`, `met`,
    `total` (reports that have the step) and `completion` (0..1), in the scenario's order."""
    counts: dict[str, list[int]] = {}
    titles: dict[str, Any] = {}
    for rules in reports:
        for rule in rules:
            if not is_step(rule):
                continue
            rid = _id(rule)
            if rid not in counts:
                counts[rid] = [0, 0]
                titles[rid] = (rule.get("title") if isinstance(rule, Mapping)
                               else rule.title) or {}
            counts[rid][1] += 1
            counts[rid][0] += 1 if _passed(rule) else 0
    return [{"id": rid, "title": titles[rid], "met": met, "total": total,
             "completion": met / total if total else 0.0}
            for rid, (met, total) in counts.items()]
