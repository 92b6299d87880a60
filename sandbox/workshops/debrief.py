"""Reading an exercise for its debrief, and a whole workshop for its summary.

Both count the *latest submitted attempt* of each trainee, or of each pair (two
trainees who played in one space submit one piece of work: it counts once in an
exercise's debrief, and for both of them in the workshop's summary). Steps are
counted as `sandbox.scoring.steps` counts them, so the debrief, the results page
and the live board never disagree on what a step is.

The debrief reads its discussion questions and model answer from the scenario the
trainees' spaces were seeded from, never from the file as it is now: a scenario
edited during the week does not change what the cohort is debriefed on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from sandbox.cases.models import Event
from sandbox.scoring.models import Report
from sandbox.scoring.presentation import solution_steps
from sandbox.scoring.steps import count_steps, is_step
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import find_scenario, read_scenario
from sandbox.simulation.scenario.schema import Scenario, TranslatedText
from sandbox.simulation.world import scenario_of

from .models import Attempt, Enrolment, Exercise, Workshop

#: The end of the event names of the attempts the SOP policy refused.
REFUSED = ".refused"


def latest_submitted(exercise: Exercise) -> list[Attempt]:
    """The latest submitted attempt of each trainee or pair, in the order they started."""
    latest: dict[tuple[str, int], Attempt] = {}
    for attempt in (exercise.attempts.filter(status=Attempt.Status.SUBMITTED)
                    .exclude(report=None).select_related("report", "enrolment__user")
                    .order_by("number", "pk")):
        key = ("pair", attempt.pair_id) if attempt.pair_id else ("trainee", attempt.enrolment_id)
        latest[key] = attempt
    return sorted(latest.values(), key=lambda a: a.pk)


@dataclass
class StepFigure:
    """One step of the scenario and how many of the cohort's submitted attempts met it."""

    id: str
    title: TranslatedText
    feedback: TranslatedText
    met: int
    total: int

    @property
    def missed(self) -> int:
        return self.total - self.met

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


@dataclass
class Debrief:
    exercise: Exercise
    attempts: list[Attempt]  # the latest submitted one of each trainee or pair
    steps: list[StepFigure]  # in the scenario's order
    mistakes: list[StepFigure]  # steps missed at least once, most often missed first
    refused: list[tuple[str, int]]  # (event name, count), most frequent first
    solution: list[dict[str, Any]]  # the model answer, step by step (for people)
    discussion: list[TranslatedText]
    objectives: list[TranslatedText] = field(default_factory=list)


def _seed_of(exercise: Exercise) -> SpaceSeed | None:
    return (SpaceSeed.objects.filter(space__attempts__exercise=exercise)
            .select_related("space").defer("snapshot").order_by("pk").first())


def _step_figures(reports: list[Report], order: list[str]) -> list[StepFigure]:
    figures: dict[str, StepFigure] = {}
    for report in reports:
        for rule in report.result["rules"]:
            if not is_step(rule):
                continue
            figure = figures.get(rule["id"])
            if figure is None:
                figure = figures[rule["id"]] = StepFigure(
                    id=rule["id"], title=rule.get("title") or {},
                    feedback=rule.get("feedback") or {}, met=0, total=0)
            figure.total += 1
            figure.met += 1 if rule["passed"] else 0
    rank = {rid: i for i, rid in enumerate(order)}
    return sorted(figures.values(), key=lambda f: rank.get(f.id, len(rank)))


def refused_counts(exercise: Exercise) -> list[tuple[str, int]]:
    """Refused attempts written in the exercise's spaces by the trainees (not the seeded
    history), per kind, most frequent first."""
    space_ids = list(exercise.attempts.exclude(space=None).values_list("space_id", flat=True)
                     .distinct())
    names = (Event.objects.filter(space_id__in=space_ids, action__endswith=REFUSED,
                                  sequence__gt=F("space__seed__seeded_events"))
             .values_list("action", flat=True))
    return sorted(Counter(names).items(), key=lambda item: (-item[1], item[0]))


def _library_scenario(exercise: Exercise) -> Scenario | None:
    """The exercise's scenario as the library has it now: for an exercise not started yet,
    whose questions a trainer may want to read before the session."""
    try:
        parsed = read_scenario(find_scenario(exercise.scenario_id))
    except (OSError, ValueError):
        return None
    return parsed.scenario if not parsed.problems else None


