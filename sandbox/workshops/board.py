"""The live board as the trainer's page shows it, polled every 5 seconds.

A poll's cost hardly grows with the cohort, and nearly every poll of a busy workshop finds
something moved:

- one query reads each attempt's *stamp*: its row as plain integers and text (dates as
  the database writes them: none parsed, no progress scored), enough to tell whether
  its row changed and to make it when it did;
- each row (`Line`) is kept in the process with its stamp: only the rows whose stamp
  changed are made again, and only the spaces whose kept progress no longer holds are
  scored again (`sandbox.scoring.progress`: kept when the space moves, so the board
  mostly reads);
- the board has a version (each row's digest, the header's figures, the minute): a poll
  that sends the version it shows and finds it unchanged is answered 204 No Content;
- otherwise the answer holds only the rows that changed since the version the page shows,
  as out-of-band swaps (htmx), with the header; the whole board is sent again only when
  rows came or went (a late joiner given a space) or the version is unknown.

`selectors.board` is the same board as data (the API, the presenter's view).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import caches
from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sandbox.cases.models import Stage
from sandbox.cases.views.display import action_label
from sandbox.scoring.progress import progress_of
from sandbox.spaces.models import Space
from sandbox.web.templatetags.sandbox import local_datetime, local_percent

from .models import Attempt, Enrolment, Exercise
from .selectors import STUCK_AFTER

#: How long the rows a version of the board showed are kept, for the polls that send it
#: (the next comes 5 s later): a page left longer gets the whole board.
SEEN_FOR = 2 * 60

class Stamp(NamedTuple):
    """An attempt's row as the database gives it: numbers and text (dates as the database
    writes them, so none is parsed when the row has not changed). Equal stamps, equal rows."""

    pk: int
    enrolment_id: int
    number: int
    status: str
    pair_id: int | None
    report_id: int | None
    report_percent: float | None
    space_id: int | None
    organisation: str
    username: str
    first_name: str
    last_name: str
    events: int | None  # the space's event counter
    kept_events: int | None  # its kept progress's
    met: int | None
    total: int | None
    stage: str | None
    last_action: str | None
    clock: str | None
    kept_clock: str | None
    ends: str | None
    kept_at: str | None  # when the progress was kept (a reset keeps it anew)
    started: str
    last_action_at: str | None


#: The ORM's names of the stamp's values, in order; those of dates are cast to text.
_FIELDS = (
    "pk", "enrolment_id", "number", "status", "pair_id", "report_id", "report__percent", "space_id",
    "enrolment__organisation", "enrolment__user__username", "enrolment__user__first_name",
    "enrolment__user__last_name", "space__event_counter", "space__progress__event_counter",
    "space__progress__met", "space__progress__total", "space__progress__stage",
    "space__progress__last_action", "clock_text", "kept_clock_text", "ends_text", "kept_at_text",
    "started_text", "last_at_text",
)
_TEXTS = {"clock_text": "space__clock", "kept_clock_text": "space__progress__clock",
          "ends_text": "space__writing_ends_at", "kept_at_text": "space__progress__updated_at",
          "started_text": "started_at", "last_at_text": "space__progress__last_action_at"}


class Line(NamedTuple):
    """One trainee's latest attempt, as plain values."""

    attempt: int
    enrolment: int
    number: int
    status: str
    pair: bool
    username: str
    trainee: str
    last_name: str
    first_name: str
    organisation: str
    space: int | None
    clock: dt.datetime | None
    writing_ends_at: dt.datetime | None
    met: int
    total: int
    stage: str
    last_action: str
    last_action_at: dt.datetime | None
    report: float | None  # the submitted report's percent
    started_at: dt.datetime
    #: A digest of the values above, made when the row is read (the poll compares them).
    key: str = ""
    stuck: bool = False  # said at each poll: it changes with the time

    def is_stuck(self, now: dt.datetime) -> bool:
        return self.status == Attempt.Status.IN_PROGRESS and \
            now - (self.last_action_at or self.started_at) > STUCK_AFTER


_prepared: dict[str, tuple[str, str]] = {}


