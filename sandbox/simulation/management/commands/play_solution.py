"""`manage.py play_solution SLUG`: play the scenario's reference solution."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.common.errors import SandboxError
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import play_solution

from ._common import get_space


class Command(BaseCommand):
    help = "Play the reference solution of the scenario a space was seeded from, in that space."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("space", help="slug of the space")

    def handle(self, *args: Any, **options: Any) -> None:
        space = get_space(options["space"])
        try:
            steps = play_solution(space)
        except SandboxError as exc:
            seed = SpaceSeed.objects.filter(space=space).first()
            where = seed.scenario_path if seed else space.slug
            raise CommandError(f"{where}:1: {exc.message}", returncode=1) from exc
        self.stdout.write(self.style.SUCCESS(f"Played {steps} solution step(s) in '{space.slug}'"))
