"""`manage.py jobs`: the background jobs, and recovering the ones a dead worker left."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sandbox.jobs.models import Job
from sandbox.jobs.services import live_progress, recover_stale


class Command(BaseCommand):
    help = ("List the background jobs queued or running (--all: the latest, whatever their "
            "state); --recover queues again (or fails) the jobs whose worker stopped.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="the latest 50 jobs, finished ones too")
        parser.add_argument("--recover", action="store_true",
                            help="look for interrupted jobs first (what running workers do by themselves)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["recover"]:
            for job in recover_stale():
                self.stderr.write(f"job {job.pk} ({job.kind}, {job.target}) was interrupted: {job.status}")
        jobs = Job.objects.all() if options["all"] else Job.objects.filter(status__in=Job.ACTIVE)
        rows = []
        for job in jobs.order_by("-created_at", "-pk")[:50]:
            live_progress(job)
            rows.append({"id": job.pk, "kind": job.kind, "target": job.target, "status": job.status,
                         "done": job.done, "total": job.total, "tries": job.tries,
                         "created_at": job.created_at.isoformat(), "error": job.error})
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows))
            return
        for row in rows:
            self.stdout.write("{id}\t{kind}\t{target}\t{status}\t{done}/{total}\ttries {tries}\t{error}"
                              .format(**row))
