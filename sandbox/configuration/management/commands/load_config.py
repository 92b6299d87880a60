"""`manage.py load_config [BUNDLE_DIR]`: validate, then load atomically."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.configuration.bundle.load import BundleInvalid, load_bundle

from ._bundle_args import bundle_directory


class Command(BaseCommand):
    help = (
        "Validate a configuration bundle and load it in one transaction, replacing the "
        "configuration of the same bundle id. Nothing is written if it has any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle", nargs="?", help="bundle directory (default: seed_data/default)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = bundle_directory(options["bundle"])
        try:
            bundle = load_bundle(directory)
        except BundleInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{directory}: {len(exc.problems)} problem(s); nothing was loaded", returncode=1
            ) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Loaded bundle '{bundle.code}' version {bundle.version} from {directory}"))
