"""`manage.py import_config primero SOURCE --out DIR`: a Primero configuration as a bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.configuration.importers.primero import ImportFailed, OutputExists, import_primero


class Command(BaseCommand):
    help = (
        "Import a Primero v2 configuration (a seed tree holding db/configuration/, or a configuration "
        "export .json) as a configuration bundle in DIR, with import-report.md and import-report.json "
        "beside it listing every lossy step as PATH:LINE. Exits with status 1 only when nothing could "
        "be read (or DIR is not empty without --force); nothing is written then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("system", choices=["primero"], help="the system the configuration comes from")
        parser.add_argument("source", help="a Primero checkout or seed folder, or a configuration .json file")
        parser.add_argument("--out", required=True, help="the bundle folder to create")
        parser.add_argument(
            "--languages",
            default="",
            help="comma-separated languages to keep, e.g. en,fr (default: every language found)",
        )
        parser.add_argument("--force", action="store_true", help="replace DIR when it is not empty")
        parser.add_argument(
            "--report-dir",
            default=None,
            help="where import-report.md/.json go (default: the folder holding DIR)",
        )
        parser.add_argument("--bundle-id", default=None, help="the bundle id (default: from DIR's name)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        out = Path(options["out"])
        languages = [lang.strip() for lang in options["languages"].split(",") if lang.strip()] or None
        if not source.exists():
            raise CommandError(f"{source}:1: no such file or folder", returncode=1)
        try:
            result = import_primero(
                source,
                out,
                languages=languages,
                force=options["force"],
                report_dir=Path(options["report_dir"]) if options["report_dir"] else None,
                bundle_id=options["bundle_id"],
            )
        except OutputExists as exc:
            raise CommandError(str(exc), returncode=1) from None
        except ImportFailed as exc:
            for entry in exc.report.entries:
                self.stderr.write(f"{entry.location()}: {entry.message}")
            raise CommandError(str(exc), returncode=1) from None
        report = result.report
        for entry in (e for e in report.entries if e.group == "unreadable"):
            self.stderr.write(f"{entry.location()}: {entry.message}")
        summary = report.summary
        self.stdout.write(
            self.style.SUCCESS(
                f"{out}: {summary['form_sections']} form sections, {summary['fields']} fields, "
                f"{summary['lookups']} lookups ({summary['options']} options), {summary['roles']} roles, "
                f"{summary['agencies']} agencies, {summary['user_groups']} user groups, "
                f"{summary['locations']} locations; languages {', '.join(report.languages)}"
            )
        )
        self.stdout.write(
            f"{len(report.entries)} lossy step(s) listed in {result.report_md} and {result.report_json}"
        )
        self.stdout.write(f"Check the proposed {out / 'mapping.yaml'}, then: manage.py validate_config {out}")
