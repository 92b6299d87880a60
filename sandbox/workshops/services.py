"""What trainers and trainees do with workshops: enrol, pair, assign, start, reset, submit, close."""

from __future__ import annotations

import csv
import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sandbox.accounts.models import User
from sandbox.common.errors import Conflict, NotAllowed, ValidationFailed
from sandbox.common.i18n import pick
from sandbox.common.sourcefiles import Problem
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import get_config
from sandbox.scoring.models import Report
from sandbox.scoring.services import submit as submit_report
from sandbox.simulation.engine import advance
from sandbox.simulation.models import Message, SpaceSeed
from sandbox.simulation.scenario.load import check_scenario, find_scenario, read_scenario
from sandbox.simulation.scenario.portable import resolve_scenario
from sandbox.simulation.services import reset_space
from sandbox.simulation.world import clone_space, clone_spaces, scenario_of, seed_space
from sandbox.spaces.models import Member, Space

from . import lrs
from .importing import MAX_ROWS, csv_reader, hash_passwords, too_many
from .models import Attempt, Enrolment, Exercise, Pair, Workshop
from .selectors import latest_attempts

#: Told (done, total) as a long operation goes, for the page that shows a job's progress.
OnProgress = Callable[[int, int], None]


def _nothing(_done: int, _total: int) -> None:
    return None


#: Spaces copied per round when starting an exercise, between two progress reports.
CLONE_BATCH = 20

# Every interface language can be a workshop's or a trainee's language.
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def can_manage(user: User, workshop: Workshop) -> bool:
    """The workshop's trainer, or an administrator."""
    return user.is_administrator or workshop.trainer_id == user.pk


def require_manager(user: User, workshop: Workshop) -> None:
    if not can_manage(user, workshop):
        raise NotAllowed(_("Only the workshop's trainer can do this."), code="not_trainer")


# -- workshops and trainees -------------------------------------------------------------


@transaction.atomic
def workshop_create(*, trainer: User, title: str, starts_on: dt.date, ends_on: dt.date,
                    language: str = "en", organisations: str = "") -> Workshop:
    if not (trainer.is_trainer or trainer.is_administrator):
        raise NotAllowed(_("Only trainers can create workshops."), code="not_trainer")
    if not title.strip():
        raise ValidationFailed(_("Give the workshop a title."),
                               details={"fields": {"title": [_("This field is required.")]}})
    if ends_on < starts_on:
        raise ValidationFailed(_("The last day is before the first day."),
                               details={"fields": {"ends_on": [_("Before the first day.")]}})
    if language not in LANGUAGE_CODES:
        raise ValidationFailed(_("Unknown language."), details={"fields": {"language": [_("Unknown.")]}})
    return Workshop.objects.create(trainer=trainer, title=title.strip(), starts_on=starts_on,
                                   ends_on=ends_on, language=language,
                                   organisations=organisations.strip())


@dataclass
class NewTrainee:
    user: User
    password: str | None  # set when the account was created now (shown to the trainer once)


def _username_for(email: str) -> str:
    base = email.split("@")[0].lower()
    base = "".join(ch for ch in base if ch.isalnum() or ch in "._-")[:30] or "trainee"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _may_enrol_by_address(by: User, email: str) -> bool:
    """A new address, or a trainee this trainer already trains (administrators: anyone)."""
    existing = User.objects.filter(email__iexact=email).first()
    return existing is None or by.is_administrator or Enrolment.objects.filter(
        user=existing, workshop__trainer=by).exists()


def _trainee_account(*, by: User, name: str, email: str, organisation: str,
                     language: str, password: str | None = None,
                     hashed: str | None = None) -> NewTrainee:
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not _may_enrol_by_address(by, email):
        # A trainer may enrol by address only the trainees they already train: anyone
        # else's account (and its name) is not theirs to see. That trainee joins with the code.
        raise ValidationFailed(
            _("An account already uses this e-mail address: ask this trainee to join the "
              "workshop with its code."),
            code="join_with_code", details={"fields": {"email": [
                _("Ask this trainee to join with the workshop's code.")]}})
    if existing is not None:
        # Only trainee accounts may be enrolled by address: a trainer must not be able to
        # pull in (and see the name of) an administrator's or another trainer's account.
        if existing.kind != User.Kind.TRAINEE or existing.is_staff or existing.is_superuser:
            raise ValidationFailed(
                _("An account that is not a trainee's already uses this e-mail address."),
                code="not_a_trainee", details={"fields": {"email": [
                    _("Use another address, or ask the administrator.")]}})
        return NewTrainee(existing, None)
    first, _sep, last = name.strip().partition(" ")
    if password is None or hashed is None:
        password = secrets.token_urlsafe(9)
        hashed = make_password(password)
    user = User.objects.create_user(
        _username_for(email), email=email, password=None, first_name=first, last_name=last,
        kind=User.Kind.TRAINEE, organisation=organisation, language=language)
    user.password = hashed
    user.save(update_fields=["password"])
    return NewTrainee(user, password)


