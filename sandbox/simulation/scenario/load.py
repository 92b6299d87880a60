"""Read a scenario file and check it against the schema and a configuration.

Every problem is reported as `PATH:LINE: message`; a scenario with problems is
never seeded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import ValidationError

from sandbox.cases.models.case import RegistrationStatus, Stage, Status
from sandbox.common.actions import EVENT_ACTION_NAMES
from sandbox.common.sourcefiles import Problem, Source, read_yaml, validation_problems
from sandbox.configuration.runtime import BundleConfig, ModuleDef

from ..dispatch import HANDLERS, PARAMETERS
from ..simtime import parse_start, resolve
from .actions import check_action, check_actors
from .details import DETAIL_VALUES, EVENT_PATHS, OPERATORS, detail_keys
from .portable import TRACING_DATA, Resolved, resolve_scenario
from .portable_rules import condition_actions
from .rules import RECORD_FIELDS, RECORD_STATUSES
from .schema import FocalCase, Scenario


@dataclass
class ParsedScenario:
    path: Path
    scenario: Scenario | None = None
    source: Source | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems



#: A text missing in one of the scenario's languages ("brief: missing 'sw' text").
GAP = re.compile(r": missing '[\w-]+' text$")
MISSING_TEXT = "missing-translation"

def find_scenario(name: str) -> Path:
    """A scenario file from an id or a path."""
    path = Path(name)
    if path.exists():
        return path
    root = Path(settings.SCENARIOS_DIR)
    for candidate in (root / f"{name}.yaml", root / name):
        if candidate.is_file():
            return candidate
    for candidate in library():
        if candidate.stem == name:
            return candidate
    return path


def library() -> list[Path]:
    """Every scenario file; the knowledge checks kept in `quizzes/` are not scenarios."""
    quizzes = Path(settings.QUIZZES_DIR).resolve()
    return sorted(p for p in Path(settings.SCENARIOS_DIR).rglob("*.yaml")
                  if quizzes not in p.resolve().parents)


def read_scenario(path: Path) -> ParsedScenario:
    parsed = ParsedScenario(path=path)
    source, problems = read_yaml(path)
    parsed.problems.extend(problems)
    if source is None:
        return parsed
    parsed.source = source
    if not isinstance(source.data, dict):
        parsed.problems.append(source.problem("a scenario file is a mapping (id, version, ...)"))
        return parsed
    try:
        parsed.scenario = Scenario.model_validate(source.data)
    except ValidationError as exc:
        parsed.problems.extend(validation_problems(exc, source, (), Scenario))
    return parsed


@dataclass
class Checked:
    """A scenario checked against one bundle: its problems, what was left out on that
    bundle (notes), and the concrete scenario (None when it could not be resolved)."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    resolved: Resolved | None = None


def check_scenario(parsed: ParsedScenario, config: BundleConfig | None) -> list[Problem]:
    """Problems of a well-formed scenario against a configuration (see `check_against`)."""
    return check_against(parsed, config).problems


def check_against(parsed: ParsedScenario, config: BundleConfig | None) -> Checked:
    """Resolve the scenario's concepts for `config`, then check everything it does: texts,
    cases, injects, every action's actor role against its permissions and every action
    parameter against the bundle's lookups, each problem at its own line."""
    checked = Checked()
    scenario, source = parsed.scenario, parsed.source
    if scenario is None or source is None:
        return checked
    if config is None:
        checked.problems.append(source.problem(
            f"configuration bundle '{scenario.config}' is not loaded (run: manage.py load_config)",
            "config"))
        return checked
    resolved = resolve_scenario(scenario, config)
    checked.resolved = resolved
    checked.problems.extend(source.problem(n.message, *n.keys) for n in resolved.problems)
    checked.notes.extend(source.problem(n.message, *n.keys) for n in resolved.notes)
    module = config.modules.get(resolved.scenario.module)
    if module is None:
        return checked
    checked.problems.extend(_check_concrete(resolved, source, config, module))
    # A language the bundle has no labels in: its trainees would read the brief in their
    # language and every form in the bundle's first language.
    unlabelled = [lang for lang in scenario.languages if lang not in config.languages]
    if unlabelled:
        message = (f"language(s) {', '.join(unlabelled)} declared, but bundle '{config.code}' has "
                   f"no labels in them (its languages: {', '.join(config.languages)}): trainees "
                   f"would see its forms in another language")
        target = checked.problems if config.code == scenario.config else checked.notes
        target.append(source.problem(message, "languages"))
    # A text missing in a declared language is an error; its code lets a report fold the
    # gaps into one line per language (validate_scenarios without --verbose).
    checked.problems = sorted({replace(p, code=MISSING_TEXT) if GAP.search(p.message) else p
                               for p in checked.problems}, key=lambda p: (p.line, p.message))
    return checked


