"""`manage.py check_scenarios [PATH ...] [--config DIR] [--format text|json|html] [--out FILE]`.

For each scenario: check everything it does on the bundle (statically), seed a
fresh space, play the reference solution (it must score 100% and pass), score
the empty attempt (it must not pass) and play the sloppy variant when there is
one (it must score what the scenario says). Nothing is kept.

With `--config DIR`, the scenarios are checked on another configuration bundle,
loaded in a transaction that is rolled back: the go-live report of an
implementer's bundle (per scenario and SOP step, runnable or not, and why).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.scoring.golive import golive_report
from sandbox.scoring.golive.render import render_html
from sandbox.simulation.management.commands.validate_scenarios import scenario_paths


class Command(BaseCommand):
    help = ("Seed each scenario, play its reference solution (must score 100%), score an empty "
            "attempt (must not pass) and the sloppy variant. --config DIR checks the library "
            "against another configuration bundle (nothing is kept): the go-live report.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: scenarios/)")
        parser.add_argument("--config", help="a configuration bundle directory to check against")
        parser.add_argument("--format", choices=["text", "json", "html"], default="text")
        parser.add_argument("--out", help="write the report to FILE instead of printing it")
        parser.add_argument("--language", help="language of the HTML report (default: the site's)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = scenario_paths(options["paths"])
        directory = Path(options["config"]) if options["config"] else None
        if directory is not None and not directory.is_dir():
            raise CommandError(f"{directory}: not a directory", returncode=1)
        report = golive_report(paths, directory=directory)
        fmt = options["format"]
        if fmt == "json":
            self._emit(json.dumps(report, ensure_ascii=False, indent=2), options["out"])
        elif fmt == "html":
            self._emit(render_html(report, options["language"]), options["out"])
        else:
            self._text(report, options["out"])
        if report["bundle_problems"]:
            if fmt == "text":
                raise CommandError(f"{directory}: the bundle is not valid", returncode=1)
            raise SystemExit(1)
        failed = [r for r in report["scenarios"] if not r["ok"]]
        if failed or report["mapping"]["problems"]:
            if fmt != "text":
                raise SystemExit(1)
            raise CommandError(f"{len(failed)} of {len(report['scenarios'])} scenario(s) failed",
                               returncode=1)

    def _emit(self, text: str, out: str | None) -> None:
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _text(self, report: dict[str, Any], out: str | None) -> None:
        lines: list[str] = []
        errors: list[str] = list(report["bundle_problems"]) + list(report["mapping"]["problems"])
        for r in report["scenarios"]:
            if r["ok"]:
                sol, empty = r.get("solution", {}), r.get("empty", {})
                extra = f", sloppy {r['sloppy']['percent']:.0f}%" if "sloppy" in r else ""
                skipped = [s["id"] for s in r["steps"] if not s["runnable"]]
                left = f"; not checked here: {', '.join(skipped)}" if skipped else ""
                lines.append(self.style.SUCCESS(
                    f"ok   {r['id']}: solution {sol.get('percent', 0):.0f}%, "
                    f"empty {empty.get('percent', 0):.0f}%{extra}{left}"))
            else:
                lines.append(self.style.ERROR(f"FAIL {r['id'] or r['path']}"))
                errors += [f"  {problem}" for problem in r["problems"]]
                for step in r["steps"]:
                    if not step["runnable"] and step["why"]:
                        errors.append(f"  step '{step['id']}': {'; '.join(step['why'])}")
        for r in report.get("not_applicable") or []:
            lines.append(f"n/a  {r['id']}: {r['why']}")
        wanted = report.get("to_map") or []
        if wanted:
            shown = ", ".join(f"{e['key']} ({len(e['scenarios'])})" for e in wanted[:10])
            more = f" and {len(wanted) - 10} more" if len(wanted) > 10 else ""
            lines.append(f"not mapped (scenarios asking): {shown}{more}")
        if out:
            Path(out).write_text("\n".join(lines + errors) + "\n", encoding="utf-8")
            return
        for line in lines:
            self.stdout.write(line)
        for line in errors:
            self.stderr.write(line)
