"""The workshop API with a fixed cast: who may read the board, results and xAPI."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sandbox.accounts.models import User
from sandbox.simulation.services import play_solution
from sandbox.workshops import services as ws
from sandbox.workshops.models import Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(default_config: Any) -> dict[str, Any]:
    trainer = User.objects.create_user("w-trainer", password="pw-x-12345", kind=User.Kind.TRAINER)
    other_trainer = User.objects.create_user("w-other", password="pw-x-12345", kind=User.Kind.TRAINER)
    admin = User.objects.create_user("w-admin", password="pw-x-12345",
                                     kind=User.Kind.ADMINISTRATOR)
    day = dt.date(2026, 11, 23)
    workshop = ws.workshop_create(trainer=trainer, title="Secret ToT Belmar", starts_on=day, ends_on=day)
    other = ws.workshop_create(trainer=other_trainer, title="Other ToT", starts_on=day, ends_on=day)
    trainee = ws.trainee_add(by=trainer, workshop=workshop, name="Awa Diop",
                             email="awa@example.org").user
    other_trainee = ws.trainee_add(by=other_trainer, workshop=other, name="Bo Lee",
                                   email="bo@example.org").user
    exercise = ws.exercise_create(by=trainer, workshop=workshop, scenario_id="uasc-market-separation")
    ws.exercise_start(by=trainer, exercise=exercise)
    return {"trainer": trainer, "other_trainer": other_trainer, "admin": admin, "trainee": trainee,
            "other_trainee": other_trainee, "workshop": workshop, "exercise": exercise}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def trainer_urls(cast: dict[str, Any]) -> list[str]:
    w, e = cast["workshop"].pk, cast["exercise"].pk
    return [f"/api/v1/workshops/{w}/exercises/{e}/board/",
            f"/api/v1/workshops/{w}/exercises/{e}/results/",
            f"/api/v1/workshops/{w}/exercises/{e}/xapi/",
            f"/api/v1/workshops/{w}/summary/"]


@pytest.mark.parametrize("who", ["trainer", "admin"])
def test_the_trainer_and_administrators_read_the_board_results_and_xapi(cast: dict[str, Any],
                                                                        who: str) -> None:
    client = client_for(cast[who])
    board, results, xapi, summary = (client.get(url) for url in trainer_urls(cast))
    assert board.status_code == 200 and board.json()[0]["trainee"] == "Awa Diop"
    assert results.status_code == 200 and results.json()["attempts"] == []
    assert xapi.status_code == 200 and xapi.json() == []
    assert summary.status_code == 200 and summary.json()["trainees"][0]["name"] == "Awa Diop"
    assert summary.json()["trainees"][0]["results"][0]["state"] == "not_submitted"


@pytest.mark.parametrize("who", ["other_trainer", "trainee", "other_trainee"])
def test_everybody_else_gets_404_and_no_data(cast: dict[str, Any], who: str) -> None:
    client = client_for(cast[who])
    for url in trainer_urls(cast):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
        assert "Awa" not in response.content.decode()


def test_anonymous_gets_401(cast: dict[str, Any]) -> None:
    for url in [*trainer_urls(cast), "/api/v1/workshops/", "/api/v1/attempts/"]:
        assert client_for(None).get(url).status_code == 401, url


def test_workshop_list_is_scoped(cast: dict[str, Any]) -> None:
    def titles(who: str) -> set[str]:
        return {w["title"] for w in client_for(cast[who]).get("/api/v1/workshops/").json()}

    assert titles("trainer") == {"Secret ToT Belmar"}
    assert titles("trainee") == {"Secret ToT Belmar"}
    assert titles("other_trainer") == {"Other ToT"}
    assert titles("other_trainee") == {"Other ToT"}
    assert titles("admin") >= {"Secret ToT Belmar", "Other ToT"}


def test_a_trainee_submits_their_own_attempt_only(cast: dict[str, Any]) -> None:
    attempt = Attempt.objects.get(enrolment__user=cast["trainee"])
    assert client_for(cast["other_trainee"]).post(
        f"/api/v1/attempts/{attempt.pk}/submit/").status_code == 404
    assert client_for(cast["trainer"]).post(
        f"/api/v1/attempts/{attempt.pk}/submit/").status_code == 404
    mine = client_for(cast["trainee"]).get("/api/v1/attempts/").json()
    assert [a["id"] for a in mine] == [attempt.pk]
    assert client_for(cast["other_trainee"]).get("/api/v1/attempts/").json() == []
    play_solution(attempt.space)
    response = client_for(cast["trainee"]).post(f"/api/v1/attempts/{attempt.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted" and response.json()["percent"] == 100.0
    xapi = client_for(cast["trainer"]).get(trainer_urls(cast)[2]).json()
    statement, *steps = xapi  # "completed", then "passed" for each step of a full attempt
    assert steps and all(s["verb"]["id"].endswith("/passed") for s in steps)
    assert statement["actor"]["account"]["name"] == str(cast["trainee"].pk)
    assert "awa@example.org" not in str(xapi)
    assert statement["verb"]["id"].endswith("/completed")
    assert statement["object"]["id"].endswith("/scenarios/uasc-market-separation")
    assert statement["result"]["score"]["scaled"] == 1
    again = client_for(cast["trainee"]).post(f"/api/v1/attempts/{attempt.pk}/submit/")
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_submitted"
