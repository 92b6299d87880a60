"""The live board's poll: 204 when nothing changed, only the changed rows sent (swapped in
place), the whole board when rows came or went, rows read in full only when their stamp
changed, the progress kept when the space moves (the board reads), every viewer's rows
with their own form token, each language its own rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sandbox.simulation.engine import advance
from sandbox.simulation.models import Progress
from sandbox.simulation.services import play_solution
from sandbox.spaces.models import Space
from sandbox.workshops import board as live
from sandbox.workshops.models import Enrolment, Exercise
from sandbox.workshops.services import attempt_submit, give_space, reset_attempts

from .conftest import Cast, attempt_of, make_user, start

pytestmark = pytest.mark.django_db



def board_url(exercise: Exercise) -> str:
    return reverse("workshops:board", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})


def version(page: str) -> str:
    found = re.search(r'hx-get="[^"?]+\?v=([0-9a-f]+)"', page)
    assert found, page[:300]
    return found.group(1)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The usernames of the board's rows, as they are drawn."""
    names: list[str] = []
    draw = live.draw_row

    def counted(row: dict[str, Any], parts: Any, **kwargs: Any) -> str:
        names.append(row["username"])
        return draw(row, parts, **kwargs)

    monkeypatch.setattr(live, "draw_row", counted)
    yield names


def test_rows_escape_what_they_show(client: Client, cast: Cast) -> None:
    """A trainee's name or organisation is text, never markup, in the row drawn without a
    template."""
    exercise = start(cast.trainer, cast.workshop)
    enrolment = attempt_of(exercise, cast.trainee).enrolment
    enrolment.organisation = '<b>"DSW" & co</b>'
    enrolment.save()
    client.force_login(cast.trainer)
    page = client.get(board_url(exercise)).content.decode()
    assert "&lt;b&gt;&quot;DSW&quot; &amp; co&lt;/b&gt;" in page and "<b>\"DSW" not in page


def test_a_poll_that_finds_nothing_changed_is_answered_204(client: Client, cast: Cast,
                                                           drawn: list[str]) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    first = client.get(board_url(exercise))
    assert first.status_code == 200 and len(drawn) == 2
    shown = version(first.content.decode())
    again = client.get(board_url(exercise), {"v": shown})
    assert again.status_code == 204 and again.content == b""
    # A version the server never gave (an old page, a tampered link): the board, whole, in
    # place of the one on the page.
    whole = client.get(board_url(exercise), {"v": "0" * 20})
    assert whole.status_code == 200 and whole["HX-Retarget"] == "#board"
    assert whole["HX-Reswap"] == "outerHTML" and whole.content.decode().count("<tr id=") == 2


def test_a_poll_sends_only_the_rows_that_changed(client: Client, cast: Cast,
                                                 drawn: list[str]) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    shown = version(client.get(board_url(exercise)).content.decode())
    play_solution(attempt_of(exercise, cast.trainee).space)  # type: ignore[arg-type]
    del drawn[:]
    moved = client.get(board_url(exercise), {"v": shown})
    page = moved.content.decode()
    assert moved.status_code == 200 and "HX-Retarget" not in moved
    # Only Amani's row changed: it alone is drawn and sent, to replace its own row.
    assert drawn == ["amani"] and page.count("<tr id=") == 1
    amani = attempt_of(exercise, cast.trainee)
    assert f'<tr id="board-row-{amani.enrolment_id}" hx-swap-oob="true" data-trainee="amani"' in page
    assert "2 / 2" in page and 'data-trainee="zanele"' not in page
    # The header comes along (its counts), and the poller with the new version (and the
    # countdowns' script, which starts those of the new rows).
    assert 'id="board-head" hx-swap-oob="true"' in page and "js/countdown.js" in page
    newer = version(page)
    assert newer != shown and client.get(board_url(exercise), {"v": newer}).status_code == 204
    # The older version still gets what changed since it (another tab, a late answer).
    assert client.get(board_url(exercise), {"v": shown}).content.decode().count("<tr id=") == 1