def _stamp_rows(exercise: Exercise) -> list[tuple[Any, ...]]:
    """Every attempt's stamp (all attempts, oldest number first) and every enrolment of the
    workshop. The statements are put together by the ORM once per process and database,
    then sent as they are: a poll pays for reading rows, not for building queries."""
    alias = Attempt.objects.db
    if alias not in _prepared:
        stamps = (Attempt.objects.filter(exercise_id=0).order_by("number", "pk")
                  .annotate(**{name: Cast(field, CharField()) for name, field in _TEXTS.items()})
                  .values_list(*_FIELDS))
        enrolments = Enrolment.objects.filter(workshop_id=0).order_by().values_list("pk")
        found = []
        for query in (stamps, enrolments):
            sql, params = query.query.sql_with_params()
            if list(params) != [0]:  # not expected: the exercise or workshop is the only value
                raise RuntimeError(f"The board's query has other values: {params!r}")
            found.append(sql)
        _prepared[alias] = (found[0], found[1])
    stamp_sql, enrolment_sql = _prepared[alias]
    with connections[alias].cursor() as cursor:
        cursor.execute(stamp_sql, [exercise.pk])
        rows = cursor.fetchall()
        cursor.execute(enrolment_sql, [exercise.workshop_id])
        rows.append(tuple(pk for (pk,) in cursor.fetchall()))  # type: ignore[arg-type]
    return rows


def _stamps(exercise: Exercise) -> tuple[dict[int, Stamp], list[int]]:
    """Each trainee's latest attempt's stamp, by attempt id; and the enrolments of the
    workshop that have no attempt (late joiners), in the order they enrolled."""
    rows = _stamp_rows(exercise)
    enrolments = rows.pop()
    latest: dict[int, Stamp] = {}
    for row in rows:
        latest[row[1]] = Stamp._make(row)
    return {stamp.pk: stamp for stamp in latest.values()}, sorted(set(enrolments) - set(latest))


def _holds(stamp: Stamp) -> bool:
    """Whether the space's kept progress holds for it as it is (nothing to score)."""
    return stamp.events is None or (stamp.kept_events == stamp.events and stamp.kept_clock == stamp.clock)


def _when(text: str | None) -> dt.datetime | None:
    """A date as the database wrote it as text: PostgreSQL with its offset (the connection's
    zone is UTC), SQLite without (it keeps UTC)."""
    if text is None:
        return None
    found = dt.datetime.fromisoformat(text)
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)


def _read(stamps: list[Stamp]) -> dict[int, Line]:
    """The rows of these attempts, made from their stamps; the spaces whose kept progress no
    longer holds are scored again first, together."""
    stale = [stamp.space_id for stamp in stamps if stamp.space_id is not None and not _holds(stamp)]
    fresh = progress_of(list(Space.objects.filter(pk__in=stale).select_related("progress"))) \
        if stale else {}
    found = {}
    for stamp in stamps:
        kept = fresh.get(stamp.space_id or 0)
        if kept is not None:
            met, total, stage = kept.met, kept.total, kept.stage
            last_action, last_at = kept.last_action, kept.last_action_at
        else:
            met, total, stage = stamp.met or 0, stamp.total or 0, stamp.stage or ""
            last_action, last_at = stamp.last_action or "", _when(stamp.last_action_at)
        first, last = stamp.first_name, stamp.last_name
        line = Line(
            attempt=stamp.pk, enrolment=stamp.enrolment_id, number=stamp.number,
            status=stamp.status, pair=stamp.pair_id is not None, username=stamp.username,
            trainee=f"{first} {last}".strip() or stamp.username, last_name=last, first_name=first,
            organisation=stamp.organisation, space=stamp.space_id, clock=_when(stamp.clock),
            writing_ends_at=_when(stamp.ends), met=met, total=total, stage=stage,
            last_action=last_action, last_action_at=last_at,
            report=stamp.report_percent if stamp.report_id is not None else None,
            started_at=_when(stamp.started))  # type: ignore[arg-type]
        found[stamp.pk] = line._replace(
            key=hashlib.blake2b(repr(line).encode(), digest_size=10).hexdigest())
    return found


#: The rows this process made last, by attempt id, with their stamps: checked against the
#: stamp, so never stale; bounded.
_memo: dict[int, tuple[Stamp, Line]] = {}
_MEMO_SIZE = 20_000


def lines(exercise: Exercise, now: dt.datetime) -> tuple[list[Line], list[int]]:
    """Each trainee's latest attempt, sorted by name; and the enrolments without one.

    One query reads every row's stamp; a row whose stamp is unchanged comes from this
    process's memory, the others are made from their stamps. Only a row whose progress
    held is kept: one that was scored again has a new stamp on the next poll."""
    stamps, without = _stamps(exercise)
    found: dict[int, Line] = {}
    missing = []
    for pk, stamp in stamps.items():
        known = _memo.get(pk)
        if known is not None and known[0] == stamp:
            found[pk] = known[1]
        else:
            missing.append(stamp)
    if missing:
        read = _read(missing)
        found.update(read)
        kept = {pk: (stamps[pk], line) for pk, line in read.items() if _holds(stamps[pk])}
        if len(_memo) + len(kept) > _MEMO_SIZE:
            _memo.clear()
        _memo.update(kept)
    return sorted((found[pk]._replace(stuck=found[pk].is_stuck(now)) for pk in found),
                  key=lambda line: (line.last_name, line.first_name, line.username)), without


