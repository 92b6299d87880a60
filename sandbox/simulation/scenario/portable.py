"""Portable scenarios: a scenario naming SOP concepts, made concrete for one bundle.

Scenario files name concepts (`case_worker`, `lead`, `family_tracing`, `high`,
`consent_share_information`...) rather than one bundle's ids; a bundle's
`mapping.yaml` says which of its ids stands for each (see
`sandbox.configuration.vocabulary`). `resolve_scenario` returns the concrete
scenario the engine runs (seeding, simulated actors and scoring are unchanged),
with two lists:

- problems: what stops the scenario from running (a role the bundle cannot
  give), and, on the scenario's own bundle, any name it does not know (a typo);
- notes: what was left out on this bundle, in words an implementer can act on
  (data with no field, a step whose consent type the bundle lacks, an SOP step
  that cannot be checked).

Items left out change list positions; `Resolved.origin` turns a position in the
concrete scenario back into the one in the file, so that every message still
points at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef
from sandbox.configuration.vocabulary import APPROVAL_KINDS, VOCABULARY, Resolver, unmapped
from sandbox.configuration.vocabulary.concepts import KIND_WORDS
from sandbox.configuration.vocabulary.resolve import module_for

from ..factories import fill_required, seeded, value_for
from ..simtime import parse_start
from .portable_rules import RulesMixin
from .schema import FocalCase, Scenario, SolutionStep

Keys = tuple[str | int, ...]

#: Action parameter -> the concept kind of its value.
PARAM_KINDS: dict[str, str] = {
    "consent_type": "consent", "service_type": "services", "urgency": "urgency",
    "to_agency": "agencies", "provider_agency": "agencies", "followup_type": "followup_types",
    "risk_level": "risk", "location": "locations",
}
#: Parameters whose kind depends on the action.
#: Actions of capabilities a bundle may not have (no role grants them: family tracing, the
#: GBV incident record): on another bundle than the scenario's own, their steps are left
#: out, as unmapped concepts are.
OPTIONAL_CAPABILITIES = ("tracing_request.create", "tracing_request.update", "trace.record",
                         "match.search", "match.confirm", "match.reject", "match.verify",
                         "reunification.record", "incident.create")
#: Actions whose `data` are a tracing request's own fields, not form field concepts.
TRACING_DATA = ("tracing_request.create", "tracing_request.update")
ACTION_PARAM_KINDS: dict[tuple[str, str], str] = {("referral.create", "reason"): "referral_reasons"}
#: Actions that save the sections of one SOP step.
STEP_OF = {"case.register": "registration", "case.identify": "registration",
           "assessment.complete": "assessment", "case_plan.save": "case_plan",
           "case.close": "closure"}


LATER = ("assessment", "case_plan", "closure")
#: Actions the case system refuses until an approval (when the policy requires it) is given.
NEEDS_APPROVAL = {"case_plan.save": "assessment", "case.close": "closure"}


@dataclass
class Note:
    """One thing said about the resolution, at a place of the scenario file."""

    message: str
    keys: Keys
    #: The SOP step (rule id) it concerns, when there is one.
    step: str | None = None


@dataclass
class Resolved:
    scenario: Scenario
    problems: list[Note] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: Rule ids (SOP steps) that cannot be checked on the bundle -> why.
    dropped_rules: dict[str, list[str]] = field(default_factory=dict)
    #: List path in the concrete scenario -> the file's index of each item kept.
    kept: dict[Keys, list[int]] = field(default_factory=dict)

    def origin(self, keys: Keys) -> Keys:
        """The path in the scenario file of a path in the concrete scenario."""
        out: list[str | int] = []
        for i, key in enumerate(keys):
            prefix = tuple(out)
            if isinstance(key, int) and i > 0 and prefix in self.kept:
                indexes = self.kept[prefix]
                key = indexes[key] if key < len(indexes) else key
            out.append(key)
        return tuple(out)


class _Resolution(RulesMixin):
    def __init__(self, scenario: Scenario, config: BundleConfig, module: ModuleDef) -> None:
        self.raw = scenario
        self.config = config
        self.module = module
        self.r = Resolver(config, module)
        #: On its own bundle a scenario must resolve completely: anything left is a mistake.
        self.strict = scenario.config == config.code
        self.out = Resolved(scenario=scenario)
        self.faker, self.rng = seeded(scenario.names_locale, scenario.world.seed)
        self.today = parse_start(scenario.start).date()
        self.cases: dict[str, FocalCase] = {c.ref: c for c in scenario.world.cases}
        #: (case, SOP step) -> values the bundle records at that step, given earlier by the scenario.
        self.carried: dict[tuple[str, str], dict[str, Any]] = {}
        #: (case, approval kind) asked for in the cases' histories.
        self.requested: set[tuple[str, str]] = set()
        for inject in scenario.timeline:
            if inject.new_case is not None:
                self.cases[inject.new_case.ref] = inject.new_case

    # -- reporting ---------------------------------------------------------------------------

    def gap(self, message: str, keys: Keys, *, step: str | None = None,
            known_concept: bool = True, strict_message: str | None = None) -> None:
        """Something the bundle cannot say: a note, or a problem on the scenario's own bundle
        (or when the name is in no vocabulary and no bundle: a typo). On its own bundle the
        scenario's author reads `strict_message` (what is unknown), not mapping advice."""
        if self.strict or not known_concept:
            self.out.problems.append(Note(strict_message if self.strict and strict_message
                                          else message, keys, step))
        else:
            self.out.notes.append(Note(message, keys, step))

    def known(self, kind: str, concept: Any) -> bool:
        return isinstance(concept, str) and concept in VOCABULARY.get(kind, {})

    def value(self, kind: str, concept: Any, keys: Keys, what: str = "") -> str | None:
        found = self.r.id(kind, concept)
        if found is None:
            self.gap(f"{what}{unmapped(kind, str(concept))}", keys,
                     known_concept=self.known(kind, concept) or kind in ("locations",),
                     strict_message=f"{what}unknown {KIND_WORDS[kind]} '{concept}' "
                                    f"({self.choices(kind)})")
        return found

    def choices(self, kind: str) -> str:
        """What may be written instead: the vocabulary's concepts and the bundle's ids."""
        concepts = sorted(VOCABULARY.get(kind, {}))
        ids = sorted(self.r.ids.ids.get(kind, ()))
        shown = ", ".join(ids[:15]) + (", ..." if len(ids) > 15 else "")
        if concepts:
            return f"a concept: {', '.join(concepts)}; or one of the bundle's: {shown or 'none'}"
        return f"one of the bundle's: {shown or 'none'}"

    # -- data ------------------------------------------------------------------------------------

    def data(self, data: dict[str, Any], keys: Keys, step: str | None = None,
             case: str | None = None) -> dict[str, Any]:
        """Field concepts -> field ids, option concepts -> option ids; the rest is left out."""
        out: dict[str, Any] = {}
        for concept, value in data.items():
            fdef = self.r.field(concept)
            where = (*keys, concept)
            if fdef is None:
                self.gap(f"no field for '{concept}' in this bundle (the value is left out): map "
                         f"`fields.{concept}` in mapping.yaml if the bundle records it", where,
                         strict_message=f"unknown field '{concept}' in module '{self.module.code}'")
                continue
            if step is not None:
                section = self.module.section(fdef.section)
                # Registration may name sections of other steps, but not the later SOP
                # steps': their required fields would be demanded at registration.
                later = step != "registration" or (section is not None and section.step in LATER)
                if section is not None and section.step != step and later:
                    if section.step in LATER and section.step not in ("closure",) and case:
                        # Recorded later in this bundle: carried to that step of the same case.
                        value = self.field_value(concept, fdef, value, where)
                        if value is not None:
                            self.carried.setdefault((case, section.step), {})[fdef.code] = value
                        self.out.notes.append(Note(
                            f"field '{concept}' ({fdef.code}) is recorded at the {section.step} "
                            f"step in this bundle: the value is given there", where))
                        continue
                    self.out.notes.append(Note(
                        f"field '{concept}' ({fdef.code}) is recorded at the {section.step} step "
                        f"in this bundle, not at the {step} step (the value is left out)", where))
                    continue
            resolved = self.field_value(concept, fdef, value, where)
            if resolved is not None:
                out[fdef.code] = resolved
        return out

    def tracing_data(self, data: dict[str, Any], keys: Keys) -> dict[str, Any]:
        """A tracing request's fields are its own (not form fields): only the child's sex
        (an option concept) and the place of separation (a location concept) are mapped;
        `data` holds the values of the bundle's tracing request sections (`tracing_form`)."""
        out = dict(data)
        if isinstance(out.get("data"), dict):
            out["data"] = self.tracing_form(out["data"], (*keys, "data"))
        sex = self.r.field("sex")
        if out.get("sex") and sex is not None:
            out["sex"] = self.field_value("sex", sex, out["sex"], (*keys, "sex"))
        if out.get("separation_place"):
            out["separation_place"] = self.value("locations", out["separation_place"],
                                                 (*keys, "separation_place"), "separation_place: ")
        return {k: v for k, v in out.items() if v is not None}

    def tracing_form(self, data: dict[str, Any], keys: Keys) -> dict[str, Any]:
        """Values of the bundle's own tracing request sections, by field id (no vocabulary
        names them): a field this bundle does not have is left out, and said; a location
        field takes a location concept."""
        fields = {f.code: f for section in self.module.tracing_sections for f in section.fields}
        out: dict[str, Any] = {}
        for code, value in data.items():
            fdef = fields.get(code)
            if fdef is None:
                self.gap(f"no tracing request field '{code}' in this bundle (the value is left out)",
                         (*keys, code), strict_message=f"unknown tracing request field '{code}' "
                                                       f"in module '{self.module.code}'")
                continue
            if fdef.type == "location":
                value = self.value("locations", value, (*keys, code), f"field '{code}': ")
                if value is None:
                    continue
            out[code] = value
        return out

    def field_value(self, concept: str, fdef: FieldDef, value: Any, keys: Keys) -> Any:
        if fdef.type == "location":
            return self.value("locations", value, keys, f"field '{concept}': ")
        if fdef.type in ("select", "radio"):
            if isinstance(value, list):
                # Several concepts for a one-choice field: the first the bundle has.
                found = [self.r.option(concept, fdef, v) for v in value]
                kept = [v for v in found if v is not None]
                if kept:
                    return kept[0]
                value = value[0] if value else None
            return self.option(concept, fdef, value, keys)
        if fdef.type == "multi_select" and isinstance(value, str):
            value = [value]  # one choice where this bundle lets several be chosen
        if fdef.type == "multi_select" and isinstance(value, list):
            values = [self.option(concept, fdef, v, (*keys, i)) for i, v in enumerate(value)]
            kept = [v for v in values if v is not None]
            return kept or None
        if fdef.type == "subform" and isinstance(value, list):
            return [self.row(concept, fdef, row, (*keys, i)) for i, row in enumerate(value)
                    if isinstance(row, dict)]
        return value

    def option(self, concept: str, fdef: FieldDef, value: Any, keys: Keys) -> str | None:
        found = self.r.option(concept, fdef, value)
        if found is None:
            options = self.config.lookups[fdef.lookup].options if fdef.lookup in self.config.lookups \
                else {}
            self.gap(f"field '{concept}' ({fdef.code}): no option for '{value}' (the value is "
                     f"left out): map `options.{concept}.{value}` in mapping.yaml", keys,
                     strict_message=f"field '{concept}': '{value}' is not one of the options. "
                                    f"(one of: {', '.join(options)})")
        return found

    def row(self, concept: str, fdef: FieldDef, row: dict[str, Any], keys: Keys) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column_concept, value in row.items():
            column = self.r.column(concept, fdef, column_concept)
            name = f"{concept}.{column_concept}"
            if column is None:
                self.gap(f"subform '{concept}' ({fdef.code}) has no column for '{column_concept}' "
                         f"(the value is left out): map `fields.{name}` in mapping.yaml",
                         (*keys, column_concept),
                         strict_message=f"field '{concept}': unknown column '{column_concept}'")
                continue
            resolved = self.field_value(name, column, value, (*keys, column_concept))
            if resolved is not None:
                out[column.code] = resolved
        for column in fdef.columns:
            if column.required and column.code not in out:
                out[column.code] = value_for(column, self.config, self.faker, self.rng, self.today)
        return out

    # -- the scenario ----------------------------------------------------------------------------

    def run(self) -> Resolved:
        s = self.raw
        roles = {ref: self.role(ref, spec) for ref, spec in s.roles.items()}
        cases = [self.case(c, ("world", "cases", i)) for i, c in enumerate(s.world.cases)]
        background = s.world.background
        if background is not None:
            risk: dict[str, float] = {}
            for level, weight in background.risk.items():
                found = self.value("risk", level, ("world", "background", "risk", level),
                                   "background: ")
                if found is not None:
                    risk[found] = risk.get(found, 0.0) + weight
            background = background.model_copy(update={"risk": risk})
        timeline = [self.inject(inject, ("timeline", i)) for i, inject in enumerate(s.timeline)]
        solution = self.steps(s.solution, ("solution",))
        sloppy = s.sloppy.model_copy(update={"solution": self.steps(s.sloppy.solution,
                                                                    ("sloppy", "solution"))}) \
            if s.sloppy is not None else None
        expected = []
        kept_rules = []
        for i, rule in enumerate(s.expected):
            concrete = self.rule(rule, ("expected", i))
            if concrete is not None:
                expected.append(concrete)
                kept_rules.append(i)
        self.out.kept[("expected",)] = kept_rules
        world = s.world.model_copy(update={"cases": cases, "background": background})
        self.out.scenario = s.model_copy(update={
            "roles": roles, "world": world, "timeline": timeline, "solution": solution,
            "sloppy": sloppy, "expected": expected})
        return self.out

    def role(self, ref: str, spec: Any) -> Any:
        keys: Keys = ("roles", ref)
        role = self.r.id("roles", spec.role)
        if role is None:
            message = f"role '{ref}': {unmapped('roles', spec.role)}"
            if self.strict:
                message = (f"role '{ref}': unknown role '{spec.role}' in bundle '{self.config.code}' "
                           f"({self.choices('roles')})")
            self.out.problems.append(Note(message, (*keys, "role")))
            role = spec.role
        agency = None
        if spec.agency:
            agency = self.value("agencies", spec.agency, (*keys, "agency"), f"role '{ref}': ")
        groups = []
        for i, group in enumerate(spec.user_groups):
            found = self.value("user_groups", group, (*keys, "user_groups", i), f"role '{ref}': ")
            if found is not None:
                groups.append(found)
        if agency is None and groups:
            agency = self.config.user_groups[groups[0]].get("agency")
        return spec.model_copy(update={"role": role, "agency": agency, "user_groups": groups})

    def case(self, spec: FocalCase, keys: Keys, history: bool = True) -> FocalCase:
        child = spec.child
        update: dict[str, Any] = {}
        sex_field = self.r.field("sex")
        if child.sex is not None and sex_field is not None and sex_field.lookup:
            update["sex"] = self.option("sex", sex_field, child.sex, (*keys, "child", "sex"))
        if child.location is not None:
            update["location"] = self.value("locations", child.location,
                                            (*keys, "child", "location"), f"case '{spec.ref}': ")
        risk = self.value("risk", spec.risk, (*keys, "risk"), f"case '{spec.ref}': ") \
            if spec.risk is not None else None
        data = self.data(spec.data, (*keys, "data"), "registration", spec.ref)
        steps = self.steps(spec.history, (*keys, "history"), case=spec.ref) if history \
            else spec.history
        return spec.model_copy(update={"child": child.model_copy(update=update), "risk": risk,
                                       "data": data, "history": steps})

    def inject(self, inject: Any, keys: Keys) -> Any:
        update: dict[str, Any] = {}
        if inject.update is not None:
            data = self.data(inject.update.data, (*keys, "update", "data"))
            update["update"] = inject.update.model_copy(update={"data": data})
        if inject.new_case is not None:
            update["new_case"] = self.case(inject.new_case, (*keys, "new_case"), history=False)
        return inject.model_copy(update=update)

    # -- steps -------------------------------------------------------------------------------------

    def steps(self, steps: list[Any], keys: Keys, case: str | None = None) -> list[Any]:
        out = []
        kept = []
        requested: set[tuple[str, str]] = set(self.requested) if keys[0] != "world" else set()
        for i, step in enumerate(steps):
            concrete = self.step(step, (*keys, i), case)
            if concrete is None:
                continue
            ref = getattr(concrete, "case", None) or case or ""
            if concrete.do == "approval.request":
                requested.add((ref, concrete.with_.get("kind", "")))
            for extra in self.approval_first(concrete, ref, requested, (*keys, i),
                                             history=keys[0] == "world"):
                out.append(extra)
                kept.append(i)
            out.append(concrete)
            kept.append(i)
        if keys[0] == "world":
            self.requested |= requested
        self.out.kept[keys] = kept
        return out

    def approval_first(self, step: Any, ref: str, requested: set[tuple[str, str]], keys: Keys,
                       history: bool) -> list[Any]:
        """Steps that ask for (and, in a history, give) an approval this bundle's policy requires
        before `step` and that the scenario does not ask for: its SOP has no such approval."""
        kind = NEEDS_APPROVAL.get(step.do or "")
        policy = self.module.policy
        if kind is None or not policy.approval_required(kind) or (ref, kind) in requested:
            return []
        requested.add((ref, kind))
        decider = self.decider()
        if decider is None:
            return []
        self.out.notes.append(Note(f"this bundle's policy requires the {kind} approval before "
                                   f"'{step.do}': the step asks for it first", keys))
        who = {"as": step.as_} if step.as_ else {}
        ask = step.model_validate({**who, "do": "approval.request", "case": ref,
                                   "with": {"kind": kind}} if not history else
                                  {**step.model_dump(by_alias=True, exclude_none=True),
                                   "do": "approval.request", "with": {"kind": kind}})
        if history:
            decide = step.model_validate({**step.model_dump(by_alias=True, exclude_none=True),
                                          "as": decider, "do": "approval.decide",
                                          "with": {"kind": kind, "approve": True}})
            return [ask, decide]
        actor = self.raw.actors.get(decider)
        delay = actor.approvals[kind].delay if actor and kind in actor.approvals else "1h"
        return [ask, step.model_validate({"advance": delay})]

    def decider(self) -> str | None:
        """The simulated role that decides approvals, if any."""
        for ref, spec in self.raw.roles.items():
            role = self.config.roles.get(self.r.id("roles", spec.role) or "")
            if spec.played_by == "simulated" and role is not None and role.can("approval.decide"):
                return ref
        return None

    def leave_out(self, step: Any, keys: Keys, why: str, *, known: bool = True) -> None:
        self.gap(f"step '{step.do}' is left out on this bundle: {why}", keys, known_concept=known,
                 strict_message=f"'{step.do}': {why}")

    def step(self, step: Any, keys: Keys, case: str | None) -> Any:
        do = step.do
        if do is None:
            return step
        if not self.strict and do in OPTIONAL_CAPABILITIES and not any(
                role.can(do) for role in self.config.roles.values()):
            # A capability this bundle does not have at all (family tracing): said, left out.
            self.leave_out(step, (*keys, "do"), f"no role of the bundle may take '{do}'")
            return None
        params = dict(step.with_)
        for name, value in step.with_.items():
            kind = ACTION_PARAM_KINDS.get((do, name)) or PARAM_KINDS.get(name)
            if name == "kind" and do.startswith("approval."):
                if value in APPROVAL_KINDS and value not in self.module.policy.approvals:
                    self.leave_out(step, (*keys, "with", name),
                                   f"the bundle's policy has no '{value}' approval")
                    return None
                continue
            if kind is None or name == "data":
                continue
            if do == "followup.record" and name == "risk_level" and value in ("", None):
                continue
            found = self.r.id(kind, value)
            if found is None:
                self.gap(f"step '{do}' is left out on this bundle: {unmapped(kind, str(value))}",
                         (*keys, "with", name),
                         known_concept=self.known(kind, value) or kind == "locations",
                         strict_message=f"'{do}': unknown {KIND_WORDS[kind]} '{value}' "
                                        f"({self.choices(kind)})")
                return None
            params[name] = found
        step_name = STEP_OF.get(do)
        ref = getattr(step, "case", None) or case
        if do in TRACING_DATA and isinstance(step.with_.get("data"), dict):
            params["data"] = self.tracing_data(step.with_["data"], (*keys, "with", "data"))
        elif "data" in step.with_ and isinstance(step.with_["data"], dict):
            data = self.data(step.with_["data"], (*keys, "with", "data"), step_name, ref)
            if do == "case.update":
                data = self.one_section(data, params, (*keys, "with", "data"))
                if not data:
                    self.leave_out(step, (*keys, "with", "data"),
                                   "none of its fields exists in this bundle")
                    return None
            params["data"] = data
        # A new case registered during the exercise (no focal case behind it) has only
        # what the scenario gives: the bundle's other required fields are made up, as
        # they are for the focal cases at seeding.
        new_case = do == "case.register" and not ref
        if (step_name in ("assessment", "case_plan", "closure") or new_case) and isinstance(
                step, SolutionStep):
            given = dict(params.get("data") or {})
            given = {**self.carried.get((ref or "", step_name), {}), **given}
            if step_name == "assessment":
                given = {**self.risk_data(ref), **given}
            params["data"] = fill_required(self.module, self.config, step_name, given, self.faker,
                                           self.rng, self.today)
        return step.model_copy(update={"with_": params})

    def risk_data(self, ref: str | None) -> dict[str, Any]:
        """The case's risk level, for bundles that record it with the assessment."""
        spec = self.cases.get(ref or "")
        risk_field = self.r.field("risk_level")
        if spec is None or spec.risk is None or risk_field is None:
            return {}
        section = self.module.section(risk_field.section)
        if section is None or section.step != "assessment":
            return {}
        found = self.r.id("risk", spec.risk)
        return {risk_field.code: found} if found else {}

    def one_section(self, data: dict[str, Any], params: dict[str, Any], keys: Keys) -> dict[str, Any]:
        """case.update saves one section: the section of the fields written."""
        if not data:
            return data
        sections = [self.module.fields[code].section for code in data]
        section = max(set(sections), key=sections.count)
        params["section"] = section
        for code in [c for c in data if self.module.fields[c].section != section]:
            self.out.notes.append(Note(f"field '{code}' is on another form section in this bundle "
                                       f"(the value is left out of this update)", keys))
            data.pop(code)
        return data


def resolve_scenario(scenario: Scenario, config: BundleConfig) -> Resolved:
    """The concrete scenario for `config`, with what could not be mapped (see the module doc)."""
    module = module_for(config, scenario.module)
    if module is None:
        resolved = Resolved(scenario=scenario)
        resolved.problems.append(Note(
            f"the bundle '{config.code}' has no module for '{scenario.module}': map "
            f"`modules.{scenario.module}` in mapping.yaml", ("module",)))
        return resolved
    if module.code != scenario.module:
        scenario = scenario.model_copy(update={"module": module.code})
    return _Resolution(scenario, config, module).run()
