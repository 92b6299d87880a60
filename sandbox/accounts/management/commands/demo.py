"""`manage.py demo`: the demo accounts used by the quick start, printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sandbox.accounts.models import User

DEMO_ACCOUNTS = [
    ("admin", "sandbox-admin", User.Kind.ADMINISTRATOR, "Ada", "Implementer", "en"),
    ("trainer", "sandbox-trainer", User.Kind.TRAINER, "Tomas", "Trainer", "en"),
    ("trainee1", "sandbox-trainee", User.Kind.TRAINEE, "Amani", "Okello", "en"),
    ("trainee2", "sandbox-trainee", User.Kind.TRAINEE, "Claire", "Dubois", "fr"),
    ("trainee3", "sandbox-trainee", User.Kind.TRAINEE, "Layla", "Haddad", "ar"),
]


class Command(BaseCommand):
    help = "Create (or reset the passwords of) the demo accounts and print them."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = []
        for username, password, kind, first, last, language in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.kind = kind
            user.language = language
            user.organisation = "Demo"
            user.is_staff = user.is_superuser = kind == User.Kind.ADMINISTRATOR
            user.set_password(password)
            user.save()
            rows.append((username, password, user.get_kind_display()))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (training instance, synthetic data only):"))
        width = max(len(r[0]) for r in rows)
        for username, password, kind in rows:
            self.stdout.write(f"  {username.ljust(width)}  password: {password.ljust(16)} {kind}")
        self.stdout.write("")
