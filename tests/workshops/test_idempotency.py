"""Double submissions get a clear answer and change nothing twice; CSV cells stay inert."""

from __future__ import annotations

import csv
import io

import pytest

from sandbox.accounts.models import User
from sandbox.common.errors import ValidationFailed
from sandbox.scoring.models import Report
from sandbox.workshops import exports, services
from sandbox.workshops.models import Attempt, Enrolment

from .conftest import Cast, attempt_of, make_workshop, start

pytestmark = pytest.mark.django_db


def test_adding_the_same_trainee_twice_makes_one_account_and_one_enrolment(cast: Cast) -> None:
    for _ in range(2):
        services.trainee_add(by=cast.trainer, workshop=cast.workshop, name="Nia Obi",
                             email="nia.obi@example.org")
    assert User.objects.filter(email="nia.obi@example.org").count() == 1
    assert Enrolment.objects.filter(workshop=cast.workshop, user__email="nia.obi@example.org").count() == 1


def test_a_trainer_cannot_enrol_an_administrator_by_address(cast: Cast) -> None:
    cast.administrator.email = "ada@example.org"
    cast.administrator.save()
    with pytest.raises(ValidationFailed) as refused:
        services.trainee_add(by=cast.trainer, workshop=cast.workshop, name="Ada", email="ada@example.org")
    assert refused.value.code == "join_with_code"
    assert not Enrolment.objects.filter(user=cast.administrator).exists()


def test_a_trainer_enrols_by_address_only_the_trainees_they_train(cast: Cast) -> None:
    """Anyone else's account (and its name) is not theirs to see: that trainee joins by code."""
    cast.other_trainee.email = "bilal@example.org"
    cast.other_trainee.save()
    with pytest.raises(ValidationFailed) as refused:
        services.trainee_add(by=cast.trainer, workshop=cast.workshop, name="Bilal",
                             email="bilal@example.org")
    assert refused.value.code == "join_with_code"
    assert "Bilal" not in str(refused.value.message) and cast.other_trainee.username not in \
        str(refused.value.details)
    # Once they train them (here: the administrator enrolled them), the address is enough.
    services.trainee_add(by=cast.administrator, workshop=cast.workshop, name="Bilal",
                         email="bilal@example.org")
    second = make_workshop(cast.trainer, "Week 2")
    new = services.trainee_add(by=cast.trainer, workshop=second, name="Bilal", email="bilal@example.org")
    assert new.user == cast.other_trainee and new.password is None


def test_an_administrator_may_not_enrol_a_trainer_as_a_trainee(cast: Cast) -> None:
    cast.other_trainer.email = "tomas2@example.org"
    cast.other_trainer.save()
    with pytest.raises(ValidationFailed) as refused:
        services.trainee_add(by=cast.administrator, workshop=cast.workshop, name="T",
                             email="tomas2@example.org")
    assert refused.value.code == "not_a_trainee"


def test_starting_twice_is_a_clear_refusal(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    spaces = Attempt.objects.filter(exercise=exercise).count()
    with pytest.raises(ValidationFailed) as refused:
        services.exercise_start(by=cast.trainer, exercise=exercise)
    assert refused.value.code == "already_started"
    assert Attempt.objects.filter(exercise=exercise).count() == spaces


def test_submitting_twice_from_a_stale_copy_makes_one_report(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    stale = attempt_of(exercise, cast.trainee)
    also_stale = Attempt.objects.get(pk=stale.pk)
    reports = Report.objects.count()
    services.attempt_submit(user=cast.trainee, attempt=stale)
    with pytest.raises(ValidationFailed) as refused:
        services.attempt_submit(user=cast.trainee, attempt=also_stale)  # the second click
    assert refused.value.code == "already_submitted"
    assert Report.objects.count() == reports + 1


def test_retrying_twice_starts_one_new_attempt(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop, allow_retry=True)
    first = services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    second = services.attempt_retry(user=cast.trainee, attempt=first)
    again = services.attempt_retry(user=cast.trainee, attempt=Attempt.objects.get(pk=first.pk))
    assert again.pk == second.pk
    assert exercise.attempts.filter(enrolment__user=cast.trainee).count() == 2


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised(value: str) -> None:
    assert exports.safe_cell(value) == "'" + value
    assert exports.safe_cell("Amani Okello") == "Amani Okello"


def test_the_results_csv_has_no_formula(cast: Cast) -> None:
    cast.trainee.first_name = "=cmd|' /C calc'!A0"
    cast.trainee.save()
    cast.workshop.title = "@SUM(1+1)"
    cast.workshop.save()
    exercise = start(cast.trainer, cast.workshop)
    services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    rows = list(csv.reader(io.StringIO(exports.results_csv(exercise))))[1:]
    assert rows
    for row in rows:
        for cell in row[:7]:
            assert not cell.startswith(("=", "+", "-", "@")), cell
