"""`manage.py reset_space SLUG`: back to the seeded state."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.common.errors import SandboxError
from sandbox.simulation.services import reset_space

from ._common import get_space


class Command(BaseCommand):
    help = "Reset a practice space to exactly its seeded state. No other space is touched."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("space", help="slug of the space")

    def handle(self, *args: Any, **options: Any) -> None:
        space = get_space(options["space"])
        started = time.perf_counter()
        try:
            reset_space(space)
        except SandboxError as exc:
            raise CommandError(f"{space.slug}: {exc.message}", returncode=1) from exc
        elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(self.style.SUCCESS(f"Reset space '{space.slug}' ({elapsed:.0f} ms)"))
