"""The workshops' fixed cast, and small scenarios that seed fast.

The cast: `trainer` runs workshop W (trainees `trainee` and Zanele Quist);
`other_trainer` runs workshop W2 (trainee `other_trainee`); `administrator`
runs nothing; and an anonymous visitor. Exercises play `mini`, the cut-down
world of the simulation's tests (written into a scenarios folder of their own),
or `duo`, the same world with the supervisor played by a second trainee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox.accounts.models import User
from sandbox.workshops import services
from sandbox.workshops.models import Attempt, Enrolment, Exercise, Workshop
from tests.simulation.conftest import ACTORS, scenario_text

PASSWORD = "pw-test-123"
TITLE = "Belmar ToT, March cohort"
OTHER_TITLE = "Tazrit step-down session"
SECRET_TRAINEE = "Zanele Quist"

#: The mini world with both the case worker and the supervisor played by trainees.
DUO_ROLES = ('{played_by: simulated, role: supervisor, agency: dsw, user_groups: [dsw_north], '
             'name: "Grace Mensah"}')
TRACING_ONLY = ACTORS[ACTORS.index("  tracing:"):]


def duo_text() -> str:
    text = scenario_text("duo", actors=TRACING_ONLY)
    return text.replace(DUO_ROLES, "{played_by: trainee, role: supervisor, agency: dsw, "
                                   "user_groups: [dsw_north]}")


@pytest.fixture
def scenarios(settings, tmp_path: Path, default_config: object) -> Path:  # type: ignore[no-untyped-def]
    """A scenario library of two small scenarios, `mini` and `duo`."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "mini.yaml").write_text(scenario_text("mini"), encoding="utf-8")
    (folder / "duo.yaml").write_text(duo_text(), encoding="utf-8")
    settings.SCENARIOS_DIR = folder
    return folder


def make_user(username: str, kind: str = User.Kind.TRAINEE, name: str = "") -> User:
    first, _sep, last = name.partition(" ")
    return User.objects.create_user(username, password=PASSWORD, kind=kind, first_name=first,
                                    last_name=last, email=f"{username}@example.org")


def make_workshop(trainer: User, title: str = TITLE) -> Workshop:
    return services.workshop_create(trainer=trainer, title=title, starts_on=dt.date(2026, 3, 2),
                                    ends_on=dt.date(2026, 3, 6), organisations="DSW, Crescent")


def enrol(workshop: Workshop, user: User, organisation: str = "DSW") -> Enrolment:
    return Enrolment.objects.create(workshop=workshop, user=user, organisation=organisation)


def start(trainer: User, workshop: Workshop, scenario: str = "mini", **options: object) -> Exercise:
    exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id=scenario,
                                        **options)  # type: ignore[arg-type]
    services.exercise_start(by=trainer, exercise=exercise)
    exercise.refresh_from_db()
    return exercise


def attempt_of(exercise: Exercise, user: User) -> Attempt:
    return exercise.attempts.filter(enrolment__user=user).order_by("-number").first()  # type: ignore[return-value]


@pytest.fixture
def other_trainer(db: None) -> User:
    return make_user("oriane", User.Kind.TRAINER, "Oriane Marchetti")


@dataclass
class Cast:
    trainer: User
    other_trainer: User
    trainee: User
    classmate: User
    other_trainee: User
    administrator: User
    workshop: Workshop
    other_workshop: Workshop


@pytest.fixture
def cast(scenarios: Path, trainer: User, other_trainer: User, trainee: User, other_trainee: User,
         administrator: User) -> Cast:
    for user, name in ((trainer, "Tomas Trainer"), (trainee, "Amani Okello"),
                       (other_trainee, "Bilal Haddad")):
        user.first_name, _sep, user.last_name = name.partition(" ")
        user.save()
    classmate = make_user("zanele", name=SECRET_TRAINEE)
    workshop = make_workshop(trainer)
    enrol(workshop, trainee)
    enrol(workshop, classmate, "Crescent")
    other = make_workshop(other_trainer, OTHER_TITLE)
    enrol(other, other_trainee)
    return Cast(trainer, other_trainer, trainee, classmate, other_trainee, administrator,
                workshop, other)


Make = Callable[..., Exercise]
