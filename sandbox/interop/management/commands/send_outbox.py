"""Send the messages to partner systems whose time has come (`send_due`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.interop.models import OutboxStatus
from sandbox.interop.outbox import send_due
from sandbox.spaces.models import Space


class Command(BaseCommand):
    help = ("Send the outbox's messages that are due (new ones, and retries whose delay has "
            "passed); print one line per message tried.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--space", help="Only this space (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        space_id = None
        if options["space"]:
            space = Space.objects.filter(slug=options["space"]).first()
            if space is None:
                raise CommandError(f"--space: no space '{options['space']}'", returncode=1)
            space_id = space.pk
        tried = send_due(space_id=space_id)
        for message in tried:
            self.stdout.write(f"{message.status:8} {message.partner.code} {message.idempotency_key} "
                              f"tries={message.tries} {message.last_error}".rstrip())
        sent = sum(1 for m in tried if m.status == OutboxStatus.SENT)
        self.stdout.write(f"{sent} of {len(tried)} message(s) delivered")
