"""`manage.py upgrade_scenario SLUG [--from PATH]`: score a space against its scenario's new content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.common.errors import SandboxError
from sandbox.simulation.services import upgrade_scenario

from ._common import get_space


class Command(BaseCommand):
    help = ("Keep with a space the scenario file's current content (or another file's), "
            "replacing the content it was seeded from. Reports already made do not change.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("space", help="slug of the space")
        parser.add_argument("--from", dest="path", default=None,
                            help="scenario file to read (default: the file the space was seeded from)")

    def handle(self, *args: Any, **options: Any) -> None:
        space = get_space(options["space"])
        try:
            seed = upgrade_scenario(space, Path(options["path"]) if options["path"] else None)
        except SandboxError as exc:
            raise CommandError(f"{space.slug}: {exc.message}", returncode=1) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Space '{space.slug}' now uses {seed.scenario_id} v{seed.scenario_version} "
            f"({seed.scenario_sha256[:12]}) from {seed.scenario_path}"))
