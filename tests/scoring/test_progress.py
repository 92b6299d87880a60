"""The progress kept for the live board is the scorer's, whatever happened in the space."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ruamel.yaml import YAML

from sandbox.scoring.attempts import score_space
from sandbox.scoring.progress import progress_of
from sandbox.scoring.steps import count_steps
from sandbox.simulation.engine import advance
from sandbox.simulation.models import Progress, SpaceSeed
from sandbox.simulation.services import play_solution, reset_space
from sandbox.simulation.world import clone_space, scenario_of, seed_from_file
from sandbox.spaces.models import Space

from .test_record_rules import RULES

pytestmark = pytest.mark.django_db

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


@pytest.fixture
def space(default_config, tmp_path):  # type: ignore[no-untyped-def]
    """The UASC scenario with record rules added (their tasks turn overdue with the clock)."""
    path = tmp_path / "uasc.yaml"
    shutil.copy(UASC, path)
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["expected"].extend(RULES)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return seed_from_file(path, slug="progress")


def _kept(space: Space) -> Progress:
    fresh = Space.objects.select_related("progress").get(pk=space.pk)
    return progress_of([fresh])[space.pk]


def _assert_same_as_scorer(space: Space) -> Progress:
    kept = _kept(space)
    report = score_space(Space.objects.get(pk=space.pk))
    steps = count_steps(report.rules)
    assert (kept.met, kept.total) == (steps.met, steps.total)
    assert kept.score == report.score and kept.percent == report.percent
    assert kept.rules == {r.id: r.passed for r in report.rules}
    return kept


def test_kept_progress_is_the_scorers_after_every_step_reset_and_clock_move(space: Space) -> None:
    seed = SpaceSeed.objects.get(space=space)
    steps = len(scenario_of(seed).solution)
    seen = set()
    for upto in (0, 1, steps // 2, steps):
        reset_space(space)
        # A reset brings back the progress kept at seeding: nothing met, and it holds.
        seeded = Progress.objects.get(space=space)
        assert seeded.met == 0 and seeded.holds_for(Space.objects.get(pk=space.pk))
        play_solution(space, upto=upto)
        kept = _assert_same_as_scorer(space)
        seen.add((kept.met, kept.score))
    assert len(seen) >= 3  # the steps made a difference the progress followed
    before = _kept(space)
    advance(space, by=dt.timedelta(days=60))  # the clock alone moves: tasks fall overdue
    after = _assert_same_as_scorer(space)
    assert after.clock == Space.objects.get(pk=space.pk).clock != before.clock


def test_a_space_that_did_not_move_is_read_not_scored(space: Space) -> None:
    play_solution(space, upto=3)
    _kept(space)
    fresh = Space.objects.select_related("progress").get(pk=space.pk)
    with CaptureQueriesContext(connection) as queries:
        progress_of([fresh])
    assert len(queries) == 0
    play_solution(space, upto=1)  # one more action (the first step again) moves the counter
    fresh = Space.objects.select_related("progress").get(pk=space.pk)
    with CaptureQueriesContext(connection) as queries:
        kept = progress_of([fresh])[space.pk]
    assert any("cases_event" in q["sql"] for q in queries.captured_queries)
    assert kept.event_counter == fresh.event_counter


def test_copies_of_a_space_start_without_the_originals_progress(space: Space) -> None:
    play_solution(space)
    original = _kept(space)
    copy = clone_space(space, slug="progress-copy")
    kept = _assert_same_as_scorer(copy)
    assert kept.space_id != original.space_id and kept.met <= original.met


def test_a_progress_write_that_loses_a_race_still_answers_the_board(space: Space, monkeypatch) -> None:
    """A reset or another server writing at the same moment (a lock, a deadlock) never turns
    the board's poll into an error: the computed progress is shown, and kept next time."""
    from django.db import OperationalError

    def lost(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("deadlock detected")

    Progress.objects.filter(space=space).delete()  # a space whose progress is not kept
    monkeypatch.setattr(Progress.objects, "bulk_create", lost)
    shown = progress_of([Space.objects.get(pk=space.pk)])[space.pk]
    assert shown.total > 0
    assert not Progress.objects.filter(space=space).exists()
    monkeypatch.undo()
    assert _assert_same_as_scorer(space).total == shown.total
    assert Progress.objects.filter(space=space).exists()
