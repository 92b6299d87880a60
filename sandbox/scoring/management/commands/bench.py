"""`manage.py bench`: the sandbox's own speed on this machine (`make bench`).

Measures, on the database it is given (make bench uses a fresh SQLite file):
- reset of a space seeded from a scenario with 1 focal and 30 background cases
  (median of N), and the naive baseline: `flush` + `loaddata` of a dump of the
  same database, measured in the same run;
- reset of a space with 200 background cases;
- seeding 40 spaces for one exercise;
- scoring 10,000 events;
- the go-live review of a Primero configuration with 80 lookups and 40 form sections:
  import, validation, and the scenario library on it (`primero_import_golive_s`);
- a trainer's workshop page (the first load reads the scenario library, the next ones
  do not) and importing 100 trainees (each new account's password hashed);
- the live board of an exercise of 200 trainees, as the server answers a poll (page and
  API, through Django's test client: no network): the first poll, that scores every
  space, then polls where nothing moved (204), and polls after 20 spaces moved (the
  answer holds those 20 rows).
The last line printed is one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sandbox.scoring.engine import Attempt, EventView, score
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import find_scenario, read_scenario
from sandbox.simulation.services import reset_space
from sandbox.simulation.world import clone_space, clone_spaces, seed_space

SCENARIO = "uasc-market-separation"


def _median_ms(runs: list[float]) -> float:
    return round(statistics.median(runs) * 1000, 2)


class Command(BaseCommand):
    help = "Benchmark resets, seeding and scoring; prints one JSON object as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=15, help="runs per median")
        parser.add_argument("--spaces", type=int, default=40, help="spaces seeded for one exercise")
        parser.add_argument("--baseline-repeat", type=int, default=5)
        parser.add_argument("--board-trainees", type=int, default=200,
                            help="trainees of the exercise whose live board is polled")

    def handle(self, *args: Any, **options: Any) -> None:
        path = find_scenario(SCENARIO)
        scenario = read_scenario(path).scenario
        assert scenario is not None and scenario.world.background is not None
        repeat = options["repeat"]
        results: dict[str, Any] = {"scenario": scenario.id,
                                   "background_cases": scenario.world.background.count}

        space = seed_space(scenario, path, slug="bench-30")
        results["rows_30"] = _rows(space)
        results["reset_space_ms_median"] = _median_ms(_time(lambda: reset_space(space), repeat))

        big = scenario.model_copy(deep=True)
        assert big.world.background is not None
        big.world.background.count = 200
        big_space = seed_space(big, path, slug="bench-200")
        results["rows_200"] = _rows(big_space)
        results["reset_space_200_ms_median"] = _median_ms(
            _time(lambda: reset_space(big_space), repeat))
        SpaceSeed.objects.filter(space=big_space).delete()
        from sandbox.simulation import snapshot

        snapshot.purge(big_space)
        big_space.delete()

        # The naive baseline: dump the database holding the same space, then flush + loaddata.
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "baseline.json"
            call_command("dumpdata", "--natural-foreign", "--exclude", "contenttypes",
                         "--exclude", "auth.permission", "--exclude", "admin.logentry",
                         "--exclude", "sessions", output=str(fixture), verbosity=0)
            baseline = _time(lambda: (call_command("flush", "--noinput", verbosity=0),
                                      call_command("loaddata", str(fixture), verbosity=0)),
                             options["baseline_repeat"])
        results["baseline_flush_loaddata_ms_median"] = _median_ms(baseline)
        results["reset_speedup"] = round(results["baseline_flush_loaddata_ms_median"]
                                         / max(results["reset_space_ms_median"], 0.001), 1)

        # As starting an exercise does it: the first space seeded, the others copied
        # together; then the same for a cohort of 200.
        started = time.perf_counter()
        template = seed_space(scenario, path, slug="bench-ws-00")
        clone_spaces(template, [{"slug": f"bench-ws-{i:02d}"} for i in range(1, options["spaces"])])
        results["seed_workshop_40_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        template = seed_space(scenario, path, slug="bench-big-000")
        clone_spaces(template, [{"slug": f"bench-big-{i:03d}"} for i in range(1, 200)])
        results["seed_workshop_200_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        for i in range(1, 11):
            clone_space(template, slug=f"bench-one-{i:02d}")
        results["clone_one_space_ms_mean"] = round((time.perf_counter() - started) * 100, 1)
        started = time.perf_counter()
        for i in range(5):
            seed_space(scenario, path, slug=f"bench-seed-{i}")
        results["seed_one_space_by_services_s"] = round((time.perf_counter() - started) / 5, 3)
        results["spaces_seeded"] = options["spaces"]

        attempt = _synthetic_attempt(scenario, 10_000)
        results["score_10k_events_ms"] = _median_ms(_time(lambda: score(scenario, attempt), repeat))
        results.update(_sign_in())
        results.update(_duplicate_search(default_config_space=space))
        results.update(_primero_review())
        results.update(_workshops())
        results.update(_board(options["board_trainees"]))
        self.stdout.write(json.dumps(results))


def _rows(space: Any) -> int:
    from sandbox.simulation.snapshot import TABLES

    return sum(model.objects.filter(space=space).count() for model in TABLES)


def _time(func: Any, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        runs.append(time.perf_counter() - started)
    return runs


def _synthetic_attempt(scenario: Any, n: int) -> Attempt:
    """n events cycling through the scenario's actions on its focal case and others."""
    actions = ["case.search", "case.register", "consent.record", "assessment.complete",
               "referral.create", "followup.record", "case.update", "note.add"]
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    events = [
        EventView(sequence=i + 1, action=actions[i % len(actions)],
                  sim_time=start + dt.timedelta(minutes=i), case="amina" if i % 3 == 0 else f"c{i % 50}",
                  actor="caseworker", changes={"data.risk_level": [None, "high"]} if i % 7 == 0 else {},
                  details={"service_type": "family_tracing"} if i % 8 == 4 else {})
        for i in range(n)
    ]
    return Attempt(events=events, final={"amina": {"status": "open"}}, start=start)


