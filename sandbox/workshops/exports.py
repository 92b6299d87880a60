"""Exporting results: a CSV table, and xAPI statements for a learning record store."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from django.conf import settings

from .models import Attempt, Exercise
from .selectors import results

XAPI_VERSION = "1.0.3"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


#: A cell starting with one of these is a formula for a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: str) -> str:
    """Text typed by people, made inert for spreadsheets: a leading quote before a formula.

    Only text cells go through here; the numbers the sandbox computes stay numbers.
    """
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def results_csv(exercise: Exercise) -> str:
    """One row per submitted attempt, one column per rule (1 met, 0 not)."""
    found = results(exercise)
    # Every rule, `never` rules included (the chart shows steps only; the file keeps all).
    rule_ids = list(dict.fromkeys(r["id"] for a in found.attempts if a.report
                                  for r in a.report.result["rules"]))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["workshop", "exercise", "scenario", "trainee", "username", "email",
                     "organisation", "attempt", "submitted_at", "score", "max_score", "percent",
                     "passed", *rule_ids])
    for attempt in found.attempts:
        user = attempt.enrolment.user
        report = attempt.report
        passed_rules = {r["id"]: r["passed"] for r in report.result["rules"]} if report else {}
        writer.writerow([
            *map(safe_cell, [exercise.workshop.title, exercise.title, exercise.scenario_id,
                             user.display_name, user.username, user.email,
                             attempt.enrolment.organisation]),
            attempt.number,
            attempt.submitted_at.isoformat() if attempt.submitted_at else "",
            f"{report.score:g}" if report else "", report.max_score if report else "",
            f"{report.percent:.1f}" if report else "", int(report.passed) if report else "",
            *[int(passed_rules.get(rid, False)) for rid in rule_ids]])
    return out.getvalue()


def statement(attempt: Attempt) -> dict[str, Any]:
    """The xAPI statement of one submitted attempt ("completed", with result.score)."""
    base = site_url()
    user = attempt.enrolment.user
    exercise = attempt.exercise
    report = attempt.report
    assert report is not None
    actor: dict[str, Any] = {"objectType": "Agent", "name": user.display_name}
    if user.email:
        actor["mbox"] = f"mailto:{user.email}"
    else:
        actor["account"] = {"homePage": base, "name": user.username}
    scaled = max(-1.0, min(1.0, report.percent / 100.0))
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/attempts/{attempt.pk}")),
        "version": XAPI_VERSION,
        "actor": actor,
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": f"{base}/scenarios/{exercise.scenario_id}",
            "definition": {
                "name": {"en-US": exercise.title},
                "type": "http://adlnet.gov/expapi/activities/simulation",
            },
        },
        "result": {
            "score": {"scaled": round(scaled, 4), "raw": round(report.score, 2), "min": 0,
                      "max": report.max_score},
            "success": report.passed,
            "completion": True,
        },
        "context": {
            "contextActivities": {"parent": [{"id": f"{base}/workshops/{exercise.workshop_id}",
                                              "objectType": "Activity"}]},
            "extensions": {f"{base}/xapi/extensions/attempt": attempt.number,
                           f"{base}/xapi/extensions/scenario-version": report.scenario_version},
        },
        "timestamp": (attempt.submitted_at or report.submitted_at).isoformat(),
    }


def xapi_statements(exercise: Exercise) -> list[dict[str, Any]]:
    return [statement(a) for a in results(exercise).attempts if a.report is not None]



