"""The rules of workshops: enrolling, pairing, starting, resetting, submitting, exporting."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sandbox.accounts.models import User
from sandbox.cases.models import Case, Event
from sandbox.common.errors import Conflict, NotAllowed, ValidationFailed
from sandbox.scoring.models import Report
from sandbox.simulation.models import Message, SpaceSeed
from sandbox.simulation.scenario.load import find_scenario, read_scenario
from sandbox.simulation.services import play_solution
from sandbox.spaces.models import Member, Space
from sandbox.workshops import exports, selectors, services
from sandbox.workshops.models import Attempt, Enrolment, Exercise, Pair

from .conftest import PASSWORD, Cast, attempt_of, enrol, make_user, make_workshop, start

pytestmark = pytest.mark.django_db

HEADER = "name,email,organisation,language\n"


# -- workshops ----------------------------------------------------------------------------


def test_only_trainers_create_workshops(trainer: User, trainee: User) -> None:
    with pytest.raises(NotAllowed):
        make_workshop(trainee)
    workshop = make_workshop(trainer)
    assert workshop.trainer == trainer and len(workshop.join_code) == 8


def test_a_workshop_cannot_end_before_it_starts(trainer: User) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.workshop_create(trainer=trainer, title="T", starts_on=dt.date(2026, 3, 6),
                                 ends_on=dt.date(2026, 3, 2))
    assert "ends_on" in caught.value.details["fields"]


# -- importing trainees -------------------------------------------------------------------


def test_import_adds_every_trainee_with_a_new_account(cast: Cast) -> None:
    text = HEADER + ("Grace Mensah,grace@example.org,DSW,en\n"
                     "Claire Dubois,claire@example.org,Crescent,fr\n"
                     "Layla Haddad,layla@example.org,UNICEF,\n")
    added = services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text)
    assert [n.user.email for n in added] == ["grace@example.org", "claire@example.org",
                                             "layla@example.org"]
    for new in added:
        assert new.password and new.user.check_password(new.password)
        assert new.user.kind == User.Kind.TRAINEE
        assert Enrolment.objects.filter(workshop=cast.workshop, user=new.user).exists()
    claire = added[1].user
    assert (claire.first_name, claire.last_name, claire.language) == ("Claire", "Dubois", "fr")
    assert Enrolment.objects.get(workshop=cast.workshop, user=claire).organisation == "Crescent"
    assert added[2].user.language == cast.workshop.language  # no language: the workshop's
    assert cast.workshop.enrolments.count() == 2 + 3


def test_import_enrols_existing_accounts_without_a_new_password(cast: Cast) -> None:
    cast.other_trainee.email = "bilal@example.org"
    cast.other_trainee.save()
    text = HEADER + "Bilal Haddad,BILAL@example.org,DSW,en\n"
    # Someone else's trainee: refused at its line, nobody added.
    with pytest.raises(ValidationFailed) as refused:
        services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text)
    assert refused.value.details["lines"] == [
        "trainees.csv:2: e-mail bilal@example.org: an account already uses this address; ask this "
        "trainee to join the workshop with its code"]
    enrol(make_workshop(cast.trainer, "Earlier"), cast.other_trainee)  # now one of theirs
    [new] = services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text)
    assert new.user == cast.other_trainee and new.password is None
    assert User.objects.filter(email__iexact="bilal@example.org").count() == 1


BAD_FILES = {
    "missing column": ("name,organisation\nGrace,DSW\n", ["people.csv:1: missing column(s): email"]),
    "unknown column": ("name,email,phone\nGrace,g@example.org,123\n",
                       ["people.csv:1: unknown column(s): phone"]),
    "too few cells": (HEADER + "Grace Mensah,grace@example.org\n",
                      ["people.csv:2: expected 4 columns, found 2"]),
    "bad e-mail": (HEADER + "Grace Mensah,grace-at-example,DSW,en\n", ["people.csv:2: email:"]),
    "no name": (HEADER + ",grace@example.org,DSW,en\n", ["people.csv:2: name:"]),
    "bad language": (HEADER + "Grace Mensah,grace@example.org,DSW,de\n", ["people.csv:2: language:"]),
    "duplicate e-mail": (HEADER + "Grace Mensah,grace@example.org,DSW,en\n"
                         "Grace M.,GRACE@example.org,DSW,en\n",
                         ["people.csv:3: e-mail grace@example.org already on line 2"]),
    "empty file": ("", ["people.csv:1: missing column(s): name, email"]),
    "no trainees": (HEADER, ["people.csv:1: no trainees in the file"]),
    "several problems": (HEADER + "Grace Mensah,grace@example.org,DSW,en\n"
                         "Bad Mail,nope,DSW,en\n"
                         "Claire Dubois,claire@example.org,DSW,en\n"
                         ",,DSW,xx\n",
                         ["people.csv:3: email:", "people.csv:5: name:", "people.csv:5: email:",
                          "people.csv:5: language:"]),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_import_reports_every_bad_row_and_adds_nobody(cast: Cast, case: str) -> None:
    text, expected = BAD_FILES[case]
    users_before = User.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text,
                                 filename="people.csv")
    lines = caught.value.details["lines"]
    assert len(lines) == len(expected), lines
    for line, start_of_line in zip(lines, expected, strict=True):
        assert line.startswith(start_of_line), (line, start_of_line)
    assert User.objects.count() == users_before
    assert cast.workshop.enrolments.count() == 2


def test_only_the_workshops_trainer_imports(cast: Cast) -> None:
    with pytest.raises(NotAllowed):
        services.trainees_import(by=cast.other_trainer, workshop=cast.workshop,
                                 text=HEADER + "Grace Mensah,grace@example.org,DSW,en\n")
    # An administrator may.
    services.trainees_import(by=cast.administrator, workshop=cast.workshop,
                             text=HEADER + "Grace Mensah,grace@example.org,DSW,en\n")


def test_adding_one_trainee_checks_the_details(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.trainee_add(by=cast.trainer, workshop=cast.workshop, name="", email="nope")
    assert set(caught.value.details["fields"]) == {"name", "email"}
    new = services.trainee_add(by=cast.trainer, workshop=cast.workshop, name="Grace Mensah",
                               email="grace@example.org", organisation="DSW")
    assert new.password and new.user.username == "grace"
    again = services.trainee_add(by=cast.trainer, workshop=cast.workshop, name="Grace Mensah",
                                 email="Grace@Example.org")
    assert again.user == new.user and again.password is None
    assert cast.workshop.enrolments.filter(user=new.user).count() == 1


# -- joining with the code ----------------------------------------------------------------


def test_join_with_the_code(cast: Cast) -> None:
    code = f"  {cast.workshop.join_code.lower()} "
    enrolment = services.join_with_code(user=cast.other_trainee, code=code)
    assert enrolment.workshop == cast.workshop
    assert services.join_with_code(user=cast.other_trainee, code=code) == enrolment


def test_no_joining_with_an_unknown_or_closed_code(cast: Cast) -> None:
    with pytest.raises(ValidationFailed):
        services.join_with_code(user=cast.other_trainee, code="NOPE2345")
    cast.workshop.joining_open = False
    cast.workshop.save()
    with pytest.raises(ValidationFailed):
        services.join_with_code(user=cast.other_trainee, code=cast.workshop.join_code)
    assert not cast.workshop.enrolments.filter(user=cast.other_trainee).exists()


# -- pairs --------------------------------------------------------------------------------


def _enrolments(cast: Cast) -> tuple[Enrolment, Enrolment]:
    return (Enrolment.objects.get(workshop=cast.workshop, user=cast.trainee),
            Enrolment.objects.get(workshop=cast.workshop, user=cast.classmate))


def test_pairs_rules(cast: Cast) -> None:
    amani, zanele = _enrolments(cast)
    outsider = Enrolment.objects.get(workshop=cast.other_workshop)
    with pytest.raises(ValidationFailed):
        services.pair_create(by=cast.trainer, workshop=cast.workshop, first=amani, second=amani)
    with pytest.raises(ValidationFailed):
        services.pair_create(by=cast.trainer, workshop=cast.workshop, first=amani, second=outsider)
    with pytest.raises(NotAllowed):
        services.pair_create(by=cast.other_trainer, workshop=cast.workshop, first=amani,
                             second=zanele)
    pair = services.pair_create(by=cast.trainer, workshop=cast.workshop, first=amani, second=zanele)
    third = enrol(cast.workshop, make_user("yusuf", name="Yusuf Diallo"))
    with pytest.raises(ValidationFailed):
        services.pair_create(by=cast.trainer, workshop=cast.workshop, first=third, second=zanele)
    assert list(Pair.objects.filter(workshop=cast.workshop)) == [pair]


# -- starting -----------------------------------------------------------------------------


def _focal_names(space: Space) -> list[str]:
    seed = SpaceSeed.objects.get(space=space)
    cases = Case.objects.filter(pk__in=list(seed.cases.values())).order_by("pk")
    return [f"{c.data.get('name_first', '')} {c.data.get('name_last', '')}" for c in cases]


def test_start_seeds_one_space_per_trainee_with_the_same_world(cast: Cast) -> None:
    enrol(cast.workshop, make_user("yusuf", name="Yusuf Diallo"))
    exercise = start(cast.trainer, cast.workshop)
    assert exercise.status == Exercise.Status.RUNNING and exercise.started_at
    attempts = list(exercise.attempts.select_related("space", "enrolment__user"))
    assert len(attempts) == 3 and len({a.space_id for a in attempts}) == 3
    for attempt in attempts:
        member = Member.objects.get(space=attempt.space, user=attempt.enrolment.user)
        assert member.ref == "caseworker" and member.role == "caseworker"
        assert attempt.number == 1 and attempt.status == Attempt.Status.IN_PROGRESS
    names = [_focal_names(a.space) for a in attempts]  # type: ignore[arg-type]
    assert names[0] and names[0] == names[1] == names[2]
    background = [sorted(Case.objects.filter(space=a.space).values_list("data__name_first", flat=True))
                  for a in attempts]
    assert background[0] == background[1] == background[2]


def test_start_only_once_and_only_with_trainees(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    with pytest.raises(ValidationFailed):
        services.exercise_start(by=cast.trainer, exercise=exercise)
    empty = make_workshop(cast.trainer, "Nobody yet")
    draft = services.exercise_create(by=cast.trainer, workshop=empty, scenario_id="mini")
    with pytest.raises(ValidationFailed):
        services.exercise_start(by=cast.trainer, exercise=draft)
    with pytest.raises(NotAllowed):
        services.exercise_start(by=cast.other_trainer, exercise=draft)


def test_start_in_pairs_binds_both_trainees_to_their_roles(cast: Cast) -> None:
    amani, zanele = _enrolments(cast)
    draft = services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="duo",
                                     mode=Exercise.Mode.PAIRS)
    with pytest.raises(ValidationFailed):
        services.exercise_start(by=cast.trainer, exercise=draft)  # no pair yet
    services.pair_create(by=cast.trainer, workshop=cast.workshop, first=amani, second=zanele)
    assert services.exercise_start(by=cast.trainer, exercise=draft) == 1
    attempts = list(draft.attempts.all())
    assert len(attempts) == 2 and attempts[0].space_id == attempts[1].space_id
    roles = dict(Member.objects.filter(space_id=attempts[0].space_id, user__isnull=False)
                 .values_list("user__username", "ref"))
    assert roles == {"amani": "caseworker", "zanele": "supervisor"}


def test_pairs_on_a_one_trainee_scenario_leave_nobody_out(cast: Cast) -> None:
    amani, zanele = _enrolments(cast)
    services.pair_create(by=cast.trainer, workshop=cast.workshop, first=amani, second=zanele)
    draft = services.exercise_create(by=cast.trainer, workshop=cast.workshop, scenario_id="mini",
                                     mode=Exercise.Mode.PAIRS)
    try:
        services.exercise_start(by=cast.trainer, exercise=draft)
    except ValidationFailed:
        return  # refusing to start would be a fine answer too
    for attempt in draft.attempts.all():
        assert Member.objects.filter(space=attempt.space, user=attempt.enrolment.user).exists()


# -- running: messages, clocks, resets ----------------------------------------------------


def test_messages_to_all_or_to_one(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    spaces = [a.space_id for a in exercise.attempts.all()]
    before = Message.objects.filter(space_id__in=spaces).count()
    assert services.send_message(by=cast.trainer, exercise=exercise, text="Call the aunt.") == 2
    mine = attempt_of(exercise, cast.trainee)
    assert services.send_message(by=cast.trainer, exercise=exercise, text="Hint.", attempt=mine) == 1
    assert Message.objects.filter(space_id__in=spaces).count() == before + 3
    assert Message.objects.filter(space=mine.space, inject_ref="trainer").count() == 2
    with pytest.raises(ValidationFailed):
        services.send_message(by=cast.trainer, exercise=exercise, text="  ")


def test_clocks_of_all_or_one(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine, theirs = attempt_of(exercise, cast.trainee), attempt_of(exercise, cast.classmate)
    start_clock = mine.space.clock  # type: ignore[union-attr]
    services.advance_clocks(by=cast.trainer, exercise=exercise, delta=dt.timedelta(hours=1))
    services.advance_clocks(by=cast.trainer, exercise=exercise, delta=dt.timedelta(days=1),
                            attempt=mine)
    mine.space.refresh_from_db()  # type: ignore[union-attr]
    theirs.space.refresh_from_db()  # type: ignore[union-attr]
    assert mine.space.clock == start_clock + dt.timedelta(hours=25)  # type: ignore[union-attr]
    assert theirs.space.clock == start_clock + dt.timedelta(hours=1)  # type: ignore[union-attr]


def _events(attempt: Attempt) -> int:
    return Event.objects.filter(space=attempt.space).count()


def test_reset_one_then_all(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine, theirs = attempt_of(exercise, cast.trainee), attempt_of(exercise, cast.classmate)
    seeded = _events(mine)
    play_solution(mine.space)  # type: ignore[arg-type]
    play_solution(theirs.space)  # type: ignore[arg-type]
    assert _events(mine) > seeded and _events(theirs) > seeded
    assert services.reset_attempts(by=cast.trainer, exercise=exercise, attempt=mine) == 1
    assert _events(mine) == seeded and _events(theirs) > seeded
    assert attempt_of(exercise, cast.trainee).number == 1  # in progress: starts over, same attempt
    assert services.reset_attempts(by=cast.trainer, exercise=exercise) == 2
    assert _events(theirs) == seeded
    with pytest.raises(NotAllowed):
        services.reset_attempts(by=cast.other_trainer, exercise=exercise)


# -- submitting, retrying, closing --------------------------------------------------------


def test_submit_keeps_the_report_and_it_survives_a_reset(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        services.attempt_submit(user=cast.classmate, attempt=mine)
    submitted = services.attempt_submit(user=cast.trainee, attempt=mine)
    assert submitted.status == Attempt.Status.SUBMITTED and submitted.submitted_at
    assert submitted.report is not None and submitted.report.percent == 100
    with pytest.raises(ValidationFailed):
        services.attempt_submit(user=cast.trainee, attempt=submitted)
    services.reset_attempts(by=cast.trainer, exercise=exercise, attempt=submitted)
    kept = Attempt.objects.get(pk=submitted.pk)
    assert kept.status == Attempt.Status.SUBMITTED
    assert Report.objects.get(pk=kept.report_id).percent == 100
    new = attempt_of(exercise, cast.trainee)
    assert new.number == 2 and new.status == Attempt.Status.IN_PROGRESS and new.space == kept.space
    # The same reset again (a double click, the page not reloaded): no third attempt, no error.
    services.reset_attempts(by=cast.trainer, exercise=exercise, attempt=submitted)
    assert list(Attempt.objects.filter(exercise=exercise, enrolment=kept.enrolment)
                .values_list("number", flat=True)) == [1, 2]


def test_retry_only_when_allowed_and_every_attempt_kept(cast: Cast) -> None:
    strict = start(cast.trainer, cast.workshop)
    mine = services.attempt_submit(user=cast.trainee, attempt=attempt_of(strict, cast.trainee))
    with pytest.raises(NotAllowed):
        services.attempt_retry(user=cast.trainee, attempt=mine)

    open_ = start(cast.trainer, cast.workshop, allow_retry=True)
    first = attempt_of(open_, cast.trainee)
    with pytest.raises(ValidationFailed):
        services.attempt_retry(user=cast.trainee, attempt=first)  # not submitted yet
    first = services.attempt_submit(user=cast.trainee, attempt=first)
    with pytest.raises(NotAllowed):
        services.attempt_retry(user=cast.classmate, attempt=first)
    second = services.attempt_retry(user=cast.trainee, attempt=first)
    second = services.attempt_submit(user=cast.trainee, attempt=second)
    third = services.attempt_retry(user=cast.trainee, attempt=second)
    numbers = list(open_.attempts.filter(enrolment__user=cast.trainee)
                   .values_list("number", "status"))
    assert numbers == [(1, "submitted"), (2, "submitted"), (3, "in_progress")]
    assert third.space_id == first.space_id
    assert Report.objects.filter(pk__in=[first.report_id, second.report_id]).count() == 2


def test_close_submits_the_rest(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    mine = services.attempt_submit(user=cast.trainee, attempt=attempt_of(exercise, cast.trainee))
    assert services.exercise_close(by=cast.trainer, exercise=exercise) == 1
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.CLOSED and exercise.closed_at
    theirs = attempt_of(exercise, cast.classmate)
    assert theirs.status == Attempt.Status.SUBMITTED and theirs.report is not None
    assert Attempt.objects.get(pk=mine.pk).report_id == mine.report_id  # not scored again
    with pytest.raises(Conflict):
        services.attempt_submit(user=cast.classmate, attempt=theirs)
    with pytest.raises(ValidationFailed):
        services.reset_attempts(by=cast.trainer, exercise=exercise)


# -- the board, the results and the exports -----------------------------------------------


def _board_queries(cast: Cast, trainees: int) -> tuple[int, int]:
    workshop = make_workshop(cast.trainer, f"Board of {trainees}")
    for n in range(trainees):
        enrol(workshop, make_user(f"t{trainees}x{n}", name=f"Trainee {n}"))
    exercise = start(cast.trainer, workshop)
    attempts = list(exercise.attempts.all())
    play_solution(attempts[0].space)  # type: ignore[arg-type]
    services.attempt_submit(user=attempts[1].enrolment.user, attempt=attempts[1])
    exercise = Exercise.objects.get(pk=exercise.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.board(exercise)
    assert len(rows) == trainees
    return len(queries), rows[0].met


def test_the_board_reads_in_a_constant_number_of_queries(cast: Cast) -> None:
    few, met = _board_queries(cast, 3)
    many, _met = _board_queries(cast, 12)
    assert few == many, (few, many)
    assert met == 2


def test_board_rows_show_progress(cast: Cast) -> None:
    exercise = start(cast.trainer, cast.workshop)
    play_solution(attempt_of(exercise, cast.trainee).space)  # type: ignore[arg-type]
    rows = {r.attempt.enrolment.user.username: r for r in selectors.board(exercise)}
    assert rows["amani"].met == rows["amani"].total == 2
    assert rows["amani"].last_action and rows["amani"].last_action_at
    assert rows["zanele"].met == 0 and rows["zanele"].last_action == ""
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=30)
    assert {r.attempt.enrolment.user.username for r in selectors.board(exercise, now=later)
            if r.stuck} == {"amani", "zanele"}


def _finished(cast: Cast) -> Exercise:
    """Amani submits twice (a full then an empty attempt), Zanele once (empty)."""
    exercise = start(cast.trainer, cast.workshop, allow_retry=True)
    mine = attempt_of(exercise, cast.trainee)
    play_solution(mine.space)  # type: ignore[arg-type]
    mine = services.attempt_submit(user=cast.trainee, attempt=mine)
    again = services.attempt_retry(user=cast.trainee, attempt=mine)
    services.attempt_submit(user=cast.trainee, attempt=again)
    services.attempt_submit(user=cast.classmate, attempt=attempt_of(exercise, cast.classmate))
    return exercise


def test_results_count_the_latest_attempt_of_each_trainee(cast: Cast) -> None:
    found = selectors.results(_finished(cast))
    assert len(found.attempts) == 3
    register = next(r for r in found.rules if r["id"] == "register")
    assert (register["met"], register["total"]) == (0, 2)  # Amani's latest attempt was empty


def test_csv_has_a_row_per_submitted_attempt(cast: Cast) -> None:
    exercise = _finished(cast)
    lines = exports.results_csv(exercise).strip().splitlines()
    assert lines[0].startswith("workshop,exercise,scenario,trainee,username")
    assert len(lines) == 1 + 3
    amani = [line for line in lines if ",amani," in line]
    assert len(amani) == 2 and ",100.0," in amani[0]


def test_xapi_statements_are_complete(cast: Cast) -> None:
    every = exports.xapi_statements(_finished(cast))
    json.dumps(every)  # plain JSON
    statements = [s for s in every if s["verb"]["id"] == exports.COMPLETED]
    assert len(statements) == 3 and len(every) > 3  # one per attempt, then one per step
    for statement in statements:
        assert statement["actor"]["account"]["name"]
        assert statement["object"]["id"].endswith("/scenarios/mini")
        assert -1 <= statement["result"]["score"]["scaled"] <= 1
    assert max(s["result"]["score"]["scaled"] for s in statements) == 1


def test_a_pair_plays_the_case_worker_and_the_simulated_supervisor(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    """In pairs, on a scenario with one trainee role, the second trainee takes the
    simulated supervisor's place: the script stops answering for them."""
    settings.SCENARIOS_DIR = settings.BASE_DIR / "scenarios"
    from sandbox.cases import services as cs
    from sandbox.simulation.engine import advance
    from sandbox.simulation.services import play_solution

    amani, zanele = _enrolments(cast)
    services.pair_create(by=cast.trainer, workshop=cast.workshop, first=amani, second=zanele)
    draft = services.exercise_create(by=cast.trainer, workshop=cast.workshop,
                                     scenario_id="uasc-market-separation", mode=Exercise.Mode.PAIRS)
    services.exercise_start(by=cast.trainer, exercise=draft)
    space = draft.attempts.first().space
    supervisor = Member.objects.get(space=space, ref="supervisor")
    assert supervisor.user == zanele.user and not supervisor.is_simulated
    with pytest.raises(ValidationFailed):
        play_solution(space)  # the solution waits for a scripted supervisor who is now a person
    from sandbox.cases.models import Approval
    from sandbox.simulation.dispatch import Context, perform
    from sandbox.simulation.models import SpaceSeed
    from sandbox.simulation.world import scenario_of

    seed = SpaceSeed.objects.get(space=space)
    members = {m.ref: m for m in Member.objects.filter(space=space)}
    cases = {ref: Case.objects.get(pk=pk) for ref, pk in seed.cases.items()}
    for step in scenario_of(seed).solution[:8]:  # up to the assessment's approval request
        perform(members[step.as_ or "caseworker"], step.do or "", cases.get(step.case or ""),
                step.with_, Context(cases, members))

    pending = Approval.objects.filter(space=space, status="pending")
    assert pending.count() == 1
    advance(space, by=dt.timedelta(hours=3))
    assert pending.count() == 1  # nobody answered for the human supervisor
    cs.approval_decide(actor=supervisor, approval=pending.get(), approve=True, comment="Fine.")
    assert Approval.objects.filter(space=space, kind="assessment").latest("pk").status == "approved"


