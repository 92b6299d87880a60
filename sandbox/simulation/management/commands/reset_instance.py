"""`manage.py reset_instance`: every seeded space back to its seeded state."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sandbox.simulation.services import reset_instance


class Command(BaseCommand):
    help = "Reset every space seeded from a scenario back to its seeded state (the baseline)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reset_instance()
        self.stdout.write(self.style.SUCCESS(f"Reset {count} space(s) to their seeded state"))
