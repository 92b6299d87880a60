"""Check one scenario on one bundle: statically, then by playing it.

The static part resolves the scenario's concepts for the bundle and checks every
step (see `sandbox.simulation.scenario.load.check_against`). When that finds no
problem, the scenario is seeded in a fresh space, the reference solution is
played (it must score 100% and pass), the empty attempt is scored (it must not
pass) and the sloppy variant is played when there is one (it must score what the
scenario says). Everything happens in a transaction that is rolled back.

A seeding the case system refuses is a `PATH:LINE` finding of that scenario;
the caller goes on with the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.common.sourcefiles import Problem, Source
from sandbox.configuration.runtime import BundleConfig
from sandbox.interop.transport import in_process
from sandbox.scoring.attempts import score_space
from sandbox.simulation.scenario.load import check_against, read_scenario
from sandbox.simulation.services import play_solution, reset_space
from sandbox.simulation.world import SeedingFailed, seed_space

from .contradictions import met_before_acting, script_contradictions, step_counts_differ, untied_rules


class _Rollback(Exception):
    pass


def _rule_actions(rule: Any) -> set[str]:
    return {a for a in (getattr(rule, k, None) for k in ("action", "first", "then", "after")) if a}


def check_one(path: Path, config: BundleConfig | None, bundle_id: str | None = None) -> dict[str, Any]:
    """{path, id, ok, problems[], notes[], steps[], solution, empty, sloppy} for one scenario.

    `config` is the bundle to check on (None: the scenario's bundle is not loaded);
    `bundle_id` the id its files give it, when it is loaded under another code.
    `steps` has one entry per SOP step the scenario expects (its rules): `id`,
    `title`, `actions`, `runnable`, `why` (what stops it on this bundle) and `notes`
    (what its solution steps leave out on this bundle)."""
    result: dict[str, Any] = {"path": str(path), "id": None, "ok": False, "problems": [],
                              "notes": [], "steps": []}
    parsed = read_scenario(path)
    if parsed.scenario is None or parsed.problems:
        result["problems"] = [str(p) for p in parsed.problems]
        return result
    scenario = parsed.scenario
    result["id"] = scenario.id
    checked = check_against(parsed, config)
    result["problems"] = [str(p) for p in checked.problems]
    result["notes"] = [str(p) for p in checked.notes]
    steps = _steps(parsed, checked)
    result["steps"] = steps
    if checked.problems or config is None:
        return _finish(result)
    assert parsed.source is not None
    result["problems"] += script_contradictions(scenario, parsed.source)
    result["problems"] += untied_rules(scenario, parsed.source)
    try:
        # No server runs here: messages to the sandbox's own address (a simulated partner
        # system) go through its WSGI handler in process (sandbox.interop.transport).
        with transaction.atomic(), in_process():
            _play(path, scenario, config, result, parsed.source,
                  checked.resolved.dropped_rules if checked.resolved else {},
                  own_bundle=(bundle_id or config.code) == scenario.config)
            raise _Rollback
    except _Rollback:
        pass
    except SeedingFailed as exc:
        assert parsed.source is not None
        result["problems"].append(str(parsed.source.problem(f"seeding failed: {exc}", *exc.where)))
    except SandboxError as exc:
        result["problems"].append(_located(parsed, checked, exc))
    missed = set(result.get("solution", {}).get("missed", []))
    for step in steps:
        if step["id"] in missed:
            step["runnable"] = False
            step["why"].append("the reference solution does not reach this step on this bundle")
    return _finish(result)


def _located(parsed: Any, checked: Any, exc: SandboxError) -> str:
    """A refused solution step, at the line of that step in the file."""
    index = exc.details.get("solution_step")
    if index is None or parsed.source is None or checked.resolved is None:
        return f"{parsed.path}:1: {exc.message}"
    keys = ("sloppy", "solution", index) if exc.details.get("sloppy") else ("solution", index)
    return str(parsed.source.problem(exc.message, *checked.resolved.origin(keys)))


def _finish(result: dict[str, Any]) -> dict[str, Any]:
    result["ok"] = not result["problems"]
    if not result["ok"]:
        for step in result["steps"]:
            if step["runnable"] and not step["why"]:
                step["why"].append("the scenario cannot be played on this bundle "
                                   "(see its problems)")
                step["runnable"] = False
    return result


def _steps(parsed: Any, checked: Any) -> list[dict[str, Any]]:
    """One entry per expected SOP step, with the problems and notes that concern it."""
    scenario, source = parsed.scenario, parsed.source
    dropped = checked.resolved.dropped_rules if checked.resolved else {}
    # Lines of solution steps, by action: a problem there stops every rule on that action.
    by_line: dict[int, list[Problem]] = {}
    for problem in checked.problems:
        by_line.setdefault(problem.line, []).append(problem)
    notes_by_line: dict[int, list[Problem]] = {}
    for note in checked.notes:
        notes_by_line.setdefault(note.line, []).append(note)
    steps = []
    for i, rule in enumerate(scenario.expected):
        why = list(dropped.get(rule.id, []))
        line = source.line("expected", i)
        why += [p.message for p in by_line.get(line, [])]
        actions = _rule_actions(rule)
        notes: list[str] = []
        for j, step in enumerate(scenario.solution):
            if step.do in actions:
                start = source.line("solution", j)
                end = source.line("solution", j + 1) if j + 1 < len(scenario.solution) else start + 1
                for number in range(start, max(end, start + 1)):
                    why += [f"solution step {j + 1}: {p.message}" for p in by_line.get(number, [])]
                    notes += [f"solution step {j + 1}: {p.message}"
                              for p in notes_by_line.get(number, [])]
        steps.append({"id": rule.id, "title": pick(rule.title) if rule.title else rule.id,
                      "actions": sorted(actions), "runnable": not why, "why": why,
                      "notes": notes})
    return steps


def _play(path: Path, scenario: Any, config: BundleConfig, result: dict[str, Any], source: Source,
          dropped: dict[str, list[str]], *, own_bundle: bool) -> None:
    space = seed_space(scenario, path, slug=f"golive-check-{scenario.id}"[:100],
                       bundle_code=config.code)
    # what the seeded world meets by itself, before any action (trainees would get no
    # points for it, but the author should know)
    empty = score_space(space, only_if_acted=False)
    play_solution(space)
    solved = score_space(space)
    result["solution"] = {"percent": round(solved.percent, 1), "passed": solved.passed,
                          "missed": [r.id for r in solved.rules if not r.passed]}
    result["empty"] = {"percent": round(empty.percent, 1), "passed": empty.passed}
    if solved.percent < 100 or not solved.passed:
        result["problems"].append(
            f"{path}:1: the reference solution scores {solved.percent:.0f}%, not 100% "
            f"(missed: {', '.join(result['solution']['missed'])})")
    if empty.passed:
        result["problems"].append(f"{path}:1: an empty attempt passes ({empty.percent:.0f}%)")
    result["problems"] += met_before_acting(scenario, empty, source)
    result["problems"] += step_counts_differ(scenario, solved, source, dropped)
    if scenario.sloppy is not None:
        reset_space(space)
        play_solution(space, sloppy=True)
        sloppy = score_space(space)
        result["sloppy"] = {"percent": round(sloppy.percent, 1), "expected": scenario.sloppy.score}
        # The declared score is the scenario's calibration on its own bundle. Elsewhere the
        # bundle's own SOP (an approval it does not require, a step it cannot check) may
        # rightly change what a careless attempt earns: reported, not compared.
        if abs(sloppy.percent - scenario.sloppy.score) > 0.5 and not dropped and own_bundle:
            result["problems"].append(
                f"{path}:1: the sloppy attempt scores {sloppy.percent:.0f}%, "
                f"the scenario says {scenario.sloppy.score}%")
