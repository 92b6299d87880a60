"""`manage.py remove_demo_accounts`: delete the demo accounts (also renamed ones)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sandbox.accounts.models import User
from sandbox.accounts.services import remove_demo_accounts


class Command(BaseCommand):
    help = ("Delete every account with a demo user name or a published demo password. "
            "Their workshops go to --heir, or are deleted without one.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--heir", help="user name that takes over the demo trainers' workshops")

    def handle(self, *args: Any, heir: str | None = None, **options: Any) -> None:
        heir_user = None
        if heir:
            heir_user = User.objects.filter(username=heir).first()
            if heir_user is None:
                raise CommandError(f"No user named {heir!r}.")
        removed = remove_demo_accounts(heir_user)
        self.stdout.write(f"Removed {len(removed)} demo account(s): {', '.join(removed) or '-'}")