def _primero_review() -> dict[str, Any]:
    """Import + validate + go-live report of a large synthetic Primero seed tree."""
    from sandbox.configuration.bundle.validate import validate_bundle
    from sandbox.configuration.importers.primero import import_primero
    from sandbox.configuration.importers.primero.synthetic import write_synthetic_seed
    from sandbox.scoring.golive import golive_report

    with tempfile.TemporaryDirectory() as tmp:
        source = write_synthetic_seed(Path(tmp) / "source")
        started = time.perf_counter()
        imported = import_primero(source, Path(tmp) / "bundle" / "synthetic")
        import_s = time.perf_counter() - started
        parsed = validate_bundle(imported.bundle_dir)
        validate_s = time.perf_counter() - started - import_s
        report = golive_report(directory=imported.bundle_dir)
        total = time.perf_counter() - started
    summary = imported.report.summary
    return {
        "primero_import_golive_s": round(total, 2),
        "primero_import_s": round(import_s, 3),
        "primero_validate_s": round(validate_s, 3),
        "primero_lookups": summary.get("lookups"), "primero_form_sections": summary.get("form_sections"),
        "primero_errors": len(parsed.errors()),
        "primero_golive_scenarios_ok": f"{report['summary']['scenarios_ok']}/{report['summary']['scenarios']}"
        if report.get("summary") else "0/0",
    }


def _sign_in() -> dict[str, Any]:
    """One sign-in's password check with the configured hasher (what a trainee waits for at
    9:00 on day one), and the PBKDF2 check it replaced, on the same password."""
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    password = "a-trainee-password-1"
    hasher = get_hasher()
    current = make_password(password)
    pbkdf2 = make_password(password, hasher="pbkdf2_sha256")
    return {
        "sign_in_hasher": hasher.algorithm,
        "sign_in_check_ms_median": _median_ms(_time(lambda: check_password(password, current), 5)),
        "sign_in_check_pbkdf2_ms_median": _median_ms(_time(lambda: check_password(password, pbkdf2), 5)),
    }


