"""`manage.py demo`: the demo accounts, the shared demo world and the demo workshop."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.accounts.models import User
from sandbox.configuration.models import Bundle
from sandbox.spaces.models import Member, Space
from sandbox.spaces.services import member_add, space_create

DEMO_ACCOUNTS = [
    ("admin", "sandbox-admin", User.Kind.ADMINISTRATOR, "Ada", "Implementer", "en"),
    ("trainer", "sandbox-trainer", User.Kind.TRAINER, "Tomas", "Trainer", "en"),
    ("trainee1", "sandbox-trainee", User.Kind.TRAINEE, "Amani", "Okello", "en"),
    ("trainee2", "sandbox-trainee", User.Kind.TRAINEE, "Claire", "Dubois", "fr"),
    ("trainee3", "sandbox-trainee", User.Kind.TRAINEE, "Layla", "Haddad", "ar"),
]


DEMO_WORKSHOP = "Demo workshop: child protection case management"

#: The demo world: who plays which in-world role (role, user groups, agency).
DEMO_SPACE = "demo"
DEMO_MEMBERS = {
    "admin": ("administrator", [], "dsw"),
    "trainer": ("supervisor", ["dsw_north"], "dsw"),
    "trainee1": ("caseworker", ["dsw_north"], "dsw"),
    "trainee2": ("caseworker", ["dsw_north"], "dsw"),
    "trainee3": ("service_provider", [], "lcs"),
}


class Command(BaseCommand):
    help = (
        "Create (or reset the passwords of) the demo accounts, the shared demo world 'demo' "
        "and a demo workshop with a running exercise, when the default configuration is "
        "loaded; print the accounts. Running it again changes nothing else."
    )

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
        self._demo_space()
        self._demo_workshop()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (training instance, synthetic data only):"))
        width = max(len(r[0]) for r in rows)
        for username, password, kind in rows:
            self.stdout.write(f"  {username.ljust(width)}  password: {password.ljust(16)} {kind}")
        self.stdout.write("")

    def _demo_space(self) -> None:
        """A shared world where the demo accounts can try the case system together."""
        if not Bundle.objects.filter(code="default").exists():
            self.stdout.write("The default configuration is not loaded: no demo world created.")
            return
        space = Space.objects.filter(slug=DEMO_SPACE).first() or space_create(
            slug=DEMO_SPACE, title="Demo world (Lorendia)", bundle="default")
        for username, (role, groups, agency) in DEMO_MEMBERS.items():
            user = User.objects.get(username=username)
            if not Member.objects.filter(space=space, user=user).exists():
                member_add(space=space, user=user, role=role, user_groups=groups, agency=agency)
        self.stdout.write(f"Demo world: {settings.SITE_URL.rstrip('/')}/spaces/{DEMO_SPACE}/")

    def _demo_workshop(self) -> None:
        """The trainer's demo workshop: the three trainees, one exercise already running."""
        if not Bundle.objects.filter(code="default").exists():
            return
        from sandbox.workshops import services
        from sandbox.workshops.models import Enrolment, Exercise, Workshop

        trainer = User.objects.get(username="trainer")
        workshop = Workshop.objects.filter(trainer=trainer, title=DEMO_WORKSHOP).first()
        if workshop is None:
            today = datetime.date.today()
            workshop = services.workshop_create(
                trainer=trainer, title=DEMO_WORKSHOP, starts_on=today,
                ends_on=today + datetime.timedelta(days=4), organisations="Demo")
        for username in ("trainee1", "trainee2", "trainee3"):
            Enrolment.objects.get_or_create(workshop=workshop, user=User.objects.get(username=username),
                                            defaults={"organisation": "Demo"})
        exercise = workshop.exercises.first()
        if exercise is None:
            exercise = services.exercise_create(by=trainer, workshop=workshop,
                                                scenario_id="uasc-market-separation",
                                                allow_retry=True)
        if exercise.status == Exercise.Status.DRAFT:
            services.exercise_start(by=trainer, exercise=exercise)
        self.stdout.write(f"Demo workshop: {workshop.title} (join code {workshop.join_code})")