def _check_concrete(resolved: Resolved, source: Source, config: BundleConfig,
                    module: ModuleDef) -> list[Problem]:
    scenario = resolved.scenario
    problems: list[Problem] = []

    def add(message: str, *keys: str | int) -> None:
        problems.append(source.problem(message, *resolved.origin(tuple(keys))))

    _check_texts(scenario, add)
    start = parse_start(scenario.start)

    trainees = [ref for ref, r in scenario.roles.items() if r.played_by == "trainee"]
    if not trainees:
        add("no role is played by a trainee", "roles")
    for ref, role in scenario.roles.items():
        if role.role not in config.roles:
            continue  # reported by the resolution
        if role.agency and role.agency not in config.agencies:
            add(f"role '{ref}': unknown agency '{role.agency}'", "roles", ref, "agency")
        for i, group in enumerate(role.user_groups):
            if group not in config.user_groups:
                add(f"role '{ref}': unknown user group '{group}'", "roles", ref, "user_groups", i)

    refs: set[str] = set()
    for i, case in enumerate(scenario.world.cases):
        _check_case(case, ("world", "cases", i), scenario, config, module, add, refs, start,
                    history=True)
    new_cases = [(i, inject.new_case) for i, inject in enumerate(scenario.timeline)
                 if inject.new_case]
    for i, case in new_cases:
        _check_case(case, ("timeline", i, "new_case"), scenario, config, module, add, refs, start,
                    history=False)

    background = scenario.world.background
    if background is not None:
        if background.owner not in scenario.roles:
            add(f"background: unknown role '{background.owner}'", "world", "background", "owner")
        risks = _risk_levels(config, module)
        for level in background.risk:
            if level not in risks:
                add(f"background: unknown risk level '{level}'", "world", "background", "risk", level)

    seen: set[str] = set()
    for i, inject in enumerate(scenario.timeline):
        where = ("timeline", i)
        if inject.id in seen:
            add(f"duplicate inject id '{inject.id}'", *where, "id")
        seen.add(inject.id)
        if (inject.at is None) == (inject.after is None):
            add(f"inject '{inject.id}': give exactly one of 'at' or 'after'", *where)
        if inject.at is not None:
            when = resolve(inject.at, start)
            if when < start:
                add(f"inject '{inject.id}': '{inject.at}' is before the start of the exercise",
                    *where, "at")
        if inject.after is not None:
            if inject.after.action not in EVENT_ACTION_NAMES:
                add(f"inject '{inject.id}': unknown action '{inject.after.action}'",
                    *where, "after", "action")
            if inject.after.case and inject.after.case not in refs:
                add(f"inject '{inject.id}': unknown case '{inject.after.case}'", *where, "after", "case")
        if not (inject.message or inject.update or inject.new_case):
            add(f"inject '{inject.id}' does nothing (give a message, an update or a new_case)", *where)
        if inject.update is not None:
            if inject.update.case not in refs:
                add(f"inject '{inject.id}': unknown case '{inject.update.case}'",
                    *where, "update", "case")
            _check_data(inject.update.data, config, module, add, (*where, "update", "data"))

    for ref, _actor in scenario.actors.items():
        role = scenario.roles.get(ref)
        if role is None:
            add(f"actors: unknown role '{ref}'", "actors", ref)
        elif role.played_by != "simulated":
            add(f"actors: role '{ref}' is played by a trainee, not simulated", "actors", ref)

    steps = [(("solution", i), step) for i, step in enumerate(scenario.solution)]
    if scenario.sloppy is not None:
        steps += [(("sloppy", "solution", i), step) for i, step in enumerate(scenario.sloppy.solution)]
    for where, step in steps:
        if (step.do is None) == (step.advance is None):
            add("a solution step has either 'do' (with 'as') or 'advance'", *where)
            continue
        if step.do is None:
            continue
        if step.do not in HANDLERS:
            add(f"unknown action '{step.do}'", *where, "do")
            continue
        actor_ref = step.as_ or (trainees[0] if trainees else "")
        role = scenario.roles.get(actor_ref)
        if role is None:
            add(f"unknown role '{actor_ref}'", *where, "as")
        check_action(step.do, step.with_, actor_ref, scenario, config, module, add, where)
        if step.case is not None and step.case not in refs:
            add(f"unknown case '{step.case}'", *where, "case")
        unknown = set(step.with_) - PARAMETERS[step.do]
        for key in sorted(unknown):
            add(f"'{step.do}' takes no parameter '{key}' "
                f"(takes: {', '.join(sorted(PARAMETERS[step.do])) or 'none'})", *where, "with", key)
        if step.do in TRACING_DATA and isinstance(step.with_.get("data"), dict):
            # A tracing request's own fields (the service checks their values at play time).
            from sandbox.tracing.services import FIELDS

            for key in sorted(set(step.with_["data"]) - set(FIELDS)):
                add(f"unknown tracing request field '{key}' (one of: {', '.join(FIELDS)})",
                    *where, "with", "data", key)
        elif "data" in step.with_ and isinstance(step.with_["data"], dict):
            _check_data(step.with_["data"], config, module, add, (*where, "with", "data"))
        for key in ("to",):
            if key in step.with_ and step.with_[key] not in scenario.roles:
                add(f"unknown role '{step.with_[key]}'", *where, "with", key)

    check_actors(scenario, config, module, add)
    _check_rules(scenario, module, refs, add)
    return problems


