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
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
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
    header = {"lang": get_language(), "running": running, "waiting": waiting, "token": token_of,
              "minute": now.replace(second=0, microsecond=0).isoformat(), "rows": shown}
    version = hashlib.sha256(json.dumps(header, sort_keys=True, default=str).encode()).hexdigest()[:20]
    return Board(lines=found, shown=shown, version=version)


def token_digest(request: HttpRequest) -> str:
    """A digest of the trainer's form token's secret (the same for every page they load)."""
    get_token(request)
    secret = request.META.get("CSRF_COOKIE", "")
    return hashlib.sha256(f"board:{secret}".encode()).hexdigest()[:16]


def rows_html(request: HttpRequest, exercise: Exercise, found: Board, token_of: str) -> list[SafeString]:
    """Each row's HTML: from the cache when nothing it shows changed, drawn otherwise."""
    language = get_language()
    keys = []
    for row in found.shown:
        digest = hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()
        keys.append(f"board-row:{exercise.pk}:{language}:{token_of}:{digest}")
    kept = cache.get_many(keys) if keys else {}
    drawn: dict[str, str] = {}
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    clock_url = reverse("workshops:clock", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    reset_url = reverse("workshops:reset", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    exercise_url = reverse("workshops:exercise", kwargs={"pk": exercise.workshop_id, "ex": exercise.pk})
    html = []
    for key, row in zip(keys, found.shown, strict=True):
        if key not in kept:
            drawn[key] = render_to_string("workshops/_board_row.html", {
                "row": row, "csrf": csrf, "clock_url": clock_url, "reset_url": reset_url,
                "exercise_url": exercise_url})
        html.append(mark_safe(kept.get(key) or drawn[key]))
    if drawn:
        cache.set_many(drawn, timeout=ROW_TTL)
    return html