class _Ago:
    """"3 minutes ago", said once per distinct span on a board (200 rows, a few spans)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.just_now, self.ago = _("just now"), _("%(time)s ago")
        self.said: dict[int, str] = {}

    @staticmethod
    def minutes(now: dt.datetime, at: dt.datetime | None) -> int:
        """The span a row shows, in whole minutes (-1: none, 0: just now)."""
        return -1 if at is None else max(0, int((now - at).total_seconds() // 60))

    def __call__(self, at: dt.datetime | None) -> str:
        minutes = self.minutes(self.now, at)
        if minutes < 0:
            return ""
        if minutes == 0:
            return self.just_now
        if minutes not in self.said:
            self.said[minutes] = self.ago % {"time": timesince(at, self.now)}  # type: ignore[arg-type]
        return self.said[minutes]


#: Stands for an attempt's id in a link reversed once for the whole board.
_ANY = 987654321


@dataclass
class Board:
    lines: list[Line]
    #: A digest of each row (what it shows, with the time's part: its span, stuck or not).
    digests: list[str]
    version: str
    waiting: list[int]
    exercise: Exercise
    now: dt.datetime
    running: bool
    #: The versions this viewer was shown lately, once read from the cache.
    seen: dict[str, Any] | None = None


def board(exercise: Exercise, *, now: dt.datetime, running: bool, token_of: str) -> Board:
    """The board's rows and version. `token_of` names the trainer's form token (a digest
    of its secret): the rows carry it, so a version is never served to another viewer."""
    found, without = lines(exercise, now)
    waiting = without if running else []
    digests = [f"{line.key}:{_Ago.minutes(now, line.last_action_at)}:{line.stuck:d}" for line in found]
    header = repr((get_language(), timezone.get_current_timezone_name(), running, waiting, token_of,
                   now.replace(second=0, microsecond=0).isoformat(), digests))
    version = hashlib.blake2b(header.encode(), digest_size=10).hexdigest()
    return Board(lines=found, digests=digests, version=version, waiting=waiting,
                 exercise=exercise, now=now, running=running)


def shown(found: Board, indexes: list[int] | None = None) -> list[dict[str, Any]]:
    """What the rows at `indexes` (all by default) show, ready to draw."""
    stages = dict(Stage.choices)
    exercise, now = found.exercise, found.now
    kwargs = {"pk": exercise.workshop_id, "ex": exercise.pk, "attempt": _ANY}
    report, observe = (reverse(f"workshops:{name}", kwargs=kwargs) for name in ("report", "observe"))
    labels: dict[Any, str] = {}  # most spaces show the same few clocks and actions
    stage_labels: dict[str, str] = {}
    # Each sentence translated once for the board, not once per row.
    attempt_n, steps_n = _("attempt %(number)s"), _("%(met)s of %(total)s steps met")
    confirm = _("Reset the space of %(name)s? Their work since the start is removed; a "
                "submitted report is kept.")
    ago = _Ago(now)
    rows = []
    for index in range(len(found.lines)) if indexes is None else indexes:
        line = found.lines[index]
        if line.clock not in labels:
            labels[line.clock] = local_datetime(line.clock) if line.clock else ""
        if line.last_action not in labels:
            labels[line.last_action] = action_label(line.last_action) if line.last_action else ""
        if line.stage not in stage_labels:
            stage_labels[line.stage] = str(stages.get(line.stage, line.stage)) if line.stage else ""
        pk = str(line.attempt)
        rows.append({
            "pk": pk, "enrolment": line.enrolment, "username": line.username,
            "number": line.number, "status": line.status,
            "stuck": line.stuck, "trainee": line.trainee, "organisation": line.organisation,
            "attempt_label": attempt_n % {"number": line.number}, "pair": line.pair,
            "met": line.met, "total": line.total,
            "progress": round(100 * line.met / line.total) if line.total else 0,
            "steps_label": steps_n % {"met": line.met, "total": line.total},
            "stage": stage_labels[line.stage],
            "last_action": labels[line.last_action],
            "last_action_iso": line.last_action_at.isoformat() if line.last_action_at else "",
            "ago": ago(line.last_action_at),
            "clock_iso": line.clock.isoformat() if line.clock else "", "clock_label": labels[line.clock],
            "report": local_percent(line.report) if line.report is not None else "",
            "ends_iso": line.writing_ends_at.isoformat() if line.writing_ends_at else "",
            "now_iso": now.isoformat(),
            "report_url": report.replace(str(_ANY), pk) if line.report is not None else "",
            "observe_url": observe.replace(str(_ANY), pk) if line.space else "",
            "running": found.running,
            "confirm_label": confirm % {"name": line.trainee},
        })
    return rows


def token_digest(request: HttpRequest) -> str:
    """A digest of the trainer's form token's secret (the same for every page they load)."""
    get_token(request)
    secret = request.META.get("CSRF_COOKIE", "")
    return hashlib.sha256(f"board:{secret}".encode()).hexdigest()[:16]


#: How many versions of one viewer's board are remembered (two tabs, a poll crossing a reply).
_VERSIONS = 4


def _seen_key(found: Board, token_of: str) -> str:
    return f"board-seen:{found.exercise.pk}:{token_of}"


def remember(found: Board, token_of: str) -> None:
    """Keep which rows this version of the board shows, for the polls that will send it:
    the viewer's last few versions under one key (one round trip, one file)."""
    shared = caches["board"]
    key = _seen_key(found, token_of)
    seen = dict(found.seen if found.seen is not None else shared.get(key) or {})
    seen.pop(found.version, None)  # the newest last
    seen[found.version] = ([line.enrolment for line in found.lines], found.digests, found.waiting)
    shared.set(key, dict(list(seen.items())[-_VERSIONS:]), timeout=SEEN_FOR)


