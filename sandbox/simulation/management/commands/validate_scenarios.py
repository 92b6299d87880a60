"""`manage.py validate_scenarios [PATH ...]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.configuration.bundle.checks.translations import summarise
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import get_config
from sandbox.simulation.scenario.load import check_scenario, library, read_scenario


def scenario_paths(names: list[str]) -> list[Path]:
    if not names:
        return library()
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        paths.extend(sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    return paths


class Command(BaseCommand):
    help = ("Validate scenario files against the schema and the loaded configuration. "
            "Prints every problem as PATH:LINE: message; exit status 1 if any.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: scenarios/)")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--verbose", action="store_true",
                            help="list every missing translation (by default, one line per language)")

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        problems = []
        for path in scenario_paths(options["paths"]):
            parsed = read_scenario(path)
            found = list(parsed.problems)
            if parsed.scenario is not None and not found:
                bundle = Bundle.objects.filter(code=parsed.scenario.config).first()
                found = check_scenario(parsed, get_config(bundle) if bundle else None)
            problems.extend(found)
            results.append({"path": str(path), "valid": not found,
                            "problems": [p.as_dict() for p in found]})
        if options["format"] == "json":
            self.stdout.write(json.dumps({"valid": not problems, "scenarios": results},
                                         ensure_ascii=False, indent=2))
        else:
            shown = problems if options["verbose"] else [
                p for path in dict.fromkeys(p.path for p in problems)
                for p in summarise([p for p in problems if p.path == path])]
            for problem in shown:
                self.stderr.write(str(problem))
            if not problems:
                self.stdout.write(self.style.SUCCESS(f"{len(results)} scenario(s) valid"))
        if problems:
            if options["format"] == "json":
                raise SystemExit(1)
            raise CommandError(f"{len(problems)} problem(s)", returncode=1)