CASE_COLUMNS = {"status", "stage", "risk_level", "registration_status", "flagged", "owner",
                "location", "agency"}


def _check_rules(scenario: Scenario, module: ModuleDef, refs: set[str], add: Any) -> None:
    rule_ids: set[str] = set()
    for i, rule in enumerate(scenario.expected):
        where = ("expected", i)
        if rule.id in rule_ids:
            add(f"duplicate rule id '{rule.id}'", *where, "id")
        rule_ids.add(rule.id)
        for ref in rule.cases():
            if ref is not None and ref not in refs:
                add(f"rule '{rule.id}': unknown case '{ref}'", *where, "case")
        if rule.objective is not None and rule.objective > len(scenario.objectives):
            add(f"rule '{rule.id}': objective {rule.objective} is not announced (the scenario "
                f"has {len(scenario.objectives)} objective(s))", *where, "objective")
        if rule.by is not None and rule.by not in scenario.roles:
            add(f"rule '{rule.id}': unknown role '{rule.by}'", *where, "by")
        for key in ("action", "first", "then", "after"):
            action = getattr(rule, key, None)
            if action is not None and action not in EVENT_ACTION_NAMES:
                add(f"rule '{rule.id}': unknown action '{action}'", *where, key)
        field_name = getattr(rule, "field", None)
        if field_name is not None:
            if field_name.startswith("data."):
                if field_name[5:] not in module.fields:
                    add(f"rule '{rule.id}': unknown field '{field_name[5:]}'", *where, "field")
            elif field_name not in CASE_COLUMNS:
                add(f"rule '{rule.id}': unknown case field '{field_name}' (one of "
                    f"{', '.join(sorted(CASE_COLUMNS))}, or data.<field>)", *where, "field")
        _check_conditions(rule, module, add, where)
        if rule.rule == "record":
            _check_record(rule, add, where)
        if rule.rule == "final":
            for key, value in (("equals", rule.equals), ("not_equals", rule.not_equals),
                               ("in", rule.in_)):
                if value is not None:
                    _check_column_values(rule, rule.field, value, add, *where, key)
        if rule.rule == "final" and not rule.cases()[0]:
            add(f"rule '{rule.id}': a 'final' rule names its case", *where)
        for lang in scenario.languages:
            for what, text in (("title", rule.title), ("feedback", rule.feedback)):
                if text is not None and not (text.get(lang) or "").strip():
                    add(f"rule '{rule.id}' {what}: missing '{lang}' text", *where, what)
    if scenario.expected and scenario.solution and not any(
            r.rule != "never" and r.points for r in scenario.expected):
        add("no rule gives points", "expected")


