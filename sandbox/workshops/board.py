"""The live board as the trainer's page shows it, polled every 5 seconds.

A poll costs little whatever the size of the cohort:

- one query reads each attempt's row as plain values (no model objects), the kept
  progress included (`sandbox.scoring.progress`: kept when the space moves, so the poll
  scores only what was missed, all at once);
- each row's HTML is kept in the cache under a key made of everything the row shows
  (its figures, its labels, the language, the trainer's form token): only the rows
  where something changed are drawn again;
- the whole board has a version (the rows' keys and the header's figures, the minute):
  a poll that sends the version it shows, and finds it unchanged, is answered
  204 No Content, and htmx leaves the page as it is.

`selectors.board` is the same board as data (the API, the presenter's view).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sandbox.cases.models import Stage
from sandbox.cases.views.display import action_label
from sandbox.scoring.progress import progress_of
from sandbox.spaces.models import Space
from sandbox.web.templatetags.sandbox import local_datetime, local_percent

from .models import Attempt, Exercise
from .selectors import STUCK_AFTER

#: How long a drawn row is kept: a board not polled for that long draws its rows again.
ROW_TTL = 15 * 60

_VALUES = (
    "pk", "enrolment_id", "number", "status", "pair_id", "started_at", "report_id", "report__percent",
    "enrolment__organisation", "enrolment__user__username", "enrolment__user__first_name",
    "enrolment__user__last_name", "space_id", "space__clock", "space__event_counter",
    "space__writing_ends_at", "space__progress__event_counter", "space__progress__clock",
    "space__progress__met", "space__progress__total", "space__progress__stage",
    "space__progress__last_action", "space__progress__last_action_at",
)


@dataclass
class Line:
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
    stuck: bool


def lines(exercise: Exercise, now: dt.datetime) -> list[Line]:
    """Each trainee's latest attempt, sorted by name; the spaces whose kept progress no
    longer holds are scored again first, together."""
    latest: dict[int, dict[str, Any]] = {}
    for row in Attempt.objects.filter(exercise=exercise).order_by("number", "pk").values(*_VALUES):
        latest[row["enrolment_id"]] = row
    stale = [row["space_id"] for row in latest.values() if row["space_id"] is not None and (
        row["space__progress__event_counter"] != row["space__event_counter"]
        or row["space__progress__clock"] != row["space__clock"])]
    fresh = progress_of(list(Space.objects.filter(pk__in=stale).select_related("progress"))) \
        if stale else {}
    found = []
    for row in latest.values():
        kept = fresh.get(row["space_id"] or 0)
        if kept is not None:
            met, total, stage = kept.met, kept.total, kept.stage
            last_action, last_at = kept.last_action, kept.last_action_at
        else:
            met, total = row["space__progress__met"] or 0, row["space__progress__total"] or 0
            stage = row["space__progress__stage"] or ""
            last_action = row["space__progress__last_action"] or ""
            last_at = row["space__progress__last_action_at"]
        first, last = row["enrolment__user__first_name"], row["enrolment__user__last_name"]
        status = row["status"]
        found.append(Line(
            attempt=row["pk"], enrolment=row["enrolment_id"], number=row["number"], status=status,
            pair=row["pair_id"] is not None, username=row["enrolment__user__username"],
            trainee=f"{first} {last}".strip() or row["enrolment__user__username"],
            last_name=last, first_name=first, organisation=row["enrolment__organisation"],
            space=row["space_id"], clock=row["space__clock"],
            writing_ends_at=row["space__writing_ends_at"], met=met, total=total, stage=stage,
            last_action=last_action, last_action_at=last_at,
            report=row["report__percent"] if row["report_id"] is not None else None,
            stuck=status == Attempt.Status.IN_PROGRESS
            and now - (last_at or row["started_at"]) > STUCK_AFTER))
    found.sort(key=lambda line: (line.last_name, line.first_name, line.username))
    return found


class _Ago:
    """"3 minutes ago", said once per distinct span on a board (200 rows, a few spans)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.just_now, self.ago = _("just now"), _("%(time)s ago")
        self.said: dict[int, str] = {}

    def __call__(self, at: dt.datetime | None) -> str:
        if at is None:
            return ""
        if self.now - at < dt.timedelta(minutes=1):
            return self.just_now
        minutes = int((self.now - at).total_seconds() // 60)
        if minutes not in self.said:
            self.said[minutes] = self.ago % {"time": timesince(at, self.now)}
        return self.said[minutes]


#: Stands for an attempt's id in a link reversed once for the whole board.
_ANY = 987654321


@dataclass
class Board:
    lines: list[Line]
    #: What each row shows (its template's context, the form token aside), in order.
    shown: list[dict[str, Any]]
    #: A digest of each row's `shown` (its cache key's end).
    digests: list[str]
    version: str


def board(exercise: Exercise, *, now: dt.datetime, running: bool, waiting: list[int],
          token_of: str) -> Board:
    """The rows as they will be drawn, and the board's version. `token_of` names the
    trainer's form token (a digest of its secret): rows drawn for one trainer carry their
    token, and are never served to another."""
    stages = dict(Stage.choices)
    kwargs = {"pk": exercise.workshop_id, "ex": exercise.pk, "attempt": _ANY}
    report, observe = (reverse(f"workshops:{name}", kwargs=kwargs) for name in ("report", "observe"))
    labels: dict[Any, str] = {}  # most spaces show the same few clocks and actions
    # Each sentence translated once for the board, not once per row.
    attempt_n, steps_n = _("attempt %(number)s"), _("%(met)s of %(total)s steps met")
    confirm = _("Reset the space of %(name)s? Their work since the start is removed; a "
                "submitted report is kept.")
    ago = _Ago(now)
    found = lines(exercise, now)
    shown = []
    for line in found:
        if line.clock not in labels:
            labels[line.clock] = local_datetime(line.clock) if line.clock else ""
        if line.last_action not in labels:
            labels[line.last_action] = action_label(line.last_action) if line.last_action else ""
        pk = str(line.attempt)
        shown.append({
            "pk": pk, "username": line.username, "number": line.number, "status": line.status,
            "stuck": line.stuck, "trainee": line.trainee, "organisation": line.organisation,
            "attempt_label": attempt_n % {"number": line.number}, "pair": line.pair,
            "met": line.met, "total": line.total,
            "progress": round(100 * line.met / line.total) if line.total else 0,
            "steps_label": steps_n % {"met": line.met, "total": line.total},
            "stage": str(stages.get(line.stage, line.stage)) if line.stage else "",
            "last_action": labels[line.last_action],
            "last_action_iso": line.last_action_at.isoformat() if line.last_action_at else "",
            "ago": ago(line.last_action_at),
            "clock_iso": line.clock.isoformat() if line.clock else "", "clock_label": labels[line.clock],
            "report": local_percent(line.report) if line.report is not None else "",
            "ends_iso": line.writing_ends_at.isoformat() if line.writing_ends_at else "",
            "report_url": report.replace(str(_ANY), pk) if line.report is not None else "",
            "observe_url": observe.replace(str(_ANY), pk) if line.space else "",
            "running": running,
            "confirm_label": confirm % {"name": line.trainee},
        })
    digests = [hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()
               for row in shown]
    header = {"lang": get_language(), "running": running, "waiting": waiting, "token": token_of,
              "minute": now.replace(second=0, microsecond=0).isoformat(), "rows": digests}
    version = hashlib.sha256(json.dumps(header, sort_keys=True, default=str).encode()).hexdigest()[:20]
    return Board(lines=found, shown=shown, digests=digests, version=version)


def token_digest(request: HttpRequest) -> str:
    """A digest of the trainer's form token's secret (the same for every page they load)."""
    get_token(request)
    secret = request.META.get("CSRF_COOKIE", "")
    return hashlib.sha256(f"board:{secret}".encode()).hexdigest()[:16]


def rows_html(request: HttpRequest, exercise: Exercise, found: Board, token_of: str) -> list[SafeString]:
    """Each row's HTML: from the cache when nothing it shows changed, drawn otherwise."""
    language = get_language()
    keys = [f"board-row:{exercise.pk}:{language}:{token_of}:{digest}" for digest in found.digests]
    kept = cache.get_many(keys) if keys else {}
    drawn: dict[str, str] = {}
    parts: _Parts | None = None
    html = []
    for key, row in zip(keys, found.shown, strict=True):
        if key not in kept:
            parts = parts or _Parts(request, exercise)
            drawn[key] = draw_row(row, parts)
        html.append(mark_safe(kept.get(key) or drawn[key]))
    if drawn:
        cache.set_many(drawn, timeout=ROW_TTL)
    return html


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


def _e(value: Any) -> str:
    """Escaped for HTML text and attributes (Python's own: the board's values are plain
    strings and numbers, so Django's lazy-aware escape is not needed on this path)."""
    return html.escape(str(value), quote=True)


def draw_row(row: dict[str, Any], p: _Parts) -> str:
    """One row of the live board (`board()` made `row`; every value escaped here)."""
    r = {key: _e(value) for key, value in row.items()}
    warn = ' class="table-warning"' if row["stuck"] else ""
    done = " bg-success" if row["progress"] == 100 else ""
    out = [f'<tr data-trainee="{r["username"]}" data-attempt="{r["number"]}" data-status="{r["status"]}"'
           f'{warn}>'
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
                       f'<span class="countdown" dir="ltr" data-ends="{r["ends_iso"]}">–</span></div>')
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
