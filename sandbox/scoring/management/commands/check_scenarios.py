"""`manage.py check_scenarios [PATH ...] [--config DIR]`.

For each scenario: seed a fresh space, play the reference solution (it must score
100% and pass), reset and score the empty attempt (it must not pass), and play
the sloppy variant when there is one (it must score what the scenario says).

With `--config DIR`, the same is done against another configuration bundle, in a
transaction that is rolled back: the go-live check of an implementer's bundle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sandbox.common.errors import SandboxError
from sandbox.configuration.bundle.load import BundleInvalid, load_bundle
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import get_config
from sandbox.scoring.attempts import score_space
from sandbox.simulation.management.commands.validate_scenarios import scenario_paths
from sandbox.simulation.scenario.load import check_scenario, read_scenario
from sandbox.simulation.services import play_solution, reset_space
from sandbox.simulation.world import seed_space


class Rollback(Exception):
    pass


def check_one(path: Path, bundle_code: str | None = None) -> dict[str, Any]:
    """Check one scenario; returns {path, id, ok, problems[], solution, empty, sloppy}."""
    result: dict[str, Any] = {"path": str(path), "id": None, "ok": False, "problems": []}
    parsed = read_scenario(path)
    if parsed.scenario is None or parsed.problems:
        result["problems"] = [str(p) for p in parsed.problems]
        return result
    scenario = parsed.scenario
    if bundle_code is not None:
        scenario = scenario.model_copy(update={"config": bundle_code})
        parsed.scenario = scenario
    result["id"] = scenario.id
    bundle = Bundle.objects.filter(code=scenario.config).first()
    problems = check_scenario(parsed, get_config(bundle) if bundle else None)
    if problems:
        result["problems"] = [str(p) for p in problems]
        return result
    slug = f"check-{scenario.id}"[:100]
    try:
        with transaction.atomic():
            space = seed_space(scenario, path, slug=slug)
            empty = score_space(space)
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
            if scenario.sloppy is not None:
                reset_space(space)
                play_solution(space, sloppy=True)
                sloppy = score_space(space)
                result["sloppy"] = {"percent": round(sloppy.percent, 1), "expected": scenario.sloppy.score}
                if abs(sloppy.percent - scenario.sloppy.score) > 0.5:
                    result["problems"].append(
                        f"{path}:1: the sloppy attempt scores {sloppy.percent:.0f}%, "
                        f"the scenario says {scenario.sloppy.score}%")
            raise Rollback
    except Rollback:
        pass
    except SandboxError as exc:
        result["problems"].append(f"{path}:1: {exc.message}")
    result["ok"] = not result["problems"]
    return result


class Command(BaseCommand):
    help = ("Seed each scenario, play its reference solution (must score 100%), score an empty "
            "attempt (must not pass) and the sloppy variant. --config DIR checks the library "
            "against another configuration bundle (nothing is kept).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: scenarios/)")
        parser.add_argument("--config", help="a configuration bundle directory to check against")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = scenario_paths(options["paths"])
        if options["config"]:
            results = self._against(Path(options["config"]), paths)
        else:
            results = [check_one(path) for path in paths]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": all(r["ok"] for r in results), "scenarios": results},
                                         ensure_ascii=False, indent=2))
        else:
            for r in results:
                if r["ok"]:
                    sol, empty = r.get("solution", {}), r.get("empty", {})
                    extra = f", sloppy {r['sloppy']['percent']:.0f}%" if "sloppy" in r else ""
                    self.stdout.write(self.style.SUCCESS(
                        f"ok   {r['id']}: solution {sol.get('percent', 0):.0f}%, "
                        f"empty {empty.get('percent', 0):.0f}%{extra}"))
                else:
                    self.stdout.write(self.style.ERROR(f"FAIL {r['id'] or r['path']}"))
                    for problem in r["problems"]:
                        self.stderr.write(f"  {problem}")
        failed = [r for r in results if not r["ok"]]
        if failed:
            if options["format"] == "json":
                raise SystemExit(1)
            raise CommandError(f"{len(failed)} of {len(results)} scenario(s) failed", returncode=1)

    def _against(self, directory: Path, paths: list[Path]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        try:
            with transaction.atomic():
                try:
                    bundle = load_bundle(directory)
                except BundleInvalid as exc:
                    for problem in exc.problems:
                        self.stderr.write(str(problem))
                    raise CommandError(f"{directory}: the bundle is not valid", returncode=1) from exc
                for path in paths:
                    results.append(check_one(path, bundle_code=bundle.code))
                raise Rollback
        except Rollback:
            from sandbox.configuration.runtime import clear_cache

            clear_cache()
        return results



