"""Who may open which workshop page: every URL, GET and POST, tried by the whole cast.

The workshop's trainer and administrators run workshop W; another trainer, W's
trainees and another workshop's trainee get a 404 for W's trainer pages, and
never its data; a trainee's own pages (their workshop, their attempt) are theirs
alone; anonymous visitors are sent to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.accounts.models import User
from sandbox.simulation.services import play_solution
from sandbox.workshops import services
from sandbox.workshops.models import (
    Attempt,
    Enrolment,
    Exercise,
    Observation,
    Pair,
    QueuedStatement,
)

from .conftest import OTHER_TITLE, SECRET_TRAINEE, TITLE, Cast, attempt_of
from .lrs_store import free_port

pytestmark = pytest.mark.django_db


@dataclass
class World:
    cast: Cast
    running: Exercise  # allows retries; Amani submitted (a report), Zanele in progress
    draft: Exercise
    submitted: Attempt  # Amani's
    in_progress: Attempt  # Zanele's


@pytest.fixture
def world(cast: Cast, settings) -> World:  # type: ignore[no-untyped-def]
    # A learning record store that is not there: "Send now" tries, and changes the queue.
    settings.LRS_URL = f"http://127.0.0.1:{free_port()}/xAPI"
    running = services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini",
                                       allow_retry=True)
    services.exercise_start(by=cast.trainer, exercise=running)
    draft = services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini")
    mine = attempt_of(running, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    submitted = services.attempt_submit(user=cast.trainee, attempt=mine)
    return World(cast, Exercise.objects.get(pk=running.pk), draft, submitted,
                 attempt_of(running, cast.classmate))


CSV = "name,email,organisation,language\nGrace Mensah,grace@example.org,DSW,en\n"


@dataclass
class Route:
    """A URL of the workshop pages, how to call it, and who may."""

    name: str
    method: str
    allowed: tuple[str, ...]  # names of the cast who may
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    #: Status codes an allowed user may get (the action may be refused by the rules).
    ok: tuple[int, ...] = (200,)

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


MANAGERS = ("trainer", "administrator")
TRAINEE = ("trainee",)
EVERYONE = ("trainer", "other_trainer", "trainee", "other_trainee", "administrator")


def w(name: str, **extra: Any) -> Callable[[World], str]:
    return lambda world: reverse(f"workshops:{name}", kwargs={"pk": world.cast.workshop.pk, **extra})


def ex(name: str, draft: bool = False) -> Callable[[World], str]:
    def url(world: World) -> str:
        exercise = world.draft if draft else world.running
        return reverse(f"workshops:{name}", kwargs={"pk": world.cast.workshop.pk, "ex": exercise.pk})
    return url


def own(name: str, which: str = "submitted") -> Callable[[World], str]:
    return lambda world: reverse(f"workshops:{name}",
                                 kwargs={"attempt": getattr(world, which).pk})


def enrolment_pks(world: World) -> dict[str, Any]:
    amani = Enrolment.objects.get(workshop=world.cast.workshop, user=world.cast.trainee)
    zanele = Enrolment.objects.get(workshop=world.cast.workshop, user=world.cast.classmate)
    return {"first": amani.pk, "second": zanele.pk}


REDIRECT = (302,)
ROUTES = [
    # Trainers' pages of workshop W.
    Route("detail", "get", MANAGERS, w("detail")),
    Route("joining", "post", MANAGERS, w("joining"), lambda w_: {"open": "no"}, REDIRECT),
    # A new account's password is shown in the answer itself (200), never kept for a redirect.
    Route("trainee_add", "post", MANAGERS, w("trainee_add"),
          lambda w_: {"name": "Grace Mensah", "email": "grace@example.org"}, (200,)),
    Route("trainees_import", "post", MANAGERS, w("trainees_import"), lambda w_: {"file": _csv()},
          (200,)),
    Route("import_template", "get", MANAGERS, w("import_template")),
    Route("password_reset", "post", MANAGERS, lambda world: reverse(
        "workshops:password_reset", kwargs={"pk": world.cast.workshop.pk,
                                            "enrolment": enrolment_pks(world)["second"]})),
    Route("pair_add", "post", MANAGERS, w("pair_add"), enrolment_pks, (302, 400)),
    Route("exercise_add", "post", MANAGERS, w("exercise_add"),
          lambda w_: {"scenario_id": "mini", "mode": "individual"}, REDIRECT),
    Route("exercise", "get", MANAGERS, ex("exercise")),
    Route("exercise (draft)", "get", MANAGERS, ex("exercise", draft=True)),
    Route("board", "get", MANAGERS, ex("board")),
    Route("start", "post", MANAGERS, ex("start", draft=True), ok=REDIRECT),
    Route("message", "post", MANAGERS, ex("message"), lambda w_: {"text": "Hello"}, REDIRECT),
    Route("message to one", "post", MANAGERS, ex("message"),
          lambda world: {"text": "Hello", "to": world.in_progress.pk}, REDIRECT),
    Route("clock", "post", MANAGERS, ex("clock"), lambda w_: {"by": "1h"}, REDIRECT),
    Route("clock of one", "post", MANAGERS, ex("clock"),
          lambda world: {"by": "1h", "attempt": world.in_progress.pk}, REDIRECT),
    Route("reset", "post", MANAGERS, ex("reset"), lambda w_: {"confirm": "yes"}, REDIRECT),
    Route("reset one", "post", MANAGERS, ex("reset"),
          lambda world: {"attempt": world.in_progress.pk}, REDIRECT),
    Route("results", "get", MANAGERS, ex("results")),
    Route("debrief", "get", MANAGERS, ex("debrief")),
    Route("debrief (draft)", "get", MANAGERS, ex("debrief", draft=True)),
    Route("summary", "get", MANAGERS, w("summary")),
    Route("summary.csv", "get", MANAGERS, w("summary_csv")),
    Route("summary.xlsx", "get", MANAGERS, w("summary_xlsx")),
    Route("results.csv", "get", MANAGERS, ex("results_csv")),
    Route("xapi.json", "get", MANAGERS, ex("xapi")),
    Route("statements", "get", MANAGERS, ex("statements")),
    Route("send statements now", "post", MANAGERS, ex("statements_send"), ok=REDIRECT),
    Route("report", "get", MANAGERS, lambda world: reverse("workshops:report", kwargs={
        "pk": world.cast.workshop.pk, "ex": world.running.pk, "attempt": world.submitted.pk})),
    Route("release the model answer", "post", MANAGERS, ex("solution"),
          lambda w_: {"release": "yes"}, REDIRECT),
    Route("give a space", "post", MANAGERS, ex("give_space"),
          lambda world: {"enrolment": enrolment_pks(world)["second"]}, REDIRECT),
    Route("presenter", "get", MANAGERS, ex("presenter")),
    Route("presenter, numbers, refreshed part", "get", MANAGERS,
          lambda world: ex("presenter")(world) + "?numbers=1&part=1"),
    Route("observe", "get", MANAGERS, lambda world: reverse("workshops:observe", kwargs={
        "pk": world.cast.workshop.pk, "ex": world.running.pk, "attempt": world.in_progress.pk})),
    Route("close", "post", MANAGERS, ex("close"), ok=REDIRECT),
    # A trainee's own pages.
    Route("mine", "get", TRAINEE, w("mine")),
    Route("retry", "post", TRAINEE, own("retry"), ok=REDIRECT),
    Route("submit", "post", TRAINEE, own("submit"), ok=REDIRECT),
    # Pages everyone logged in may open.
    Route("list", "get", EVERYONE, lambda w_: reverse("workshops:list")),
    Route("join", "get", EVERYONE, lambda w_: reverse("workshops:join")),
]


def _csv():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cohort.csv", CSV.encode(), content_type="text/csv")


def _user(world: World, who: str) -> User:
    return getattr(world.cast, who)


def _state(world: World) -> tuple[Any, ...]:
    """What a forbidden request must not change."""
    world.cast.workshop.refresh_from_db()
    return (world.cast.workshop.joining_open,
            Enrolment.objects.filter(workshop=world.cast.workshop).count(),
            Pair.objects.count(), Exercise.objects.count(),
            list(Exercise.objects.order_by("pk").values_list("status", "solution_released_at")),
            list(Attempt.objects.order_by("pk").values_list("number", "status")),
            list(Attempt.objects.exclude(space=None).order_by("pk")
                 .values_list("space__clock", flat=True)),
            world.cast.workshop.joining_open, Observation.objects.count(),
            User.objects.get(pk=world.cast.classmate.pk).password,
            list(QueuedStatement.objects.order_by("pk").values_list("status", "tries")))


def _call(client: Client, route: Route, world: World):  # type: ignore[no-untyped-def]
    url = route.url(world)
    if route.method == "get":
        return client.get(url)
    return client.post(url, route.data(world))


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_who_may_open_each_page(client: Client, world: World, route: Route) -> None:
    cast = world.cast
    forbidden = [who for who in EVERYONE if who not in route.allowed]
    for who in forbidden:
        client.force_login(_user(world, who))
        before = _state(world)
        response = _call(client, route, world)
        assert response.status_code == 404, (who, response.status_code)
        page = response.content.decode()
        for secret in (TITLE, SECRET_TRAINEE, cast.workshop.join_code):
            assert secret not in page, (who, secret)
        assert _state(world) == before, who
        client.logout()

    before = _state(world)
    response = _call(client, route, world)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login")), \
        "anonymous"
    assert _state(world) == before

    for who in route.allowed:
        client.force_login(_user(world, who))
        response = _call(client, route, world)
        expected = route.ok if who == route.allowed[0] else (*route.ok, 302)
        assert response.status_code in expected, (who, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login")), who
        client.logout()


def test_lists_show_only_ones_own_workshops(client: Client, world: World) -> None:
    cast = world.cast
    expectations = {
        "trainer": ([TITLE], [OTHER_TITLE]),
        "other_trainer": ([OTHER_TITLE], [TITLE]),
        "trainee": ([TITLE], [OTHER_TITLE]),
        "other_trainee": ([OTHER_TITLE], [TITLE]),
        "administrator": ([TITLE, OTHER_TITLE], []),
    }
    for who, (shown, hidden) in expectations.items():
        client.force_login(getattr(cast, who))
        for url in (reverse("workshops:list"), reverse("home")):
            page = client.get(url).content.decode()
            if not (who == "administrator" and url == reverse("home")):  # runs none of them
                for title in shown:
                    assert title in page, (who, url, title)
            for title in hidden:
                assert title not in page, (who, url, title)
        client.logout()


def test_ids_of_another_workshop_are_not_found(client: Client, world: World) -> None:
    """W2's trainer cannot reach W's exercise or attempts by putting them under W2."""
    cast = world.cast
    other_exercise = services.exercise_create(by=cast.other_trainer, workshop=cast.other_workshop,
                                              scenario_id="mini")
    services.exercise_start(by=cast.other_trainer, exercise=other_exercise)
    client.force_login(cast.other_trainer)
    w2 = cast.other_workshop.pk
    for url in (
        reverse("workshops:exercise", kwargs={"pk": w2, "ex": world.running.pk}),
        reverse("workshops:results_csv", kwargs={"pk": w2, "ex": world.running.pk}),
        reverse("workshops:debrief", kwargs={"pk": w2, "ex": world.running.pk}),
        reverse("workshops:report", kwargs={"pk": w2, "ex": other_exercise.pk,
                                            "attempt": world.submitted.pk}),
    ):
        assert client.get(url).status_code == 404, url
    for data in ({"attempt": world.in_progress.pk}, {"attempt": "x"}):
        response = client.post(reverse("workshops:reset", kwargs={"pk": w2, "ex": other_exercise.pk}),
                               data)
        assert response.status_code == 404
    assert attempt_of(world.running, cast.classmate).pk == world.in_progress.pk


def test_a_trainee_cannot_act_on_a_classmates_attempt(client: Client, world: World) -> None:
    client.force_login(world.cast.trainee)
    for name in ("submit", "retry"):
        url = reverse(f"workshops:{name}", kwargs={"attempt": world.in_progress.pk})
        assert client.post(url).status_code == 404
    world.in_progress.refresh_from_db()
    assert world.in_progress.status == Attempt.Status.IN_PROGRESS


def test_trainee_pages_take_posts_only(client: Client, world: World) -> None:
    client.force_login(world.cast.trainee)
    assert client.get(reverse("workshops:submit", kwargs={"attempt": world.submitted.pk})) \
        .status_code == 405
    client.force_login(world.cast.trainer)
    assert client.get(ex("reset")(world)).status_code == 405
