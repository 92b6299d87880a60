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
from django.utils.translation import gettext_lazy

from sandbox.cases.models import Case
from sandbox.cases.views.display import action_label
from sandbox.common.i18n import babel_locale, format_datetime, pick
from sandbox.simulation.models import SpaceSeed

from .models import Report
from .steps import count_steps


def _cases(report: Report) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Cases of the report's space by display id ({number, name, url}), and the scenario's
    case references -> display ids."""
    return _space_cases(report.space_id, report.space_slug)


def _space_cases(space_id: int | None, slug: str) -> tuple[dict[str, dict[str, str]],
                                                          dict[str, str]]:
    if space_id is None:
        return {}, {}
    seed = SpaceSeed.objects.filter(space_id=space_id).values("cases").first()
    pk_of_ref = (seed or {}).get("cases") or {}
    rows = Case.objects.filter(space_id=space_id).values("pk", "display_id", "name_first",
                                                          "name_last")
    by_display: dict[str, dict[str, str]] = {}
    display_of_pk: dict[int, str] = {}
    for row in rows:
        name = " ".join(p for p in (row["name_first"], row["name_last"]) if p)
        by_display[row["display_id"]] = {
            "number": row["display_id"], "name": name,
            "url": reverse("cases:detail", kwargs={"space": slug,
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


#: The parameters of a solution step shown to people, with their label: the words of
#: the case system's own forms (free text is quoted; form data is not spelled out).
PARAMETER_LABELS: dict[str, Any] = {
    "service_type": gettext_lazy("Service"), "reason": gettext_lazy("Reason"),
    "consent_type": gettext_lazy("Consent"), "given": gettext_lazy("Given"),
    "given_by": gettext_lazy("Given by"), "kind": gettext_lazy("Approval of"),
    "approve": gettext_lazy("Approved"), "urgency": gettext_lazy("Urgency"),
    "to": gettext_lazy("To"), "to_agency": gettext_lazy("Agency"),
    "followup_type": gettext_lazy("Type of follow-up"), "risk_level": gettext_lazy("Risk level now"),
    "query": gettext_lazy("Search"), "disclosed": gettext_lazy("Information shared with the recipient"),
    "comment": gettext_lazy("Comment"), "notes": gettext_lazy("Notes"),
    "findings": gettext_lazy("Findings"),
}
#: Parameters whose values are options of a system lookup.
PARAMETER_LOOKUPS = {"service_type": "service_type", "reason": "referral_reason",
                     "consent_type": "consent_type", "followup_type": "followup_type"}


def model_answer(report: Report) -> list[dict[str, Any]]:
    """The scenario's reference solution, step by step, for people: from the scenario the
    space was seeded from (never the file as it is now). Each step: `label` (the action's
    translated name, or the time to let pass), `case_info`, `by` (a simulated or other
    role's name) and `params` [(label, value)]."""
    return solution_steps(report.space_id, report.space_slug)


def solution_steps(space_id: int | None, slug: str) -> list[dict[str, Any]]:
    """The model answer of the scenario a space was seeded from (see `model_answer`), with
    that space's cases: what the trainer's debrief shows for a whole exercise."""
    from sandbox.cases.disclosures import Disclosure
    from sandbox.cases.models import ApprovalKind
    from sandbox.cases.views.display import NO, YES, lookup_label
    from sandbox.simulation.simtime import parse_duration
    from sandbox.simulation.world import scenario_of
    from sandbox.spaces.models import Member

    seed = SpaceSeed.objects.filter(space_id=space_id).select_related("space").first()
    if seed is None:
        return []
    scenario = scenario_of(seed)
    config = seed.space.config
    module = config.modules[seed.space.module]
    cases, refs = _space_cases(space_id, slug)
    names = dict(Member.objects.filter(space_id=space_id).exclude(ref="")
                 .values_list("ref", "name"))
    trainees = {ref for ref, role in scenario.roles.items() if role.played_by == "trainee"}

    def value_text(key: str, value: Any) -> str:
        if isinstance(value, bool):
            return str(YES if value else NO)
        if isinstance(value, list):
            return ", ".join(value_text(key, v) for v in value)
        text = str(value)
        if key in PARAMETER_LOOKUPS:
            return lookup_label(config, module.system_lookups.get(PARAMETER_LOOKUPS[key]), text)
        if key == "urgency":
            return lookup_label(config, "urgency", text)
        if key == "kind" and text in ApprovalKind.values:
            return str(ApprovalKind(text).label)
        if key == "disclosed" and text in Disclosure.values:
            return str(Disclosure(text).label)
        if key == "to":
            return names.get(text, text)
        if key == "to_agency" and text in config.agencies:
            return pick(config.agencies[text].name) or text
        return f"“{text}”" if key in ("query", "comment", "notes", "findings") else text

    steps = []
    for step in scenario.solution:
        if step.advance:
            minutes = int(parse_duration(step.advance).total_seconds() // 60)
            steps.append({"label": _("Let %(duration)s pass (simulated time)")
                          % {"duration": duration_text(minutes)}, "wait": True,
                          "case_info": None, "by": "", "params": []})
            continue
        display = refs.get(step.case or "", "")
        actor = step.as_ or ""
        steps.append({
            "label": action_label(step.do or ""), "wait": False,
            "case_info": cases.get(display),
            "by": names.get(actor, actor) if actor and actor not in trainees else "",
            "params": [(str(PARAMETER_LABELS[k]), value_text(k, v))
                       for k, v in step.with_.items()
                       if k in PARAMETER_LABELS and v not in (None, "", [])],
        })
    return steps
