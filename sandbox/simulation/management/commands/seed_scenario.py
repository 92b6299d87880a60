"""`manage.py seed_scenario SCENARIO --space SLUG [--seed N]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.common.errors import ValidationFailed
from sandbox.simulation.scenario.load import find_scenario
from sandbox.simulation.world import seed_from_file


class Command(BaseCommand):
    help = ("Create, or recreate, a practice space from a scenario (its id or a path). "
            "Nothing is written if the scenario has any problem.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", help="scenario id (in scenarios/) or path to a YAML file")
        parser.add_argument("--space", required=True, help="slug of the space to create or reset")
        parser.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = find_scenario(options["scenario"])
        started = time.perf_counter()
        try:
            space = seed_from_file(path, slug=options["space"], seed=options["seed"])
        except ValidationFailed as exc:
            for problem in exc.details.get("problems", []):
                self.stderr.write(f"{problem['path']}:{problem['line']}: {problem['message']}")
            if not exc.details.get("problems"):
                self.stderr.write(f"{path}:1: {exc.message}")
            raise CommandError(f"{path}: not seeded", returncode=1) from exc
        elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(self.style.SUCCESS(
            f"Seeded space '{space.slug}' from {path} ({space.cases.count()} cases, "
            f"{elapsed:.0f} ms)"))