def _check_conditions(rule: Any, module: ModuleDef, add: Any, where: tuple[str | int, ...]) -> None:
    """Every `where`/`when` condition can be evaluated: a known operator, a detail the
    action records, a case column or field, a value of the column's vocabulary."""
    for name, action in condition_actions(rule):
        for key, condition in (getattr(rule, name, None) or {}).items():
            at = (*where, name, key)
            if isinstance(condition, dict):
                ops = list(condition)
                if len(ops) != 1 or ops[0] not in OPERATORS:
                    add(f"rule '{rule.id}': unknown operator {', '.join(map(str, ops)) or '{}'} "
                        f"in {name}.{key} (one of: {', '.join(OPERATORS)}; or a plain value)", *at)
                    continue
                op, arg = ops[0], condition[ops[0]]
                if op == "in" and not isinstance(arg, list):
                    add(f"rule '{rule.id}': {name}.{key}: 'in' takes a list", *at)
                    continue
                if op == "exists" and not isinstance(arg, bool):
                    add(f"rule '{rule.id}': {name}.{key}: 'exists' takes true or false", *at)
                    continue
            if name == "when":
                field_ok = key in CASE_COLUMNS or (key.startswith("data.") and key[5:] in module.fields)
                if not field_ok:
                    add(f"rule '{rule.id}': when.{key}: not a case column ("
                        f"{', '.join(sorted(CASE_COLUMNS))}) nor data.<field>", *at)
                    continue
                _check_column_values(rule, key, condition, add, *at)
                continue
            head, _dot, detail = key.partition(".")
            if head == "details":
                known = detail_keys(action)
                if known is not None and detail not in known and detail != "kind":
                    hint = difflib.get_close_matches(detail, known, n=1)
                    add(f"rule '{rule.id}': {name}.{key}: '{action}' records no detail '{detail}'"
                        + (f" (did you mean '{hint[0]}'?)" if hint else "")
                        + f"; it records: {', '.join(known) or 'no details'}", *at)
                elif detail in DETAIL_VALUES:
                    _check_vocabulary(rule, f"{name}.{key}", condition, DETAIL_VALUES[detail],
                                      add, *at)
            elif head == "changes":
                _check_column_values(rule, detail, condition, add, *at)
            elif key not in EVENT_PATHS:
                add(f"rule '{rule.id}': {name}.{key}: an event has details.<key>, changes.<key>, "
                    f"{', '.join(EVENT_PATHS)}", *at)


def _check_vocabulary(rule: Any, name: str, condition: Any, allowed: tuple[str, ...], add: Any,
                      *at: str | int) -> None:
    """Every value a condition names is one of a fixed vocabulary."""
    arg = next(iter(condition.values())) if isinstance(condition, dict) and len(condition) == 1 \
        else condition
    if isinstance(condition, dict) and "exists" in condition:
        return
    for value in arg if isinstance(arg, list) else [arg]:
        if value not in allowed:
            add(f"rule '{rule.id}': {name}: '{value}' is not one of: {', '.join(allowed)}", *at)


def _check_record(rule: Any, add: Any, where: tuple[str | int, ...]) -> None:
    fields, statuses = RECORD_FIELDS[rule.record], RECORD_STATUSES[rule.record]
    for key, condition in rule.where.items():
        if key not in fields:
            add(f"rule '{rule.id}': a {rule.record} has no field '{key}' (it has: "
                f"{', '.join(fields)})", *where, "where", key)
        _check_operator(rule, f"where.{key}", condition, add, *where, "where", key)
    condition = rule.status
    if not _check_operator(rule, "status", condition, add, *where, "status"):
        return
    values = condition["in"] if isinstance(condition, dict) and "in" in condition else (
        [condition["not"]] if isinstance(condition, dict) and "not" in condition else
        [] if isinstance(condition, dict) else [condition])
    for value in values:
        if value not in statuses:
            add(f"rule '{rule.id}': '{value}' is not a status of a {rule.record} (one of: "
                f"{', '.join(statuses)})", *where, "status")


def _check_operator(rule: Any, name: str, condition: Any, add: Any, *at: str | int) -> bool:
    if not isinstance(condition, dict):
        return True
    ops = list(condition)
    if len(ops) != 1 or ops[0] not in OPERATORS:
        add(f"rule '{rule.id}': unknown operator {', '.join(map(str, ops)) or '{}'} in {name} "
            f"(one of: {', '.join(OPERATORS)}; or a plain value)", *at)
        return False
    if ops[0] == "in" and not isinstance(condition["in"], list):
        add(f"rule '{rule.id}': {name}: 'in' takes a list", *at)
        return False
    return True


#: The fixed vocabularies of case columns (the same on every bundle).
COLUMN_VALUES: dict[str, tuple[Any, ...]] = {
    "stage": tuple(Stage.values), "status": tuple(Status.values),
    "registration_status": tuple(RegistrationStatus.values), "flagged": (True, False)}