def _duplicate_search(default_config_space: Any) -> dict[str, Any]:
    """The duplicate search (names compared by sound, spelling, script and nickname) over a
    space of 10,000 cases with Faker's names in five locales; the median of 5 searches."""
    import datetime as dt

    from faker import Faker

    from sandbox.cases import services as case_services
    from sandbox.cases.models import Case
    from sandbox.spaces.models import Member

    space = default_config_space
    worker = Member.objects.filter(space=space, user__isnull=False).first() or Member.objects.filter(
        space=space).first()
    now = space.clock
    rows = []
    fakers = [Faker(locale) for locale in ("fr_FR", "en_GB", "es_MX", "ar_AA", "sw")]
    for i in range(10_000):
        fake = fakers[i % len(fakers)]
        fake.seed_instance(i)
        rows.append(Case(space=space, display_id=f"BENCH-{i:05d}", module=space.module,
                         name_first=fake.first_name(), name_last=fake.last_name(),
                         sex="female" if i % 2 else "male", age=i % 18, created_at=now,
                         updated_at=now - dt.timedelta(seconds=i)))
    Case.objects.bulk_create(rows, batch_size=2000)
    runs = _time(lambda: case_services.case_search(actor=worker, query="Maryam Kone"), 5)
    tracing = _tracing_match(space)
    Case.objects.filter(space=space, display_id__startswith="BENCH-").delete()
    return {"duplicate_search_10k_cases_ms_median": _median_ms(runs), **tracing}


def _tracing_match(space: Any) -> dict[str, Any]:
    """Matching a tracing request (names, sex, age range, place and date of separation) over
    the same 10,000 cases, as its case worker does it; the median of 5 searches."""
    import datetime as dt

    from sandbox.spaces.models import Member
    from sandbox.tracing import services as tracing_services
    from sandbox.tracing.models import TracingRequest

    worker = Member.objects.filter(space=space, role="caseworker").first()
    if worker is None:
        return {}
    now = space.clock
    request = TracingRequest.objects.create(
        space=space, display_id="TR-BENCH", owner=worker, agency=worker.agency,
        inquirer_name="Bench", inquirer_relationship="Aunt", name_first="Maryam", name_last="Kone",
        sex="female", age_from=9, age_to=12, separation_date=dt.date(2026, 2, 20),
        created_at=now, updated_at=now)
    runs = _time(lambda: tracing_services.match_search(actor=worker, request=request), 5)
    request.delete()
    return {"tracing_match_10k_cases_ms_median": _median_ms(runs)}


def _workshops() -> dict[str, Any]:
    """The workshop page, cold and warm, and importing 100 trainees from a CSV file."""
    # The command sits at the top of the stack: it may reach the workshops layer.
    from django.test import Client
    from django.urls import reverse

    from sandbox.accounts.models import TERMS_VERSION, TermsAcceptance, User
    from sandbox.workshops import services as ws

    trainer = User.objects.create_user("bench-trainer", kind=User.Kind.TRAINER)
    TermsAcceptance.objects.create(user=trainer, version=TERMS_VERSION)
    day = dt.date(2026, 3, 2)
    workshop = ws.workshop_create(trainer=trainer, title="Bench workshop", starts_on=day, ends_on=day)
    text = "name,email,organisation,language\n" + "".join(
        f"Trainee {i},bench{i}@example.org,DSW,en\n" for i in range(100))
    started = time.perf_counter()
    ws.trainees_import(by=trainer, workshop=workshop, text=text)
    imported = time.perf_counter() - started
    client = Client(HTTP_HOST="localhost")
    client.force_login(trainer)
    url = reverse("workshops:detail", kwargs={"pk": workshop.pk})
    ws._summaries.clear()
    cold = _time(lambda: client.get(url), 1)
    warm = _time(lambda: client.get(url), 10)
    assert client.get(url).status_code == 200
    return {"import_100_trainees_s": round(imported, 2),
            "workshop_page_first_ms": _median_ms(cold),
            "workshop_page_ms_median": _median_ms(warm)}


