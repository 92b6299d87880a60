"""`manage.py send_statements`: send the outbox's xAPI statements to the learning record store.

Meant for cron (every few minutes): each run sends what is due and leaves the rest,
with its next try time, for a later run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sandbox.workshops import lrs


class Command(BaseCommand):
    help = ("Send the xAPI statements waiting in the outbox to the learning record store "
            "(LRS_URL, LRS_USERNAME, LRS_PASSWORD). Exits with status 1 if some stay unsent.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=None,
                            help="send at most this many statements (default: all that are due)")
        parser.add_argument("--now", action="store_true",
                            help="send waiting statements without waiting for their next try, "
                                 "and try again the ones the store refused")

    def handle(self, *args: Any, limit: int | None, now: bool, **options: Any) -> None:
        if limit is not None and limit < 1:
            raise CommandError("--limit: a number of statements, 1 or more")
        if not lrs.configured():
            raise CommandError("No learning record store: set LRS_URL (and LRS_USERNAME, "
                               "LRS_PASSWORD) in the environment.")
        outcome = lrs.send_pending(limit=limit, force=now)
        self.stdout.write(f"sent {outcome.sent}, to try again later {outcome.retrying}, "
                          f"refused by the store {outcome.failed}")
        if outcome.retrying or outcome.failed:
            raise SystemExit(1)