def _check_column_values(rule: Any, column: str, condition: Any, add: Any, *at: str | int) -> None:
    allowed = COLUMN_VALUES.get(column)
    if allowed is None:
        return
    if isinstance(condition, dict) and len(condition) == 1:
        op, arg = next(iter(condition.items()))
        values = arg if op == "in" and isinstance(arg, list) else [] if op == "exists" else [arg]
    elif isinstance(condition, list):
        values = condition
    else:
        values = [condition]
    for value in values:
        if value not in allowed:
            add(f"rule '{rule.id}': '{value}' is not a value of {column} (one of: "
                f"{', '.join(map(str, allowed))})", *at)


def _check_texts(scenario: Scenario, add: Any) -> None:
    languages = scenario.languages

    def text(value: dict[str, str] | None, what: str, *keys: str | int) -> None:
        if value is None:
            return
        for lang in languages:
            if not (value.get(lang) or "").strip():
                add(f"{what}: missing '{lang}' text", *keys)

    text(scenario.title, "title", "title")
    text(scenario.brief, "brief", "brief")
    for i, objective in enumerate(scenario.objectives):
        text(objective, "objective", "objectives", i)
    for i, question in enumerate(scenario.discussion):
        text(question, "discussion question", "discussion", i)
    for i, inject in enumerate(scenario.timeline):
        text(inject.message, f"inject '{inject.id}' message", "timeline", i, "message")
        text(inject.sender, f"inject '{inject.id}' sender", "timeline", i, "sender")
    for name, actor in scenario.actors.items():
        decisions = [(f"approvals.{kind}", d) for kind, d in actor.approvals.items()]
        decisions += [(kind, getattr(actor, kind)) for kind in ("referrals", "transfers")
                      if getattr(actor, kind) is not None]
        for path, decision in decisions:
            for key in ("comment", "approve_comment"):
                text(getattr(decision, key), f"actor '{name}' {path} {key}",
                     "actors", name, *path.split("."), key)


def _risk_levels(config: BundleConfig, module: ModuleDef) -> set[str]:
    field_def = module.fields.get(module.core_fields["risk_level"])
    if field_def is None or not field_def.lookup:
        return set()
    return set(config.lookups[field_def.lookup].options)


def _check_data(data: dict[str, Any], config: BundleConfig, module: ModuleDef, add: Any,
                where: tuple[str | int, ...]) -> None:
    from sandbox.cases.formdata import clean_value

    for key, value in data.items():
        field_def = module.fields.get(key)
        if field_def is None:
            add(f"unknown field '{key}' in module '{module.code}'", *where, key)
            continue
        try:
            clean_value(field_def, value, config)
        except ValueError as exc:
            add(f"field '{key}': {exc}", *where, key)


def _check_case(case: FocalCase, where: tuple[str | int, ...], scenario: Scenario,
                config: BundleConfig, module: ModuleDef, add: Any, refs: set[str],
                start: Any, history: bool) -> None:
    if case.ref in refs:
        add(f"duplicate case reference '{case.ref}'", *where, "ref")
    refs.add(case.ref)
    if case.owner not in scenario.roles:
        add(f"case '{case.ref}': unknown role '{case.owner}'", *where, "owner")
    risks = _risk_levels(config, module)
    if case.risk is not None and case.risk not in risks:
        add(f"case '{case.ref}': unknown risk level '{case.risk}' (one of: {', '.join(sorted(risks))})",
            *where, "risk")
    sex_field = module.fields.get(module.core_fields["sex"])
    if case.child.sex is not None and sex_field and sex_field.lookup and \
            case.child.sex not in config.lookups[sex_field.lookup].options:
        add(f"case '{case.ref}': unknown sex '{case.child.sex}'", *where, "child", "sex")
    if case.child.location is not None and case.child.location not in config.locations:
        add(f"case '{case.ref}': unknown location '{case.child.location}'", *where, "child", "location")
    _check_data(case.data, config, module, add, (*where, "data"))
    for i, step in enumerate(case.history):
        step_where = (*where, "history", i)
        if not history:
            add("a case arriving during the exercise has no history", *step_where)
            continue
        if step.do not in HANDLERS:
            add(f"unknown action '{step.do}'", *step_where, "do")
            continue
        when = resolve(step.at, start)
        if when > start:
            add(f"history step '{step.do}' at '{step.at}' is after the start of the exercise",
                *step_where, "at")
        actor_ref = step.as_ or case.owner
        if actor_ref not in scenario.roles:
            add(f"unknown role '{actor_ref}'", *step_where, "as")
        check_action(step.do, step.with_, actor_ref, scenario, config, module, add, step_where)
        for key in sorted(set(step.with_) - PARAMETERS[step.do]):
            add(f"'{step.do}' takes no parameter '{key}'", *step_where, "with", key)