def _board(trainees: int) -> dict[str, Any]:
    """A poll of the live board (page and API) for an exercise of `trainees` trainees."""
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django.urls import reverse

    from sandbox.accounts.models import TERMS_VERSION, TermsAcceptance, User
    from sandbox.simulation.engine import advance
    from sandbox.simulation.services import play_solution
    from sandbox.workshops import services as ws
    from sandbox.workshops.models import Attempt, Enrolment

    trainer = User.objects.create_user("bench-board-trainer", kind=User.Kind.TRAINER)
    TermsAcceptance.objects.create(user=trainer, version=TERMS_VERSION)
    day = dt.date(2026, 3, 2)
    workshop = ws.workshop_create(trainer=trainer, title="Bench board", starts_on=day, ends_on=day)
    encoded = make_password(None)  # nobody signs in: no hash to compute
    users = User.objects.bulk_create([
        User(username=f"bench-board-{i:03d}", first_name="Trainee", last_name=f"{i:03d}",
             kind=User.Kind.TRAINEE, password=encoded) for i in range(trainees)])
    Enrolment.objects.bulk_create([Enrolment(workshop=workshop, user=u, organisation="DSW")
                                   for u in users])
    exercise = ws.exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO)
    ws.exercise_start(by=trainer, exercise=exercise)
    spaces = [a.space for a in Attempt.objects.filter(exercise=exercise).select_related("space")
              .order_by("pk")]
    for space in spaces[:20]:  # some trainees are on their way
        play_solution(space, upto=6)
    client = Client(HTTP_HOST="localhost")
    client.force_login(trainer)
    kwargs = {"pk": workshop.pk, "ex": exercise.pk}
    page, api = reverse("workshops:board", kwargs=kwargs), f"/api/v1/workshops/{workshop.pk}" \
        f"/exercises/{exercise.pk}/board/"
    first = _time(lambda: client.get(page), 1)
    steady = _time(lambda: client.get(page), 10)
    # As the page polls: with the version it shows; nothing moved, so 204 No Content.
    shown = re.search(r'\?v=([0-9a-f]+)"', client.get(page).content.decode())
    assert shown is not None and client.get(page, {"v": shown.group(1)}).status_code == 204
    unchanged = _time(lambda: client.get(page, {"v": shown.group(1)}), 10)
    steady_api = _time(lambda: client.get(api), 10)
    moved, shown_now = [], shown.group(1)
    for _ in range(5):
        for space in spaces[20:40]:  # 20 spaces moved since the last poll: their clocks
            space.refresh_from_db()
            advance(space, by=dt.timedelta(hours=1))
        # As the page polls: with its version; the answer holds the 20 rows that changed.
        started = time.perf_counter()
        answer = client.get(page, {"v": shown_now}).content.decode()
        moved.append(time.perf_counter() - started)
        found = re.search(r'\?v=([0-9a-f]+)"', answer)
        assert found is not None and answer.count("<tr id=") == 20
        shown_now = found.group(1)
    # What an action now costs the board: its space scored again once it commits.
    from sandbox.scoring.progress import refresh
    from sandbox.spaces.models import Space

    on_its_way = Space.objects.get(pk=spaces[0].pk)
    keep = _time(lambda: refresh([on_its_way]), 10)
    response = client.get(api)
    assert response.status_code == 200 and len(response.json()) == trainees
    return {"board_trainees": trainees,
            "board_poll_first_ms": _median_ms(first),
            "board_poll_ms_median": _median_ms(steady),
            "board_poll_unchanged_204_ms_median": _median_ms(unchanged),
            "board_poll_api_ms_median": _median_ms(steady_api),
            "board_poll_20_moved_ms_median": _median_ms(moved),
            "board_progress_kept_per_action_ms_median": _median_ms(keep)}
