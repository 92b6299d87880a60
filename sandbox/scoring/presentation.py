"""A kept score report, written for people: what the report page shows.

The stored report speaks the scorer's language (action codes, rule ids, the
scenario's case references, ISO times). The page shows instead the action's
translated name, the case number and the child's name (with a link to the case),
times in the reader's locale, each rule's title, and its evidence as sentences:
"Registered the child — 2 Mar 2026, 09:10 — CP-0003 Amina".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_timedelta
from django.urls import reverse
from django.utils.translation import gettext as _

from sandbox.cases.models import Case
from sandbox.cases.views.display import action_label
from sandbox.common.i18n import babel_locale, format_datetime, pick
from sandbox.simulation.models import SpaceSeed

from .models import Report
from .steps import count_steps


def _cases(report: Report) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Cases of the report's space by display id ({number, name, url}), and the scenario's
    case references -> display ids."""
    if report.space_id is None:
        return {}, {}
    seed = SpaceSeed.objects.filter(space_id=report.space_id).values("cases").first()
    pk_of_ref = (seed or {}).get("cases") or {}
    rows = Case.objects.filter(space_id=report.space_id).values("pk", "display_id", "name_first",
                                                                 "name_last")
    by_display: dict[str, dict[str, str]] = {}
    display_of_pk: dict[int, str] = {}
    for row in rows:
        name = " ".join(p for p in (row["name_first"], row["name_last"]) if p)
        by_display[row["display_id"]] = {
            "number": row["display_id"], "name": name,
            "url": reverse("cases:detail", kwargs={"space": report.space_slug,
                                                    "display_id": row["display_id"]})}
        display_of_pk[row["pk"]] = row["display_id"]
    refs = {ref: display_of_pk[pk] for ref, pk in pk_of_ref.items() if pk in display_of_pk}
    return by_display, refs


def duration_text(minutes: int | None) -> str:
    """A simulated duration as people say it, in the reader's language."""
    if minutes is None:
        return ""
    if minutes <= 0:
        return _("straight away")
    return format_timedelta(dt.timedelta(minutes=minutes), granularity="minute", threshold=1.5,
                            locale=babel_locale())


def for_people(report: Report) -> dict[str, Any]:
    """`met`, `missed` and `timeline` of a kept report, ready for the report page."""
    cases, refs = _cases(report)
    titles = {r["id"]: pick(r.get("title")) or _("an expected step") for r in report.result["rules"]}
    timeline = []
    by_sequence: dict[int, dict[str, Any]] = {}
    for row in report.timeline:
        when = dt.datetime.fromisoformat(row["sim_time"]) if row.get("sim_time") else None
        case = cases.get(row.get("case") or "")
        shown = {
            **row, "label": action_label(row["action"]), "at": when,
            "when_text": format_datetime(when) if when else row.get("when", ""),
            "case_info": case or ({"number": row["case"], "name": "", "url": ""} if row.get("case")
                                  else None),
            "verdicts": [{"title": titles.get(v["id"], ""), "passed": v["passed"]}
                         for v in row.get("rules", [])],
        }
        timeline.append(shown)
        by_sequence[row["sequence"]] = shown
    rules = []
    for rule in report.result["rules"]:
        evidence = []
        for sequence in rule.get("evidence", []):
            row = by_sequence.get(sequence)
            if row is None:  # an event of the seeded history, before the attempt
                continue
            parts = [row["label"], row["when_text"]]
            if row["case_info"]:
                parts.append(" ".join(p for p in (row["case_info"]["number"],
                                                  row["case_info"]["name"]) if p))
            evidence.append(" — ".join(p for p in parts if p))
        named = []
        for ref, ok in (rule.get("cases") or {}).items():
            info = cases.get(refs.get(ref, ""), {"number": "", "name": "", "url": ""})
            named.append({**info, "passed": ok})
        rules.append({**rule, "title_text": titles[rule["id"]], "evidence_text": evidence,
                      "cases_named": named, "elapsed_text": duration_text(rule.get("elapsed_minutes"))})
    return {
        "steps": count_steps(report.result["rules"]),
        "met": [r for r in rules if r["passed"] and r["rule"] != "never"],
        "missed": [r for r in rules if not r["passed"]],
        "timeline": timeline,
        "report_cases": [cases[d] for d in dict.fromkeys(refs.values()) if d in cases],
    }
