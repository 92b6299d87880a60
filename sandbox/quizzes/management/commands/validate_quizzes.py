"""`manage.py validate_quizzes [PATH ...]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.quizzes.load import library, read_quiz


class Command(BaseCommand):
    help = ("Validate knowledge-check files (scenarios/quizzes/ by default). "
            "Prints every problem as PATH:LINE: message; exit status 1 if any.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: scenarios/quizzes/)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = []
        for name in options["paths"]:
            path = Path(name)
            paths.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
        if not options["paths"]:
            paths = library()
        problems = []
        for path in paths:
            problems.extend(read_quiz(path).problems)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s)", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} quiz file(s) valid"))