@pytest.mark.parametrize("scenario_id", ["kenya-neglect-teacher-report", "uasc-market-separation"])
def test_pairs_find_the_supervisor_of_a_portable_scenario_on_its_bundle(scenario_id: str) -> None:
    # Scenarios name roles by function ("supervisor"); the bundle's mapping names the role
    # that decides approvals (Kenya: the Sub-County Children Officer).
    scenario = read_scenario(find_scenario(scenario_id)).scenario
    roles = services.played_roles(scenario, Exercise.Mode.PAIRS)
    assert len(roles) == 2 and scenario.roles[roles[1]].played_by == "simulated"


def test_import_accepts_every_interface_language(cast: Cast) -> None:
    text = (HEADER + "Sokha Chan,sokha@example.org,DSW,km\nAmina Otieno,amina@example.org,DSW,sw\n"
            "Lucía Pérez,lucia@example.org,DSW,es\n")
    added = services.trainees_import(by=cast.trainer, workshop=cast.workshop, text=text)
    assert [new.user.language for new in added] == ["km", "sw", "es"]


def test_a_bad_language_names_the_accepted_codes(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.trainees_import(by=cast.trainer, workshop=cast.workshop, filename="people.csv",
                                 text=HEADER + "Grace Mensah,grace@example.org,DSW,de\n")
    assert caught.value.details["lines"][0].endswith("Use one of: en, fr, ar, es, sw, km.")


def test_a_workshop_in_khmer_and_its_trainees_default(cast: Cast) -> None:
    workshop = services.workshop_create(trainer=cast.trainer, title="Phnom Penh ToT", language="km",
                                        starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 6))
    newcomer = User.objects.create_user("sokha", password=PASSWORD)
    services.join_with_code(user=newcomer, code=workshop.join_code)
    newcomer.refresh_from_db()
    assert newcomer.language == "km"
    # A trainee who chose a language keeps it.
    chooser = User.objects.create_user("dara", password=PASSWORD, language="fr")
    services.join_with_code(user=chooser, code=workshop.join_code)
    chooser.refresh_from_db()
    assert chooser.language == "fr"