def changed_since(found: Board, token_of: str, version: str) -> list[int] | None:
    """The indexes of the rows that changed since the board of `version` (which this viewer
    was given), or None when that board is unknown or had other trainees' rows (a late
    joiner given a space) or other late joiners: then it is drawn whole. A row is a
    trainee's (its id is the enrolment's): a new attempt after a reset changes the row."""
    found.seen = caches["board"].get(_seen_key(found, token_of)) or {}
    seen = found.seen.get(version)
    if seen is None:
        return None
    trainees, digests, waiting = seen
    if trainees != [line.enrolment for line in found.lines] or waiting != found.waiting:
        return None
    return [i for i, (was, now) in enumerate(zip(digests, found.digests, strict=True)) if was != now]


def rows_html(request: HttpRequest, found: Board, indexes: list[int] | None = None, *,
              oob: bool = False) -> SafeString:
    """The HTML of the rows at `indexes` (all by default), one after the other; `oob`: each
    row replaces the one of the same id on the page (htmx's out-of-band swap)."""
    parts = _Parts(request, found.exercise)
    return mark_safe("".join(draw_row(row, parts, oob=oob) for row in shown(found, indexes)))


class _Parts:
    """What every row of one board shares: its sentences translated (and escaped) once,
    the form token, the links. A row is a few hundred characters put together, not a
    template drawn: a board of 200 trainees who all moved is drawn in a few milliseconds."""

    def __init__(self, request: HttpRequest, exercise: Exercise) -> None:
        kwargs = {"pk": exercise.workshop_id, "ex": exercise.pk}
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(get_token(request))}">'
        self.clock_url = _e(reverse("workshops:clock", kwargs=kwargs))
        self.reset_url = _e(reverse("workshops:reset", kwargs=kwargs))
        self.exercise_url = _e(reverse("workshops:exercise", kwargs=kwargs))
        self.pair = _e(_("pair"))
        self.no_action = _e(_("No action yet"))
        self.stuck_title = _e(_("No action for more than 10 minutes: check in with this trainee."))
        self.stuck = _e(_("stuck?"))
        self.submitted = _e(_("Submitted"))
        self.in_progress = _e(_("In progress"))
        self.time_left = _e(_("Time left:"))
        self.report = _e(_("Report"))
        self.look_title = _e(_("See this trainee’s space without changing anything"))
        self.look = _e(_("Look"))
        self.message = _e(_("Message"))
        self.clock_title = _e(_("Move this trainee’s clock on by one hour"))
        self.clock = _e(_("+1 h"))
        self.reset = _e(_("Reset"))
        self._escaped: dict[str, str] = {}  # most rows show the same few labels

    def escape(self, value: Any) -> str:
        text = str(value)
        found = self._escaped.get(text)
        if found is None:
            found = self._escaped[text] = _e(text)
        return found


def _e(value: Any) -> str:
    """Escaped for HTML text and attributes (Python's own: the board's values are plain
    strings and numbers, so Django's lazy-aware escape is not needed on this path)."""
    return html.escape(str(value), quote=True)


