"""The live session: what closing an exercise does to trainees' spaces, late joiners,
time limits, and the trainer's presenter and observer views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sandbox.cases.models import Case
from sandbox.cases.services.notes import note_add
from sandbox.common.errors import Conflict
from sandbox.scoring.models import Report
from sandbox.scoring.services import submit_for
from sandbox.spaces.models import Member
from sandbox.workshops import services
from sandbox.workshops.models import Attempt

from .conftest import Cast, attempt_of, start

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _member(attempt: Attempt) -> Member:
    return Member.objects.get(space=attempt.space, user=attempt.enrolment.user)


# -- closing reaches trainees --------------------------------------------------------------


def test_closing_scores_an_untouched_attempt_zero(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    report = attempt_of(exercise, cast.classmate).report
    assert report is not None and report.score == 0 and report.percent == 0


def test_after_closing_nobody_writes_or_submits_in_the_space(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    member = _member(mine)
    case = Case.objects.filter(space=mine.space).first()
    reports = Report.objects.count()
    with pytest.raises(Conflict) as refused:
        note_add(actor=member, case=case, subject="late", text="after closing")  # type: ignore[arg-type]
    assert refused.value.code == "space_closed"
    with pytest.raises(Conflict):
        submit_for(member)
    assert Report.objects.count() == reports  # no stray report the results would ignore


def test_closed_space_refuses_api_writes_with_409_and_the_error_shape(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    client = client_for(cast.trainee)
    slug = mine.space.slug  # type: ignore[union-attr]
    for url, body in ((f"/api/v1/spaces/{slug}/cases/", {"data": {}}),
                      (f"/api/v1/spaces/{slug}/exercise/clock/", {"by": "1h"}),
                      (f"/api/v1/spaces/{slug}/score/submit/", {})):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 409, (url, response.content)
        assert response.json()["error"]["code"] == "space_closed"
        assert "closed" in response.json()["error"]["message"]
    response = client.post(f"/api/v1/attempts/{mine.pk}/submit/")
    assert response.status_code == 409


def test_closed_exercise_is_shown_closed_to_the_trainee(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    services.exercise_close(by=cast.trainer, exercise=exercise)
    mine.refresh_from_db()
    client = client_for(cast.trainee)
    page = client.get(reverse("workshops:mine", kwargs={"pk": cast.workshop.pk})).content.decode()
    assert "exercise-closed" in page and "submit-attempt" not in page
    slug = mine.space.slug  # type: ignore[union-attr]
    space_page = client.get(reverse("simulation:exercise", kwargs={"space": slug})).content.decode()
    assert "space-stopped" in space_page and 'id="submit-attempt"' not in space_page
    report = client.get(reverse("scoring:report", kwargs={"space": mine.space.slug,  # type: ignore[union-attr]
                                                         "pk": mine.report_id}))
    assert "space-stopped" in report.content.decode()
    assert "report-try-again" not in report.content.decode()
    refused = client.post(reverse("scoring:try_again", kwargs={"space": mine.space.slug}))  # type: ignore[union-attr]
    assert refused.status_code == 302
    assert Case.objects.filter(space=mine.space).exists()


# -- late joiners --------------------------------------------------------------------------


def _late_joiner(cast: Cast) -> object:
    from .conftest import make_user

    return make_user("late", name="Lina Late")


def test_a_late_joiner_waits_for_the_trainer_unless_the_exercise_lets_them_in(cast: Cast) -> None:
    closed_door = start(cast.trainer, cast.workshop)
    open_door = start(cast.trainer, cast.workshop, late_joiners=True)
    late = _late_joiner(cast)
    enrolment = services.join_with_code(user=late, code=cast.workshop.join_code)  # type: ignore[arg-type]
    assert not Attempt.objects.filter(exercise=closed_door, enrolment=enrolment).exists()
    mine = Attempt.objects.get(exercise=open_door, enrolment=enrolment)
    assert Member.objects.filter(space=mine.space, user=late).exists()
    # the same seeded world as everyone else's
    others = attempt_of(open_door, cast.trainee)
    assert sorted(Case.objects.filter(space=mine.space).values_list("display_id", flat=True)) == \
        sorted(Case.objects.filter(space=others.space).values_list("display_id", flat=True))


def test_the_trainer_gives_a_space_from_the_board_in_one_click(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    late = _late_joiner(cast)
    enrolment = services.join_with_code(user=late, code=cast.workshop.join_code)  # type: ignore[arg-type]
    client = client_for(cast.trainer)
    board = client.get(reverse("workshops:board", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk}))
    assert "board-give-space" in board.content.decode() and "Lina Late" in board.content.decode()
    url = reverse("workshops:give_space", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk})
    for _twice in range(2):  # a double click gives one space
        assert client.post(url, {"enrolment": enrolment.pk}).status_code == 302
    assert Attempt.objects.filter(exercise=exercise, enrolment=enrolment).count() == 1
    board = client.get(reverse("workshops:board", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk}))
    assert "board-give-space" not in board.content.decode()
    # another workshop's trainee cannot be given a space here
    theirs = cast.other_workshop.enrolments.get()
    assert client.post(url, {"enrolment": theirs.pk}).status_code == 404


# -- time limits -----------------------------------------------------------------------------


def _time_up(attempt: Attempt) -> None:
    type(attempt.space).objects.filter(pk=attempt.space_id).update(  # type: ignore[union-attr]
        writing_ends_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_time_limit_stops_writing_but_lets_the_trainee_submit(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop, time_limit_minutes=30)
    mine = attempt_of(exercise, cast.trainee)
    ends = mine.space.writing_ends_at  # type: ignore[union-attr]
    assert ends is not None and dt.timedelta(minutes=29) < ends - timezone.now() <= dt.timedelta(minutes=30)
    page = client_for(cast.trainee).get(reverse("simulation:exercise", kwargs={"space": mine.space.slug}))  # type: ignore[union-attr]
    assert "space-countdown" in page.content.decode()
    _time_up(mine)
    case = Case.objects.filter(space=mine.space).first()
    with pytest.raises(Conflict) as refused:
        note_add(actor=_member(mine), case=case, subject="late", text="too late")  # type: ignore[arg-type]
    assert refused.value.code == "time_up"
    services.expire_attempts(exercise)  # the trainer did not choose automatic submission
    assert attempt_of(exercise, cast.trainee).status == Attempt.Status.IN_PROGRESS
    submitted = services.attempt_submit(user=cast.trainee, attempt=mine)
    assert submitted.status == Attempt.Status.SUBMITTED


def test_when_the_time_is_up_the_board_submits_attempts_if_the_trainer_chose_so(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop, time_limit_minutes=5, submit_when_time_is_up=True)
    mine, theirs = attempt_of(exercise, cast.trainee), attempt_of(exercise, cast.classmate)
    _time_up(mine)
    client_for(cast.trainer).get(reverse("workshops:board", kwargs={"pk": cast.workshop.pk,
                                                                    "ex": exercise.pk}))
    assert attempt_of(exercise, cast.trainee).status == Attempt.Status.SUBMITTED
    assert attempt_of(exercise, cast.classmate).status == Attempt.Status.IN_PROGRESS
    assert theirs.space.stopped() == ""  # type: ignore[union-attr]


def test_the_countdown_ending_submits_only_when_the_server_agrees(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop, time_limit_minutes=5, submit_when_time_is_up=True)
    mine = attempt_of(exercise, cast.trainee)
    client = client_for(cast.trainee)
    url = reverse("scoring:time_up", kwargs={"space": mine.space.slug})  # type: ignore[union-attr]
    client.post(url)  # a fast clock on the trainee's computer: nothing happens
    assert attempt_of(exercise, cast.trainee).status == Attempt.Status.IN_PROGRESS
    _time_up(mine)
    response = client.post(url)
    assert response.status_code == 302 and "/reports/" in response["Location"]
    assert attempt_of(exercise, cast.trainee).status == Attempt.Status.SUBMITTED
    # someone else's space: not theirs to submit
    theirs = attempt_of(exercise, cast.classmate)
    _time_up(theirs)
    assert client.post(reverse("scoring:time_up", kwargs={"space": theirs.space.slug})).status_code == 404  # type: ignore[union-attr]


# -- presenter and observer ---------------------------------------------------------------------


def test_the_presenter_view_hides_names_on_request(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client = client_for(cast.trainer)
    url = reverse("workshops:presenter", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk})
    named = client.get(url).content.decode()
    assert "Amani Okello" in named and "presenter-step" in named
    numbered = client.get(url + "?numbers=1").content.decode()
    assert "Amani Okello" not in numbered and "Zanele Quist" not in numbered
    assert 'class="trainee-label" style="min-width: 10rem">1<' in numbered


def _digest(attempt: Attempt) -> str:
    import hashlib

    from sandbox.simulation.snapshot import TABLES
    from sandbox.spaces.models import Space

    rows = [repr(list(Space.objects.filter(pk=attempt.space_id).values()))]
    rows += [repr(list(model.objects.filter(space_id=attempt.space_id).order_by("pk").values()))
             for model in TABLES]
    rows += [repr(list(Attempt.objects.filter(exercise=attempt.exercise).order_by("pk").values())),
             repr(list(Report.objects.order_by("pk").values_list("pk", flat=True)))]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_looking_at_a_space_changes_nothing_and_is_recorded(cast: Cast) -> None:
    from sandbox.simulation.services import play_solution
    from sandbox.workshops.models import Observation

    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    before = _digest(mine)
    url = reverse("workshops:observe", kwargs={"pk": cast.workshop.pk, "ex": exercise.pk,
                                               "attempt": mine.pk})
    page = client_for(cast.trainer).get(url).content.decode()
    assert _digest(mine) == before
    assert "observe-read-only" in page and "observe-score" in page and "100" in page
    assert f"/spaces/{mine.space.slug}/" not in page  # type: ignore[union-attr]
    look = Observation.objects.get()
    assert (look.observer, look.attempt) == (cast.trainer, mine)
    client_for(cast.administrator).get(url)
    assert Observation.objects.count() == 2
