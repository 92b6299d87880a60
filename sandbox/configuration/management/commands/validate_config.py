"""`manage.py validate_config [BUNDLE_DIR] [--verbose] [--format json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.configuration.bundle.checks.translations import summarise
from sandbox.configuration.bundle.validate import validate_bundle

from ._bundle_args import bundle_directory


class Command(BaseCommand):
    help = (
        "Validate a configuration bundle. Prints every problem as PATH:LINE: message (warnings as "
        "PATH:LINE: warning: message; translation gaps summarised per language unless --verbose) "
        "and exits with status 1 when there is any error; loads nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle", nargs="?", help="bundle directory (default: seed_data/default)")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json lists every problem with severity, path, line, message and code")
        parser.add_argument("--verbose", action="store_true",
                            help="list every missing translation instead of one line per language")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = bundle_directory(options["bundle"])
        parsed = validate_bundle(directory)
        problems = parsed.sorted_problems()
        errors = len(parsed.errors())
        warnings = len(problems) - errors
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "bundle": str(directory),
                "valid": parsed.valid,
                "errors": errors,
                "warnings": warnings,
                "problems": [{"severity": p.severity, "path": p.path, "line": p.line,
                              "message": p.message, "code": p.code or "other"} for p in problems],
            }, ensure_ascii=False, indent=2))
            if errors:
                raise SystemExit(1)
            return
        shown = problems if options["verbose"] else summarise(problems)
        for problem in shown:
            self.stderr.write(str(problem))
        if errors:
            raise CommandError(f"{directory}: {errors} error(s), {warnings} warning(s)", returncode=1)
        counts = (f"{len(parsed.lookups)} lookups, {len(parsed.sections)} form sections, "
                  f"{len(parsed.locations)} locations, {len(parsed.roles)} roles")
        suffix = f"; {warnings} warning(s)" if warnings else ""
        self.stdout.write(self.style.SUCCESS(f"{directory}: valid ({counts}){suffix}"))