#: The values of a row that are text (a name, a label): escaped. The others are numbers,
#: booleans and ISO dates, which hold no markup.
_TEXTS_SHOWN = ("pk", "username", "status", "trainee", "organisation", "attempt_label", "steps_label",
                "stage", "last_action", "ago", "clock_label", "report", "report_url", "observe_url",
                "confirm_label")


def draw_row(row: dict[str, Any], p: _Parts, *, oob: bool = False) -> str:
    """One row of the live board (`shown()` made `row`; every value escaped here); `oob`:
    marked to replace the row of the same id (htmx's out-of-band swap)."""
    r = dict(row)  # numbers and ISO dates as they are; the texts escaped, each once a board
    for key in _TEXTS_SHOWN:
        r[key] = p.escape(row[key])
    warn = ' class="table-warning"' if row["stuck"] else ""
    done = " bg-success" if row["progress"] == 100 else ""
    swap = ' hx-swap-oob="true"' if oob else ""
    out = [f'<tr id="board-row-{r["enrolment"]}"{swap} data-trainee="{r["username"]}" '
           f'data-attempt="{r["number"]}" data-status="{r["status"]}"{warn}>'
           f'<td><span class="fw-semibold">{r["trainee"]}</span><div class="small text-muted">'
           f'{r["attempt_label"]}{f" · {p.pair}" if row["pair"] else ""}</div></td>'
           f'<td class="small">{r["organisation"]}</td>'
           f'<td><div class="small fw-semibold board-met">{r["met"]} / {r["total"]}</div>'
           f'<div class="progress" role="progressbar" style="height: .5rem" aria-label="{r["steps_label"]}" '
           f'aria-valuenow="{r["progress"]}" aria-valuemin="0" aria-valuemax="100">'
           f'<div class="progress-bar{done}" style="width: {r["progress"]}%"></div></div></td>'
           f'<td>{r["stage"] or "—"}</td><td class="small">']
    if row["last_action"]:
        out.append(f'{r["last_action"]}<div class="text-muted"><time datetime="{r["last_action_iso"]}">'
                   f'{r["ago"]}</time></div>')
    else:
        out.append(f'<span class="text-muted">{p.no_action}</span>')
    if row["stuck"]:
        out.append(f'<span class="badge text-bg-warning board-stuck" title="{p.stuck_title}">'
                   f'{p.stuck}</span>')
    out.append('</td><td class="small text-nowrap">')
    if row["clock_iso"]:
        out.append(f'<time datetime="{r["clock_iso"]}">{r["clock_label"]}</time>')
    out.append('</td><td class="board-status">')
    if row["status"] == "submitted":
        out.append(f'<span class="badge text-bg-success">{p.submitted}</span>')
        if row["report"]:
            out.append(f'<div class="fw-semibold board-score">{r["report"]}</div>')
    else:
        out.append(f'<span class="badge text-bg-primary">{p.in_progress}</span>')
        if row["ends_iso"]:
            out.append(f'<div class="small text-nowrap board-time-left">{p.time_left} '
                       f'<span class="countdown" dir="ltr" data-ends="{r["ends_iso"]}" '
                       f'data-now="{r["now_iso"]}">–</span></div>')
    out.append('</td><td class="text-end"><div class="d-inline-flex flex-wrap justify-content-end gap-1">')
    if row["report_url"]:
        out.append(f'<a class="btn btn-sm btn-outline-success board-report" href="{r["report_url"]}">'
                   f'{p.report}</a>')
    if row["observe_url"]:
        out.append(f'<a class="btn btn-sm btn-outline-secondary board-observe" href="{r["observe_url"]}" '
                   f'title="{p.look_title}">{p.look}</a>')
    if row["running"]:
        hidden = f'{p.csrf}<input type="hidden" name="attempt" value="{r["pk"]}">'
        out.append(
            f'<a class="btn btn-sm btn-outline-secondary board-message" '
            f'href="{p.exercise_url}?to={r["pk"]}#message-form">{p.message}</a>'
            f'<form method="post" action="{p.clock_url}">{hidden}<button class="btn btn-sm '
            f'btn-outline-secondary board-clock" name="by" value="1h" title="{p.clock_title}">'
            f'{p.clock}</button></form>'
            f'<form method="post" action="{p.reset_url}" data-confirm="{r["confirm_label"]}">{hidden}'
            f'<button class="btn btn-sm btn-outline-danger board-reset">{p.reset}</button></form>')
    out.append("</div></td></tr>")
    return "".join(out)
