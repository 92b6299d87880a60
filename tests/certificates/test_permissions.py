"""Who may open the knowledge-check and certificate pages: every URL, tried by the whole cast.

The workshop's trainer and administrators manage; another trainer, the trainees and
another workshop's trainee get a 404 there; a trainee's pages show only their own
answers and certificate; anonymous visitors are sent to sign in, except on the public
check page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sandbox.certificates import services as certificate_services
from sandbox.certificates.models import Certificate
from sandbox.quizzes import services as quiz_services
from sandbox.quizzes.load import find_quiz
from sandbox.quizzes.models import QuizAssignment
from tests.workshops.conftest import Cast

pytestmark = pytest.mark.django_db

MANAGERS = ("trainer", "administrator")
TRAINEES = ("trainee", "classmate")
EVERYONE = ("trainer", "other_trainer", "trainee", "classmate", "other_trainee", "administrator")


@dataclass
class World:
    cast: Cast
    pre: QuizAssignment
    certificate: Certificate


@pytest.fixture
def world(cast: Cast) -> World:
    quiz = find_quiz("sop-pre-post")
    assert quiz is not None
    pre = quiz_services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id=quiz.id,
                                    kind="pre")
    quiz_services.quiz_submit(user=cast.trainee, assignment=pre, quiz=quiz,
                              answers={q.id: q.answer for q in quiz.questions})
    certificate_services.criteria_set(by=cast.trainer, workshop=cast.workshop,
                                      min_days_present=0, min_exercises_joined=0, min_exercises_passed=0,
                                      min_post_test_percent=0)
    certificate = certificate_services.certificates_issue(
        by=cast.trainer, workshop=cast.workshop,
        enrolment_ids=[cast.workshop.enrolments.get(user=cast.trainee).pk])[0]
    return World(cast, pre, certificate)


def client_for(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world.cast, who))
    return client


def routes(world: World) -> list[tuple[str, str, str, dict[str, str], tuple[str, ...]]]:
    w = world.cast.workshop.pk
    return [
        ("GET", reverse("quizzes:manage", kwargs={"pk": w}), "", {}, MANAGERS),
        ("POST", reverse("quizzes:manage", kwargs={"pk": w}), "",
         {"quiz_id": "data-protection-consent", "kind": "post"}, MANAGERS),
        ("POST", reverse("quizzes:toggle", kwargs={"pk": w, "quiz": world.pre.pk}), "",
         {"open": "no"}, MANAGERS),
        ("GET", reverse("quizzes:results_csv", kwargs={"pk": w}), "", {}, MANAGERS),
        ("GET", reverse("quizzes:mine", kwargs={"pk": w}), "", {}, TRAINEES),
        ("GET", reverse("quizzes:take", kwargs={"pk": w, "quiz": world.pre.pk}), "", {}, TRAINEES),
        ("GET", reverse("certificates:manage", kwargs={"pk": w}), "", {}, MANAGERS),
        ("POST", reverse("certificates:manage", kwargs={"pk": w}), "",
         {"min_days_present": "0", "min_exercises_joined": "0", "min_exercises_passed": "0",
          "min_post_test_percent": "0"},
         MANAGERS),
        ("POST", reverse("certificates:issue", kwargs={"pk": w}), "", {}, MANAGERS),
        ("GET", reverse("certificates:download", kwargs={"pk": w, "cert": world.certificate.pk}),
         "", {}, MANAGERS),
        ("POST", reverse("certificates:revoke", kwargs={"pk": w, "cert": world.certificate.pk}),
         "", {}, MANAGERS),
        ("GET", reverse("certificates:mine", kwargs={"pk": w}), "", {}, TRAINEES),
    ]


@pytest.mark.parametrize("who", [*EVERYONE, "anonymous"])
def test_every_route_for_every_member_of_the_cast(world: World, who: str) -> None:
    for method, url, _query, data, allowed in routes(world):
        client = client_for(world, who)
        response = client.post(url, data) if method == "POST" else client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif who in allowed:
            assert response.status_code in (200, 302), (method, url, response.status_code)
        else:
            assert response.status_code == 404, (who, method, url, response.status_code)
            assert world.cast.workshop.title not in response.content.decode()


def test_trainees_see_only_their_own_answers_and_certificate(world: World) -> None:
    w = world.cast.workshop.pk
    take = reverse("quizzes:take", kwargs={"pk": w, "quiz": world.pre.pk})
    mine = client_for(world, "trainee").get(take).content.decode()
    assert 'id="quiz-score"' in mine and 'data-right="yes"' in mine
    theirs = client_for(world, "classmate").get(take).content.decode()
    assert 'id="quiz-score"' not in theirs and "data-right" not in theirs and " checked" not in theirs
    download = reverse("certificates:mine", kwargs={"pk": w}) + "?download=1"
    own = client_for(world, "trainee").get(download)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert client_for(world, "classmate").get(download).status_code == 404
    page = client_for(world, "classmate").get(reverse("certificates:mine", kwargs={"pk": w}))
    assert world.certificate.code not in page.content.decode()
    # A trainee of another workshop cannot take this one's quiz by its number.
    other = client_for(world, "other_trainee").post(take, {})
    assert other.status_code == 404


@pytest.mark.parametrize("who", [*EVERYONE, "anonymous"])
def test_the_check_page_is_public(world: World, who: str) -> None:
    cache.clear()
    response = client_for(world, who).get(reverse("certificates:check"),
                                          {"code": world.certificate.code})
    assert response.status_code == 200 and "Amani Okello" in response.content.decode()
