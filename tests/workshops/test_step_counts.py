"""The trainer's board, the trainee's report and the results chart count the same steps,
on a scenario with a `never` rule (a line not to cross is not a step)."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from django.urls import reverse

from sandbox.scoring.presentation import for_people
from sandbox.simulation.services import play_solution
from sandbox.workshops import selectors, services
from tests.simulation.conftest import scenario_text

from .conftest import Cast, attempt_of, start

NEVER = ("  - {id: no-closure, rule: never, action: case.close, case: amina, penalty: 10}\n"
         "solution:\n")


def _guarded(scenarios: Path) -> None:
    text = scenario_text("guarded").replace("solution:\n", NEVER, 1)
    assert "no-closure" in text
    (scenarios / "guarded.yaml").write_text(text, encoding="utf-8")


def test_board_report_and_results_count_the_same_steps(cast: Cast, scenarios: Path) -> None:
    _guarded(scenarios)
    exercise = start(cast.trainer, cast.workshop, "guarded")
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    board = {r.attempt.enrolment.user.username: r for r in selectors.board(exercise)}
    submitted = services.attempt_submit(user=cast.trainee, attempt=mine)
    services.attempt_submit(user=cast.classmate, attempt=attempt_of(exercise, cast.classmate))
    assert submitted.report is not None
    assert len(submitted.report.result["rules"]) == 3  # two steps and the never rule
    report = for_people(submitted.report)["steps"]
    chart = selectors.results(exercise).rules
    assert (board["amani"].met, board["amani"].total) == (report.met, report.total) == (2, 2)
    assert [r["id"] for r in chart] == ["register", "consent"]
    assert (board["zanele"].met, board["zanele"].total) == (0, len(chart))


def test_the_report_page_says_how_many_steps_were_met(cast: Cast, scenarios: Path) -> None:
    _guarded(scenarios)
    exercise = start(cast.trainer, cast.workshop, "guarded")
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    submitted = services.attempt_submit(user=cast.trainee, attempt=mine)
    assert submitted.report is not None
    client = Client()
    client.force_login(cast.trainee)
    page = client.get(reverse("scoring:report", kwargs={"space": mine.space.slug,  # type: ignore[union-attr]
                                                      "pk": submitted.report.pk}))
    assert page.status_code == 200
    assert 'id="report-steps" data-met="2" data-total="2"' in page.content.decode()