def debrief(exercise: Exercise) -> Debrief:
    """What the trainer goes over with the cohort after an exercise."""
    attempts = latest_submitted(exercise)
    seed = _seed_of(exercise)
    scenario = scenario_of(seed) if seed is not None else _library_scenario(exercise)
    order = [rule.id for rule in scenario.expected] if scenario is not None else []
    steps = _step_figures([a.report for a in attempts if a.report is not None], order)
    mistakes = sorted((s for s in steps if s.missed), key=lambda s: (-s.missed, order.index(s.id)
                                                                     if s.id in order else 0))
    return Debrief(
        exercise=exercise, attempts=attempts, steps=steps, mistakes=mistakes,
        refused=refused_counts(exercise),
        solution=solution_steps(seed.space_id, seed.space.slug) if seed is not None else [],
        discussion=list(scenario.discussion) if scenario is not None else [],
        objectives=list(scenario.objectives) if scenario is not None else [])


# -- the workshop's summary ----------------------------------------------------------------


NOT_STARTED = "not_started"
NOT_SUBMITTED = "not_submitted"
SUBMITTED = "submitted"


@dataclass
class Cell:
    """One trainee at one exercise: the latest submitted attempt's result, or why none."""

    state: str  # NOT_STARTED, NOT_SUBMITTED or SUBMITTED (a pair's work counts for both)
    score: float | None = None
    max_score: int | None = None
    percent: float | None = None
    passed: bool | None = None
    attempt: int | None = None  # its number
    missed: list[str] = field(default_factory=list)  # ids of the steps not met
    met: int = 0
    total: int = 0


@dataclass
class ExerciseSteps:
    exercise: Exercise
    steps: list[StepFigure]  # met counted per trainee (a pair's work counts for both)


@dataclass
class TraineeRow:
    enrolment: Enrolment
    cells: list[Cell]  # one per exercise, in the summary's order

    @property
    def name(self) -> str:
        return self.enrolment.user.display_name


@dataclass
class Summary:
    workshop: Workshop
    exercises: list[ExerciseSteps]
    rows: list[TraineeRow]


#: A step of a scenario: its id, title and feedback.
StepText = tuple[str, TranslatedText, TranslatedText]


def _expected(exercise: Exercise, seeds: dict[int, SpaceSeed]) -> list[StepText]:
    """(id, title, feedback) of the steps of the scenario the exercise's spaces were seeded
    from; none for an exercise that has not started."""
    seed = seeds.get(exercise.pk)
    if seed is None:
        return []
    return [(rule.id, rule.title or {}, rule.feedback or {})
            for rule in scenario_of(seed).expected if rule.rule != "never"]


def summary(workshop: Workshop) -> Summary:
    """Every trainee of the workshop at every exercise (in the order they were set), with
    the steps of each exercise and how many trainees met each."""
    exercises = list(workshop.exercises.order_by("pk"))
    enrolments = list(workshop.enrolments.select_related("user"))
    attempts: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    for attempt in (Attempt.objects.filter(exercise__workshop=workshop)
                    .select_related("report").order_by("number", "pk")):
        attempts[(attempt.enrolment_id, attempt.exercise_id)].append(attempt)
    seeds: dict[int, SpaceSeed] = {}
    for seed in (SpaceSeed.objects.filter(space__attempts__exercise__workshop=workshop)
                 .select_related("space").defer("snapshot").order_by("pk")
                 .annotate(exercise_pk=F("space__attempts__exercise_id"))):
        seeds.setdefault(seed.exercise_pk, seed)  # type: ignore[attr-defined]

    rows = [TraineeRow(enrolment=e, cells=[]) for e in enrolments]
    columns = []
    for exercise in exercises:
        expected = _expected(exercise, seeds)
        met: Counter[str] = Counter()
        counted = 0
        for row in rows:
            cell = _cell(attempts.get((row.enrolment.pk, exercise.pk), []))
            row.cells.append(cell)
            if cell.state == SUBMITTED:
                counted += 1
                missed = set(cell.missed)
                met.update(rid for rid, _t, _f in expected if rid not in missed)
        columns.append(ExerciseSteps(exercise=exercise, steps=[
            StepFigure(id=rid, title=title, feedback=feedback, met=met[rid], total=counted)
            for rid, title, feedback in expected]))
    return Summary(workshop=workshop, exercises=columns, rows=rows)


def _cell(attempts: list[Attempt]) -> Cell:
    if not attempts:
        return Cell(state=NOT_STARTED)
    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED
                 and a.report is not None]
    if not submitted:
        return Cell(state=NOT_SUBMITTED)
    attempt = submitted[-1]
    report = attempt.report
    assert report is not None
    rules = report.result["rules"]
    steps = count_steps(rules)
    return Cell(state=SUBMITTED, score=report.score, max_score=report.max_score,
                percent=report.percent, passed=report.passed, attempt=attempt.number,
                missed=[r["id"] for r in rules if is_step(r) and not r["passed"]],
                met=steps.met, total=steps.total)