@transaction.atomic
def trainee_add(*, by: User, workshop: Workshop, name: str, email: str, organisation: str = "",
                language: str = "") -> NewTrainee:
    """Add one trainee (creating their account when the e-mail address is new)."""
    require_manager(by, workshop)
    # One add at a time per workshop: a double click finds the account and the
    # enrolment the first click made, instead of making them twice.
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    errors = _trainee_errors(name, email, language)
    if errors:
        raise ValidationFailed(_("The trainee's details are not valid."), details={"fields": errors})
    new = _trainee_account(by=by, name=name, email=email.strip(), organisation=organisation.strip(),
                           language=language or workshop.language)
    Enrolment.objects.get_or_create(workshop=workshop, user=new.user,
                                    defaults={"organisation": organisation.strip()})
    return new


def _trainee_errors(name: str, email: str, language: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if language and language not in LANGUAGE_CODES:
        errors["language"] = [_("Use one of: %(codes)s.") % {
            "codes": ", ".join(code for code, _name in settings.LANGUAGES)}]
    return errors


@transaction.atomic
def trainee_password_reset(*, by: User, workshop: Workshop, enrolment: Enrolment) -> NewTrainee:
    """A new password for a trainee of the workshop (shown once to the trainer, kept
    nowhere). Only trainee accounts: never a trainer's or an administrator's."""
    require_manager(by, workshop)
    user = enrolment.user
    if enrolment.workshop_id != workshop.pk:
        raise NotAllowed(_("This trainee is not in this workshop."))
    if user.kind != User.Kind.TRAINEE or user.is_staff or user.is_superuser:
        raise NotAllowed(_("Only a trainee's password can be reset here; ask the administrator."),
                         code="not_a_trainee")
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save(update_fields=["password"])
    return NewTrainee(user, password)


CSV_COLUMNS = ("name", "email", "organisation", "language")


@transaction.atomic
def trainees_import(*, by: User, workshop: Workshop, text: str,
                    filename: str = "trainees.csv") -> list[NewTrainee]:
    """Add trainees from CSV (name, email, organisation, language). Every problem is
    reported as FILE:LINE: message, and nobody is added unless every row is valid."""
    require_manager(by, workshop)
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    rows = trainees_import_check(by=by, workshop=workshop, text=text, filename=filename)
    return _import_rows(by=by, workshop=workshop, rows=rows, on_progress=_nothing)


@transaction.atomic
def trainees_import_rows(*, by: User, workshop: Workshop, rows: list[tuple[int, dict[str, str]]],
                         filename: str = "trainees.csv",
                         on_progress: OnProgress = _nothing) -> list[NewTrainee]:
    """Add the rows of a file checked earlier (a background import): checked again, since
    accounts may have appeared meanwhile; one transaction, so that a run interrupted
    half-way adds nobody and a second run adds everyone once."""
    require_manager(by, workshop)
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    problems: list[Problem] = []
    for line, row in rows:
        email = row.get("email", "").lower()
        for field, messages in _trainee_errors(row.get("name", ""), row.get("email", ""),
                                               row.get("language", "")).items():
            problems.append(Problem(filename, line, f"{field}: {' '.join(messages)}"))
        if email and not _may_enrol_by_address(by, email):
            problems.append(Problem(filename, line, _(
                "e-mail %(email)s: an account already uses this address; ask this "
                "trainee to join the workshop with its code") % {"email": email}))
    if problems:
        raise ValidationFailed(_("The file has problems; nobody was added."),
                               details={"problems": [p.as_dict() for p in problems],
                                        "lines": [str(p) for p in problems]})
    return _import_rows(by=by, workshop=workshop, rows=rows, on_progress=on_progress)


def trainees_import_check(*, by: User, workshop: Workshop, text: str,
                          filename: str = "trainees.csv") -> list[tuple[int, dict[str, str]]]:
    """The rows of a list of trainees, each with its line, once every row is valid;
    ValidationFailed with every problem as FILE:LINE: message otherwise."""
    require_manager(by, workshop)
    problems: list[Problem] = []
    reader = csv_reader(text)
    if text.count("\n") > MAX_ROWS + 1:
        raise ValidationFailed(too_many(), code="too_many_rows",
                               details={"lines": [str(Problem(filename, MAX_ROWS + 2, too_many()))]})
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        header = []
    missing = [c for c in ("name", "email") if c not in header]
    if missing:
        problems.append(Problem(filename, 1, _("missing column(s): %(columns)s (expected: %(expected)s)")
                                % {"columns": ", ".join(missing), "expected": ", ".join(CSV_COLUMNS)}))
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        problems.append(Problem(filename, 1, _("unknown column(s): %(columns)s")
                                % {"columns": ", ".join(unknown)}))
    if not problems:
        seen: dict[str, int] = {}
        try:
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    problems.append(Problem(filename, line, _("expected %(n)d columns, found %(m)d")
                                            % {"n": len(header), "m": len(values)}))
                    continue
                row = {k: v.strip() for k, v in zip(header, values, strict=True)}
                for field, messages in _trainee_errors(row.get("name", ""), row.get("email", ""),
                                                       row.get("language", "")).items():
                    problems.append(Problem(filename, line, f"{field}: {' '.join(messages)}"))
                email = row.get("email", "").lower()
                if email in seen:
                    problems.append(Problem(filename, line, _("e-mail %(email)s already on line %(line)d")
                                            % {"email": email, "line": seen[email]}))
                seen[email] = line
                if email and not _may_enrol_by_address(by, email):
                    problems.append(Problem(filename, line, _(
                        "e-mail %(email)s: an account already uses this address; ask this "
                        "trainee to join the workshop with its code") % {"email": email}))
                rows.append((line, row))
        except csv.Error as exc:
            problems.append(Problem(filename, reader.line_num, _("CSV syntax error: %(error)s")
                                    % {"error": exc}))
    if not rows and not problems:
        problems.append(Problem(filename, 1, _("no trainees in the file")))
    if problems:
        raise ValidationFailed(_("The file has problems; nobody was added."),
                               details={"problems": [p.as_dict() for p in problems],
                                        "lines": [str(p) for p in problems]})
    return rows


def _import_rows(*, by: User, workshop: Workshop, rows: list[tuple[int, dict[str, str]]],
                 on_progress: OnProgress) -> list[NewTrainee]:
    added = []
    # New accounts' passwords are hashed together, side by side, before any row is written.
    emails = {row["email"].lower() for _line, row in rows}
    existing = {e.lower() for e in User.objects.filter(email__in=[r["email"] for _l, r in rows])
                .values_list("email", flat=True)}
    fresh = [e for e in emails if e not in existing]
    passwords = {e: secrets.token_urlsafe(9) for e in fresh}
    hashes = dict(zip(fresh, hash_passwords(passwords[e] for e in fresh), strict=True))
    on_progress(0, len(rows))
    for n, (_line, row) in enumerate(rows, start=1):
        email = row["email"].lower()
        new = _trainee_account(by=by, name=row["name"], email=row["email"],
                               organisation=row.get("organisation", ""),
                               language=row.get("language") or workshop.language,
                               password=passwords.get(email), hashed=hashes.get(email))
        Enrolment.objects.get_or_create(workshop=workshop, user=new.user,
                                        defaults={"organisation": row.get("organisation", "")})
        added.append(new)
        if n % 10 == 0 or n == len(rows):
            on_progress(n, len(rows))
    return added


@transaction.atomic
def join_with_code(*, user: User, code: str) -> Enrolment:
    """A trainee joins a workshop with the code their trainer shared."""
    workshop = Workshop.objects.filter(join_code=code.strip().upper(), joining_open=True).first()
    if workshop is None:
        raise ValidationFailed(_("No open workshop has this code. Check it with your trainer."),
                               details={"fields": {"code": [_("Unknown code.")]}})
    enrolment, _created = Enrolment.objects.get_or_create(
        workshop=workshop, user=user, defaults={"organisation": user.organisation})
    if not user.language and workshop.language in LANGUAGE_CODES:
        # The workshop's language is the default for its trainees; a choice of their own wins.
        user.language = workshop.language
        user.save(update_fields=["language"])
    for exercise in workshop.exercises.filter(status=Exercise.Status.RUNNING, late_joiners=True,
                                              mode=Exercise.Mode.INDIVIDUAL):
        give_space(by=None, exercise=exercise, enrolment=enrolment)
    return enrolment


@transaction.atomic
def pair_create(*, by: User, workshop: Workshop, first: Enrolment, second: Enrolment) -> Pair:
    require_manager(by, workshop)
    if first.workshop_id != workshop.pk or second.workshop_id != workshop.pk:
        raise ValidationFailed(_("Both trainees must be in this workshop."))
    if first.pk == second.pk:
        raise ValidationFailed(_("A pair needs two different trainees."))
    taken = Pair.objects.filter(workshop=workshop).values_list("first_id", "second_id")
    busy = {pk for row in taken for pk in row}
    if first.pk in busy or second.pk in busy:
        raise ValidationFailed(_("A trainee can be in one pair only."))
    return Pair.objects.create(workshop=workshop, first=first, second=second)


# -- exercises --------------------------------------------------------------------------


#: path -> ((mtime_ns, size), summary or None): each library file read once, again only
#: when it changes. Reading and validating the whole library took about a second per page.
_summaries: dict[str, tuple[tuple[int, int], dict[str, Any] | None]] = {}


def _summary(path: Path) -> dict[str, Any] | None:
    """A valid scenario file's id, title (every language), bundle and languages; None when
    the file does not validate."""
    try:
        stat = path.stat()
    except OSError:
        return None
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _summaries.get(str(path))
    if cached is not None and cached[0] == version:
        return cached[1]
    parsed = read_scenario(path)
    summary = None
    if parsed.scenario is not None and not parsed.problems:
        scenario = parsed.scenario
        summary = {"id": scenario.id, "title": dict(scenario.title), "bundle": scenario.config,
                   "languages": list(scenario.languages)}
    _summaries[str(path)] = (version, summary)
    return summary


def scenario_summary(scenario_id: str) -> dict[str, Any] | None:
    """One scenario of the library: id, title (every language), bundle and languages."""
    return _summary(find_scenario(scenario_id))


def scenario_catalogue() -> list[dict[str, Any]]:
    """The library's valid scenarios whose bundle is loaded: id, title, bundle, and the
    languages its texts are written in (what a trainer checks against the workshop's)."""
    from sandbox.simulation.scenario.load import library

    loaded = set(Bundle.objects.values_list("code", flat=True))
    found = []
    for path in library():
        summary = _summary(path)
        if summary is None or summary["bundle"] not in loaded:
            continue
        found.append({**summary, "title": pick(summary["title"])})
    return found


def scenario_choices(catalogue: list[dict[str, Any]] | None = None) -> list[tuple[str, str, str]]:
    """(id, title, bundle) of the library's scenarios whose bundle is loaded and that are valid;
    the title says the scenario's languages."""
    return [(s["id"], f"{s['title']} · {', '.join(s['languages'])}", s["bundle"])
            for s in (scenario_catalogue() if catalogue is None else catalogue)]


@transaction.atomic
def exercise_create(*, by: User, workshop: Workshop, scenario_id: str, mode: str = "individual",
                    time_limit_minutes: int | None = None, opens_at: dt.datetime | None = None,
                    closes_at: dt.datetime | None = None, allow_retry: bool = False,
                    late_joiners: bool = False, submit_when_time_is_up: bool = False) -> Exercise:
    require_manager(by, workshop)
    path = find_scenario(scenario_id)
    parsed = read_scenario(path)
    if parsed.scenario is None or parsed.problems:
        raise ValidationFailed(_("Unknown or invalid scenario '%(id)s'.") % {"id": scenario_id},
                               details={"fields": {"scenario_id": [_("Unknown scenario.")]}})
    bundle = Bundle.objects.filter(code=parsed.scenario.config).first()
    problems = check_scenario(parsed, get_config(bundle) if bundle else None)
    if problems:
        raise ValidationFailed(_("This scenario cannot run on the loaded configuration."),
                               details={"problems": [p.as_dict() for p in problems]})
    if mode not in Exercise.Mode.values:
        raise ValidationFailed(_("Unknown mode."), details={"fields": {"mode": [_("Unknown.")]}})
    if mode == Exercise.Mode.PAIRS:
        played_roles(parsed.scenario, mode)  # refuses scenarios with no role for the second
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationFailed(_("The exercise closes before it opens."),
                               details={"fields": {"closes_at": [_("Before the opening time.")]}})
    return Exercise.objects.create(
        workshop=workshop, scenario_id=parsed.scenario.id, title=pick(parsed.scenario.title),
        mode=mode, time_limit_minutes=time_limit_minutes, opens_at=opens_at, closes_at=closes_at,
        allow_retry=allow_retry, late_joiners=late_joiners,
        submit_when_time_is_up=submit_when_time_is_up)


def played_roles(scenario: Any, mode: str) -> list[str]:
    """The scenario roles trainees play: its trainee roles; in pairs, the second trainee
    takes a simulated supervisor's place when the scenario has a single trainee role."""
    roles = [ref for ref, r in scenario.roles.items() if r.played_by == "trainee"]
    if mode != Exercise.Mode.PAIRS or len(roles) >= 2:
        return roles
    config = get_config(scenario.config)
    # Scenarios name roles by function; the bundle's own role ids come from its mapping.
    scenario = resolve_scenario(scenario, config).scenario
    for ref, role in scenario.roles.items():
        bundle_role = config.roles.get(role.role)
        if role.played_by == "simulated" and bundle_role and bundle_role.can("approval.decide"):
            return [*roles, ref]
    raise ValidationFailed(
        _("This scenario has no second role for a pair (no supervisor to play)."),
        details={"fields": {"mode": [_("Choose 'each trainee alone' for this scenario.")]}})


def _groups(exercise: Exercise) -> list[tuple[list[Enrolment], Pair | None]]:
    """Who plays together: each trainee alone, or each pair."""
    if exercise.mode == Exercise.Mode.PAIRS:
        pairs = list(Pair.objects.filter(workshop=exercise.workshop).select_related(
            "first__user", "second__user"))
        if not pairs:
            raise ValidationFailed(_("Form role-play pairs before starting a pairs exercise."))
        return [([p.first, p.second], p) for p in pairs]
    enrolments = list(exercise.workshop.enrolments.select_related("user"))
    if not enrolments:
        raise ValidationFailed(_("Add trainees before starting the exercise."))
    return [([e], None) for e in enrolments]


def space_slug(exercise: Exercise, enrolment: Enrolment) -> str:
    return f"ws{exercise.workshop_id}-ex{exercise.pk}-t{enrolment.pk}"


def start_size(exercise: Exercise) -> int:
    """How many spaces starting the exercise makes (pairs or trainees)."""
    if exercise.mode == Exercise.Mode.PAIRS:
        return Pair.objects.filter(workshop_id=exercise.workshop_id).count()
    return Enrolment.objects.filter(workshop_id=exercise.workshop_id).count()


@transaction.atomic
def exercise_start(*, by: User, exercise: Exercise, on_progress: OnProgress = _nothing) -> int:
    """Seed a space for every trainee (or pair) at once. Returns the number of spaces.
    One transaction: interrupted half-way, it leaves no space and the exercise a draft."""
    require_manager(by, exercise.workshop)
    # A second start (double click, two tabs) waits for the first and is then told.
    exercise = Exercise.objects.select_for_update().select_related("workshop").get(pk=exercise.pk)
    if exercise.status != Exercise.Status.DRAFT:
        raise ValidationFailed(_("This exercise has already been started."), code="already_started")
    path = find_scenario(exercise.scenario_id)
    parsed = read_scenario(path)
    if parsed.scenario is None:
        raise ValidationFailed(_("The scenario file can no longer be read."))
    scenario = parsed.scenario
    trainee_roles = played_roles(scenario, exercise.mode)
    groups = _groups(exercise)
    targets = []
    for enrolments, _pair in groups:
        targets.append({
            "slug": space_slug(exercise, enrolments[0]),
            "title": f"{exercise.title} — {' + '.join(e.user.display_name for e in enrolments)}",
            "trainees": {ref: e.user for ref, e in zip(trainee_roles, enrolments, strict=False)}})
    spaces: list[Space] = []
    if targets:
        # The first world seeded, then the same world copied for everyone else at once.
        first = targets[0]
        spaces.append(seed_space(scenario, path, slug=first["slug"], trainees=first["trainees"],
                                 title=first["title"]))
        on_progress(1, len(targets))
        for n in range(1, len(targets), CLONE_BATCH):
            spaces += clone_spaces(spaces[0], targets[n:n + CLONE_BATCH])
            on_progress(len(spaces), len(targets))
    Attempt.objects.bulk_create([
        Attempt(exercise=exercise, enrolment=enrolment, pair=pair, space=space)
        for (enrolments, pair), space in zip(groups, spaces, strict=True)
        for enrolment in enrolments])
    set_time_limits(exercise, spaces)
    exercise.status = Exercise.Status.RUNNING
    exercise.started_at = timezone.now()
    exercise.save(update_fields=["status", "started_at"])
    return len(spaces)


def set_time_limit(exercise: Exercise, space: Space, start: dt.datetime | None = None) -> None:
    """The attempt in this space has the exercise's time limit from now (or `start`)."""
    set_time_limits(exercise, [space], start)


def set_time_limits(exercise: Exercise, spaces: list[Space], start: dt.datetime | None = None) -> None:
    """The attempts in these spaces have the exercise's time limit from now (or `start`):
    one UPDATE for all of them."""
    if not exercise.time_limit_minutes or not spaces:
        return
    ends = (start or timezone.now()) + dt.timedelta(minutes=exercise.time_limit_minutes)
    Space.objects.filter(pk__in=[space.pk for space in spaces]).update(
        writing_ends_at=ends, submit_when_time_is_up=exercise.submit_when_time_is_up)
    for space in spaces:
        space.writing_ends_at, space.submit_when_time_is_up = ends, exercise.submit_when_time_is_up


def expire_attempts(exercise: Exercise) -> int:
    """Submit the attempts in progress whose time is up, when the trainer chose so.

    Called when the board or a trainee's page is read, so that an attempt is submitted
    at the end of its time even when nobody's browser was open to say so. A read that
    finds nothing due takes no lock and opens no transaction (the board asks every 5 s)."""
    if exercise.status != Exercise.Status.RUNNING or not exercise.submit_when_time_is_up \
            or not exercise.time_limit_minutes:
        return 0
    due = Attempt.objects.filter(
        exercise=exercise, status=Attempt.Status.IN_PROGRESS,
        space__writing_ends_at__lte=timezone.now(), space__closed_at__isnull=True)
    if not due.exists():
        return 0
    with transaction.atomic():
        done: set[int] = set()
        for attempt in due.select_for_update().select_related("space", "enrolment__user").order_by("pk"):
            if attempt.space_id in done:
                continue
            _submit(attempt)
            done.add(attempt.space_id)  # type: ignore[arg-type]
        return len(done)


@transaction.atomic
def give_space(*, by: User | None, exercise: Exercise, enrolment: Enrolment) -> Attempt:
    """A space for a trainee who joined after the exercise started: a copy of the same
    seeded world. `by` is the trainer (from the board), or None when the exercise lets
    late joiners in by itself."""
    if by is not None:
        require_manager(by, exercise.workshop)
    exercise = Exercise.objects.select_for_update().select_related("workshop").get(pk=exercise.pk)
    _require_running(exercise)
    if enrolment.workshop_id != exercise.workshop_id:
        raise ValidationFailed(_("This trainee is not in the exercise's workshop."))
    existing = Attempt.objects.filter(exercise=exercise, enrolment=enrolment).order_by("-number").first()
    if existing is not None:
        return existing  # a second click, or the board and the join page at once
    if exercise.mode != Exercise.Mode.INDIVIDUAL:
        raise ValidationFailed(_("In a pairs exercise, form the pair first: a late joiner "
                                 "cannot get a space alone."), code="pairs_exercise")
    template = Space.objects.filter(attempts__exercise=exercise, seed__isnull=False).order_by("pk").first()
    if template is None:
        raise ValidationFailed(_("This exercise has no space to copy."))
    scenario = scenario_of(SpaceSeed.objects.get(space=template))
    user = enrolment.user
    space = clone_space(template, slug=space_slug(exercise, enrolment),
                        title=f"{exercise.title} — {user.display_name}",
                        trainees={ref: user for ref in played_roles(scenario, exercise.mode)[:1]})
    attempt = Attempt.objects.create(exercise=exercise, enrolment=enrolment, space=space)
    set_time_limit(exercise, space)
    return attempt


def _spaces(attempts: list[Attempt]) -> list[Space]:
    seen: dict[int, Space] = {}
    for attempt in attempts:
        if attempt.space is not None:
            seen.setdefault(attempt.space.pk, attempt.space)
    return list(seen.values())


def _targets(exercise: Exercise, attempt: Attempt | None) -> list[Attempt]:
    if attempt is not None:
        if attempt.exercise_id != exercise.pk:
            raise ValidationFailed(_("That attempt belongs to another exercise."))
        return [attempt]
    return latest_attempts(exercise)


def _require_running(exercise: Exercise) -> None:
    if exercise.status != Exercise.Status.RUNNING:
        raise ValidationFailed(_("The exercise is not running."), code="not_running")


def _require_not_closed(exercise: Exercise) -> None:
    if exercise.status == Exercise.Status.CLOSED:
        raise Conflict(_("This exercise is closed: nothing more can be submitted."),
                       code="space_closed")


def _require_open(exercise: Exercise) -> None:
    """Trainees work between the opening and closing times the trainer set."""
    _require_running(exercise)
    now = timezone.now()
    if exercise.opens_at and now < exercise.opens_at:
        raise ValidationFailed(_("The exercise is not open yet."), code="not_open_yet")
    if exercise.closes_at and now > exercise.closes_at:
        raise ValidationFailed(_("The exercise closed at the time your trainer set."),
                               code="closed")


@transaction.atomic
def send_message(*, by: User, exercise: Exercise, text: str, attempt: Attempt | None = None) -> int:
    """A message from the trainer, to one trainee's space or to all."""
    require_manager(by, exercise.workshop)
    _require_running(exercise)
    if not text.strip():
        raise ValidationFailed(_("Write the message."),
                               details={"fields": {"text": [_("This field is required.")]}})
    spaces = _spaces(_targets(exercise, attempt))
    Message.objects.bulk_create([
        Message(space=space, sender={"en": by.display_name}, body={"en": text.strip(),
                "fr": text.strip(), "ar": text.strip()}, sim_time=space.clock, inject_ref="trainer")
        for space in spaces])
    return len(spaces)


@transaction.atomic
def advance_clocks(*, by: User, exercise: Exercise, delta: dt.timedelta,
                   attempt: Attempt | None = None) -> int:
    require_manager(by, exercise.workshop)
    _require_running(exercise)
    spaces = _spaces(_targets(exercise, attempt))
    for space in spaces:
        advance(space, by=delta)
    return len(spaces)


@transaction.atomic
def reset_attempts(*, by: User, exercise: Exercise, attempt: Attempt | None = None,
                   on_progress: OnProgress = _nothing) -> int:
    """Reset one trainee's space (or every space) to its seeded state. A submitted
    attempt is kept, and a new attempt starts; an attempt in progress starts over."""
    require_manager(by, exercise.workshop)
    _require_running(exercise)
    attempts = _targets(exercise, attempt)
    spaces = _spaces(attempts)
    for n, space in enumerate(spaces, start=1):
        reset_space(space)
        on_progress(n, len(spaces))
    for current in attempts:
        if current.status != Attempt.Status.SUBMITTED:
            continue
        with transaction.atomic():
            # A double click (or two trainers) resetting the same submitted attempt: the
            # second finds the next attempt made by the first, and makes no other.
            list(Attempt.objects.select_for_update().filter(
                exercise=exercise, enrolment=current.enrolment).order_by("pk"))
            if not Attempt.objects.filter(exercise=exercise, enrolment=current.enrolment,
                                          number__gt=current.number).exists():
                Attempt.objects.create(exercise=exercise, enrolment=current.enrolment,
                                       pair=current.pair, space=current.space,
                                       number=current.number + 1)
    for space in _spaces(attempts):
        set_time_limit(exercise, space)  # a fresh start has its full time again
    return len(attempts)


def _member(attempt: Attempt) -> Member:
    member = Member.objects.filter(space=attempt.space, user=attempt.enrolment.user).first()
    if member is None:
        raise ValidationFailed(_("This attempt has no space any more."))
    return member


@transaction.atomic
def attempt_submit(*, user: User, attempt: Attempt) -> Attempt:
    """The trainee submits: their space is scored and the report kept with the attempt."""
    if attempt.enrolment.user_id != user.pk:
        raise NotAllowed(_("This is not your attempt."))
    # Every attempt of the space (a pair shares one), locked: a double submission waits
    # for the first and is then refused, instead of scoring the space twice.
    list(Attempt.objects.select_for_update().filter(exercise_id=attempt.exercise_id,
                                                    space_id=attempt.space_id).order_by("pk"))
    attempt.refresh_from_db()
    _require_not_closed(attempt.exercise)
    if attempt.status == Attempt.Status.SUBMITTED:
        raise ValidationFailed(_("This attempt has already been submitted."), code="already_submitted")
    _require_open(attempt.exercise)
    return _submit(attempt)


def _submit(attempt: Attempt) -> Attempt:
    report = submit_report(member=_member(attempt))
    now = timezone.now()
    partners = Attempt.objects.filter(exercise=attempt.exercise, space=attempt.space,
                                      status=Attempt.Status.IN_PROGRESS)
    submitted = list(partners.values_list("pk", flat=True))
    partners.update(status=Attempt.Status.SUBMITTED, submitted_at=now, report=report)
    # Into the outbox in the same transaction: a submission is never without its statements.
    lrs.queue(Attempt.objects.filter(pk__in=submitted))
    attempt.refresh_from_db()
    return attempt


@transaction.atomic
def attempt_retry(*, user: User, attempt: Attempt) -> Attempt:
    """Try again (when the trainer allows it): the space is reset, a new attempt begins."""
    if attempt.enrolment.user_id != user.pk:
        raise NotAllowed(_("This is not your attempt."))
    exercise = attempt.exercise
    _require_not_closed(exercise)
    _require_open(exercise)
    if not exercise.allow_retry:
        raise NotAllowed(_("Your trainer has not opened this exercise for another try."),
                         code="retry_not_allowed")
    list(Attempt.objects.select_for_update().filter(exercise=exercise, enrolment=attempt.enrolment)
         .order_by("pk"))
    attempt.refresh_from_db()
    newer = Attempt.objects.filter(exercise=exercise, enrolment=attempt.enrolment,
                                   number__gt=attempt.number).order_by("-number").first()
    if newer is not None:
        return newer  # the same retry asked twice: the try it already started
    if attempt.status != Attempt.Status.SUBMITTED:
        raise ValidationFailed(_("Submit this attempt before trying again."))
    assert attempt.space is not None
    reset_space(attempt.space)
    number = Attempt.objects.filter(exercise=exercise, enrolment=attempt.enrolment).count() + 1
    set_time_limit(exercise, attempt.space)
    return Attempt.objects.create(exercise=exercise, enrolment=attempt.enrolment, pair=attempt.pair,
                                  space=attempt.space, number=number)


@transaction.atomic
def exercise_close(*, by: User, exercise: Exercise) -> int:
    """Close the exercise: attempts still in progress are scored as they stand."""
    require_manager(by, exercise.workshop)
    _require_running(exercise)
    pending = [a for a in latest_attempts(exercise) if a.status == Attempt.Status.IN_PROGRESS]
    done: set[int] = set()
    for attempt in pending:
        if attempt.space_id in done or attempt.space is None:
            continue
        _submit(attempt)
        done.add(attempt.space_id)
    exercise.status = Exercise.Status.CLOSED
    exercise.closed_at = timezone.now()
    exercise.save(update_fields=["status", "closed_at"])
    # Trainees keep reading their space and their report, but write and submit no more.
    Space.objects.filter(attempts__exercise=exercise).update(closed_at=exercise.closed_at)
    return len(pending)




@transaction.atomic
def solution_release(*, by: User, exercise: Exercise, released: bool) -> Exercise:
    """Show (or hide again) the scenario's model answer in the trainees' reports."""
    require_manager(by, exercise.workshop)
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if released and exercise.solution_released_at is None:
        exercise.solution_released_at = timezone.now()
    elif not released:
        exercise.solution_released_at = None
    exercise.save(update_fields=["solution_released_at"])
    return exercise


def solution_released_in(space_id: int) -> bool:
    """Whether the space is an attempt at an exercise whose model answer is released."""
    return Attempt.objects.filter(space_id=space_id,
                                  exercise__solution_released_at__isnull=False).exists()


def submit_in_space(member: Member) -> Report | None:
    """Submitting from a space's own exercise page: when the space is a workshop
    attempt's, the attempt is submitted (the board and results see it)."""
    if member.user_id is None:
        return None
    attempt = (Attempt.objects.filter(space_id=member.space_id, enrolment__user_id=member.user_id)
               .select_related("exercise", "enrolment").order_by("-number").first())
    if attempt is None:
        return None
    _require_not_closed(attempt.exercise)
    if attempt.status == Attempt.Status.SUBMITTED:
        # A report outside the attempt would be one the results never see.
        raise ValidationFailed(_("This attempt has already been submitted."),
                               code="already_submitted")
    submitted = attempt_submit(user=attempt.enrolment.user, attempt=attempt)
    return submitted.report
