"""`manage.py validate_config [BUNDLE_DIR] [--format json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.configuration.bundle.validate import validate_bundle

from ._bundle_args import bundle_directory


class Command(BaseCommand):
    help = (
        "Validate a configuration bundle. Prints every problem as PATH:LINE: message "
        "and exits with status 1 when there is any; loads nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle", nargs="?", help="bundle directory (default: seed_data/default)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = bundle_directory(options["bundle"])
        parsed = validate_bundle(directory)
        problems = parsed.sorted_problems()
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "bundle": str(directory),
                "valid": not problems,
                "problems": [p.as_dict() for p in problems],
            }, ensure_ascii=False, indent=2))
        else:
            for problem in problems:
                self.stderr.write(str(problem))
            if not problems:
                counts = (f"{len(parsed.lookups)} lookups, {len(parsed.sections)} form sections, "
                          f"{len(parsed.locations)} locations, {len(parsed.roles)} roles")
                self.stdout.write(self.style.SUCCESS(f"{directory}: valid ({counts})"))
        if problems:
            if options["format"] == "text":
                raise CommandError(f"{directory}: {len(problems)} problem(s)", returncode=1)
            raise SystemExit(1)
