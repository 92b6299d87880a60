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
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"


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


def _language_map(texts: Any, languages: list[str], fallback: str) -> dict[str, str]:
    """A scenario's `{locale: text}` as an xAPI language map: its languages, texts given."""
    found = {lang: str(text) for lang, text in (texts or {}).items()
             if text and (not languages or lang in languages)}
    return found or {(languages or ["en"])[0]: fallback}


def _scenario_texts(exercise: Exercise) -> tuple[dict[str, str], list[str]]:
    """The scenario's title in each of its languages, and those languages."""
    from .services import scenario_summary

    summary = scenario_summary(exercise.scenario_id) or {}
    languages = list(summary.get("languages") or [exercise.workshop.language])
    return _language_map(summary.get("title"), languages, exercise.title), languages


def actor(user: Any) -> dict[str, Any]:
    """The trainee as an xAPI agent: an account of the sandbox named by the user's stable id
    (no e-mail, no name: a store outside the sandbox learns no more than it needs)."""
    return {"objectType": "Agent", "account": {"homePage": site_url(), "name": str(user.pk)}}


def registration(attempt: Attempt) -> str:
    """The attempt's registration: the same UUID in each of its statements, and at each send."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url()}/attempts/{attempt.pk}/registration"))


def statement_id(attempt: Attempt, step: str = "") -> str:
    """Deterministic: the attempt's "completed" (no step), or its statement about one step."""
    name = f"{site_url()}/attempts/{attempt.pk}" + (f"/steps/{step}" if step else "")
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _score(raw: float, maximum: float) -> dict[str, Any]:
    raw = round(float(raw), 2)
    low, high = min(0.0, raw), max(float(maximum), raw)
    scaled = raw / maximum if maximum else 0.0
    return {"scaled": round(max(-1.0, min(1.0, scaled)), 4), "raw": raw, "min": low, "max": high}


def statements(attempt: Attempt) -> list[dict[str, Any]]:
    """The xAPI statements of one submitted attempt: "completed" with the score, then
    "passed" or "failed" for each step of the scenario (a rule that gives points)."""
    from sandbox.scoring.steps import is_step

    base = site_url()
    exercise = attempt.exercise
    report = attempt.report
    assert report is not None
    title, languages = _scenario_texts(exercise)
    scenario = {"objectType": "Activity", "id": f"{base}/scenarios/{exercise.scenario_id}",
                "definition": {"name": title,
                               "type": "http://adlnet.gov/expapi/activities/simulation"}}
    exercise_url = f"{base}/workshops/{exercise.workshop_id}/exercises/{exercise.pk}"
    attempt_activity = {"objectType": "Activity", "id": f"{exercise_url}/attempts/{attempt.pk}",
                        "definition": {"type": "http://adlnet.gov/expapi/activities/attempt"}}
    workshop = {"objectType": "Activity", "id": f"{base}/workshops/{exercise.workshop_id}",
                "definition": {"type": "http://adlnet.gov/expapi/activities/course"}}
    context: dict[str, Any] = {
        "registration": registration(attempt),
        "contextActivities": {"grouping": [attempt_activity, workshop]},
        "extensions": {f"{base}/xapi/extensions/attempt": attempt.number,
                       f"{base}/xapi/extensions/scenario-version": report.scenario_version},
    }
    timestamp = (attempt.submitted_at or report.submitted_at).isoformat()
    who = actor(attempt.enrolment.user)
    found = [{
        "id": statement_id(attempt), "version": XAPI_VERSION, "actor": who,
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": scenario,
        "result": {"score": _score(report.score, report.max_score), "success": report.passed,
                   "completion": True},
        "context": context, "timestamp": timestamp,
    }]
    for rule in report.result.get("rules", []):
        if not is_step(rule):
            continue
        label = str(rule["id"]).replace("-", " ").replace("_", " ").capitalize()
        name = _language_map(rule.get("title"), languages, label)
        step = {"objectType": "Activity",
                "id": f"{base}/scenarios/{exercise.scenario_id}/steps/{rule['id']}",
                "definition": {"name": name,
                               "description": _language_map(rule.get("feedback"), languages,
                                                            next(iter(name.values()))),
                               "type": "http://adlnet.gov/expapi/activities/objective"}}
        verb = PASSED if rule["passed"] else FAILED
        found.append({
            "id": statement_id(attempt, str(rule["id"])), "version": XAPI_VERSION, "actor": who,
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
            "object": step,
            "result": {"score": _score(rule.get("points", 0), rule.get("max_points", 0)),
                       "success": bool(rule["passed"])},
            "context": {**context, "contextActivities": {
                "parent": [scenario], "grouping": [attempt_activity, workshop]}},
            "timestamp": timestamp,
        })
    return found


def xapi_statements(exercise: Exercise) -> list[dict[str, Any]]:
    """Every statement of the exercise's submitted attempts (what the download holds)."""
    return [s for a in results(exercise).attempts if a.report is not None for s in statements(a)]
