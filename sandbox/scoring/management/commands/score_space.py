"""`manage.py score_space SLUG [--format json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.common.errors import SandboxError
from sandbox.common.i18n import pick
from sandbox.scoring.attempts import score_space
from sandbox.simulation.models import SpaceSeed
from sandbox.spaces.models import Space


class Command(BaseCommand):
    help = "Score a space against its scenario's expected steps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("space", help="slug of the space")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        space = Space.objects.filter(slug=options["space"]).first()
        if space is None:
            raise CommandError(f"no space '{options['space']}'", returncode=1)
        if not SpaceSeed.objects.filter(space=space).exists():
            raise CommandError(f"space '{space.slug}' was not seeded from a scenario", returncode=1)
        try:
            report = score_space(space)
        except SandboxError as exc:
            raise CommandError(f"{space.slug}: {exc.message}", returncode=1) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        verdict = "PASSED" if report.passed else "NOT PASSED"
        self.stdout.write(f"{report.scenario} v{report.version}: {report.score:g} / "
                          f"{report.max_score} ({report.percent:.0f}%, pass mark "
                          f"{report.pass_mark}%) {verdict}")
        for rule in report.rules:
            mark = "✓" if rule.passed else "✗"
            title = pick(rule.title) or rule.id
            self.stdout.write(f"  {mark} {rule.id:32} {rule.points:>6g} / {rule.max_points:<4} {title}")