def test_rows_that_come_or_go_redraw_the_whole_board(client: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    shown = version(client.get(board_url(exercise)).content.decode())
    latecomer = make_user("lina", name="Lina Haddad")
    enrolment = Enrolment.objects.create(workshop=cast.workshop, user=latecomer)
    waiting = client.get(board_url(exercise), {"v": shown})
    assert waiting["HX-Retarget"] == "#board" and 'data-trainee="lina"' in waiting.content.decode()
    shown = version(waiting.content.decode())
    give_space(by=cast.trainer, exercise=exercise, enrolment=enrolment)
    whole = client.get(board_url(exercise), {"v": shown})
    page = whole.content.decode()
    assert whole["HX-Retarget"] == "#board" and page.count("<tr id=") == 3
    assert 'hx-swap-oob' not in page


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The attempts whose rows are made (from their stamps), poll after poll."""
    ids: list[int] = []
    read = live._read

    def counted(stamps: list[live.Stamp]) -> dict[int, live.Line]:
        ids.extend(stamp.pk for stamp in stamps)
        return read(stamps)

    monkeypatch.setattr(live, "_read", counted)
    return ids


def attempt_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if 'FROM "workshops_attempt"' in q["sql"]]


def test_a_poll_makes_again_only_the_rows_that_changed_from_one_query(client: Client, cast: Cast,
                                                                     made: list[int]) -> None:
    exercise = start(cast.trainer, cast.workshop)
    amani, zanele = attempt_of(exercise, cast.trainee), attempt_of(exercise, cast.classmate)
    client.force_login(cast.trainer)
    shown = version(client.get(board_url(exercise)).content.decode())
    assert sorted(made) == sorted([amani.pk, zanele.pk])  # the first poll: every row

    def poll() -> list[str]:
        del made[:]
        with CaptureQueriesContext(connection) as queries:
            client.get(board_url(exercise), {"v": shown})
        return attempt_queries(queries)

    assert len(poll()) == 1 and made == []  # every stamp unchanged: every row kept
    advance(Space.objects.get(pk=amani.space_id), by=dt.timedelta(hours=1))
    assert len(poll()) == 1 and made == [amani.pk]  # only Amani's row is made again


def test_a_process_with_no_row_kept_makes_them_from_the_same_query(client: Client, cast: Cast,
                                                                 made: list[int]) -> None:
    """The next poll may reach another worker or server, its memory empty: it makes every
    row from the stamps it reads anyway, with no other query."""
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    client.get(board_url(exercise))

    def poll() -> int:
        del made[:]
        with CaptureQueriesContext(connection) as queries:
            assert client.get(board_url(exercise)).status_code == 200
        return len(queries.captured_queries)

    kept = poll()
    assert made == []
    live._memo.clear()
    assert poll() == kept and len(made) == 2


def test_rows_made_from_stamps_equal_the_rows_the_orm_reads(
        cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """The stamp's dates are the database's text (PostgreSQL's with its offset, SQLite's
    without): read back, they are the datetimes the ORM gives, to the microsecond."""
    from django.utils import timezone

    from sandbox.workshops.models import Attempt

    exercise = start(cast.trainer, cast.workshop)
    amani = attempt_of(exercise, cast.trainee)
    space = Space.objects.get(pk=amani.space_id)
    with django_capture_on_commit_callbacks(execute=True):  # the progress kept, as it is live
        play_solution(space, upto=1)
        space.refresh_from_db()
        advance(space, by=dt.timedelta(hours=1, microseconds=123457))
    Space.objects.filter(pk=space.pk).update(writing_ends_at=timezone.now() + dt.timedelta(minutes=5))
    (line,) = [found for found in live.lines(exercise, timezone.now())[0] if found.attempt == amani.pk]
    row = Attempt.objects.select_related("space").get(pk=amani.pk)
    assert line.clock == row.space.clock and line.clock.microsecond == row.space.clock.microsecond
    assert line.writing_ends_at == row.space.writing_ends_at and line.started_at == row.started_at
    assert line.clock.utcoffset() == dt.timedelta(0)
    kept = Progress.objects.get(space=space)
    assert kept.last_action_at is not None and (line.met, line.last_action, line.last_action_at) == (
        kept.met, kept.last_action, kept.last_action_at)


def test_a_viewer_s_last_versions_are_remembered_and_older_ones_redraw(client: Client,
                                                                      cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    versions = [version(client.get(board_url(exercise)).content.decode())]
    amani = attempt_of(exercise, cast.trainee)
    for _ in range(live._VERSIONS):
        advance(Space.objects.get(pk=amani.space_id), by=dt.timedelta(hours=1))
        answer = client.get(board_url(exercise), {"v": versions[-1]})
        assert "HX-Retarget" not in answer  # the version just shown: only the row
        versions.append(version(answer.content.decode()))
    oldest = client.get(board_url(exercise), {"v": versions[0]})
    assert oldest["HX-Retarget"] == "#board"  # forgotten: the whole board
    recent = client.get(board_url(exercise), {"v": versions[-2]})
    assert "HX-Retarget" not in recent and recent.content.decode().count("<tr id=") == 1


def test_a_reset_space_shows_its_reset_progress(client: Client, cast: Cast,
                                               django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """After a reset the space's counters are those of its seeding again: the row shows the
    progress as reset, not a row kept from before (its stamp has the progress's time)."""
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    amani = attempt_of(exercise, cast.trainee)
    shown = version(client.get(board_url(exercise)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        play_solution(amani.space)  # type: ignore[arg-type]
    page = client.get(board_url(exercise), {"v": shown}).content.decode()
    assert "2 / 2" in page
    shown = version(page)
    with django_capture_on_commit_callbacks(execute=True):
        reset_attempts(by=cast.trainer, exercise=exercise, attempt=amani)
    page = client.get(board_url(exercise), {"v": shown}).content.decode()
    assert f'id="board-row-{amani.enrolment_id}"' in page and "0 / 2" in page and "2 / 2" not in page


def test_a_new_attempt_after_a_reset_replaces_the_trainees_row(client: Client, cast: Cast) -> None:
    """Resetting a submitted attempt starts a new one: the trainee's row changes in place
    (its id is the trainee's), the rest of the board stays."""
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    amani = attempt_of(exercise, cast.trainee)
    play_solution(amani.space)  # type: ignore[arg-type]
    attempt_submit(user=cast.trainee, attempt=amani)
    shown = version(client.get(board_url(exercise)).content.decode())
    reset_attempts(by=cast.trainer, exercise=exercise, attempt=amani)
    again = attempt_of(exercise, cast.trainee)
    assert again.pk != amani.pk and again.number == 2
    answer = client.get(board_url(exercise), {"v": shown})
    page = answer.content.decode()
    assert "HX-Retarget" not in answer and page.count("<tr id=") == 1
    assert f'<tr id="board-row-{amani.enrolment_id}" hx-swap-oob="true"' in page
    assert 'data-attempt="2"' in page and 'data-status="in_progress"' in page


def test_spaces_start_with_their_progress_and_the_first_poll_scores_nothing(
        client: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    for attempt in exercise.attempts.select_related("space"):
        kept = Progress.objects.get(space=attempt.space)
        assert kept.holds_for(attempt.space) and kept.met == 0 and kept.total == 2
    client.force_login(cast.trainer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(board_url(exercise)).status_code == 200
    assert not any("cases_event" in q["sql"] or "simulation_spaceseed" in q["sql"]
                   for q in queries.captured_queries)


def test_the_progress_is_kept_when_the_space_moves_and_the_poll_only_reads(
        client: Client, cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    exercise = start(cast.trainer, cast.workshop)
    space = attempt_of(exercise, cast.trainee).space
    assert space is not None
    with django_capture_on_commit_callbacks(execute=True):
        play_solution(space)
    kept = Progress.objects.get(space=space)
    assert kept.holds_for(Space.objects.get(pk=space.pk)) and kept.met == kept.total == 2
    with django_capture_on_commit_callbacks(execute=True):
        advance(Space.objects.get(pk=space.pk), by=dt.timedelta(hours=2))
    assert Progress.objects.get(space=space).holds_for(Space.objects.get(pk=space.pk))
    # The other trainee's space was never kept: the first poll scores it; the next reads.
    client.force_login(cast.trainer)
    client.get(board_url(exercise))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(board_url(exercise)).content.decode()
    assert not any("cases_event" in q["sql"] or "simulation_spaceseed" in q["sql"]
                   for q in queries.captured_queries)
    amani = page[page.index('data-trainee="amani"'):page.index('data-trainee="zanele"')]
    assert "2 / 2" in amani


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_each_viewer_gets_rows_with_their_own_form_token(cast: Cast, drawn: list[str]) -> None:
    exercise = start(cast.trainer, cast.workshop)
    trainer = Client(enforce_csrf_checks=True)
    trainer.force_login(cast.trainer)
    administrator = Client(enforce_csrf_checks=True)
    administrator.force_login(cast.administrator)
    shown = version(trainer.get(board_url(exercise)).content.decode())
    del drawn[:]
    page = administrator.get(board_url(exercise)).content.decode()
    assert len(drawn) == 2  # not the trainer's rows
    clock = reverse("workshops:clock", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    mine = attempt_of(exercise, cast.trainee)
    response = administrator.post(clock, {"attempt": mine.pk, "by": "1h",
                                          "csrfmiddlewaretoken": _token(page)})
    assert response.status_code == 302
    # The trainer's next poll: Amani's row alone (the clock moved), with the trainer's token.
    del drawn[:]
    page = trainer.get(board_url(exercise), {"v": shown}).content.decode()
    assert drawn == ["amani"]
    response = trainer.post(clock, {"attempt": mine.pk, "by": "1h",
                                    "csrfmiddlewaretoken": _token(page)})
    assert response.status_code == 302


def test_each_language_has_its_rows(client: Client, cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    english = client.get(board_url(exercise)).content.decode()
    french = client.get(board_url(exercise), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "No action yet" in english and "No action yet" not in french
    assert "Aucune action" in french


def test_the_board_is_sent_compressed_to_a_browser_that_accepts_it(client: Client, cast: Cast) -> None:
    """A trainer on a slow connection: the board's HTML (about 2 KB a row) compressed."""
    import gzip

    exercise = start(cast.trainer, cast.workshop)
    client.force_login(cast.trainer)
    plain = client.get(board_url(exercise))
    packed = client.get(board_url(exercise), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert page.count("<tr id=") == 2 and len(packed.content) < len(plain.content)
    exercise_page = reverse("workshops:exercise", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    assert client.get(exercise_page, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
