"""Seeding a space from a scenario: members, focal cases with their history,
background cases drawn to a distribution, and the timeline's injects.

Everything goes through the case services (so seeded data is valid and audited)
at simulated times before the start; then the clock is set to the start, the
space's rows are captured, and the seed is recorded for resets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path
from typing import Any

from django.db import transaction

from sandbox.accounts.models import User
from sandbox.cases.models import Case
from sandbox.common.errors import SandboxError, ValidationFailed
from sandbox.common.i18n import pick
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import BundleConfig, ModuleDef, get_config
from sandbox.spaces.models import Member, Space
from sandbox.spaces.services import member_add, space_create, spaces_create

from . import snapshot
from .dispatch import Context, perform
from .factories import CaregiverFactory, ChildFactory, fill_required, location_for, seeded
from .models import Inject, SpaceSeed
from .scenario.schema import FocalCase, Scenario
from .simtime import parse_start, resolve

BACKGROUND_STAGES = ("identified", "registered", "assessed", "planned", "closed")


class SeedingFailed(ValidationFailed):
    """An action of the seeding was refused by the case system; nothing was kept.

    `where` is the place in the scenario file (not in the concrete scenario) of
    what was refused, so that the refusal is reported as `PATH:LINE`."""

    def __init__(self, where: tuple[str | int, ...], error: SandboxError) -> None:
        fields = error.details.get("fields") or {}
        detail = "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in fields.items())
        message = f"{error.message}{' (' + detail + ')' if detail else ''}"
        super().__init__(message, code="seeding_failed", details={"where": list(where)})
        self.where = where
        self.error = error

    def __str__(self) -> str:
        return self.message


class World:
    """The state of a space being seeded."""

    def __init__(self, scenario: Scenario, space: Space, seed: int) -> None:
        self.scenario = scenario
        self.space = space
        self.config: BundleConfig = space.config
        self.module: ModuleDef = self.config.modules[scenario.module]
        self.start = parse_start(scenario.start)
        self.faker, self.rng = seeded(scenario.names_locale, seed)
        self.members: dict[str, Member] = {}
        self.cases: dict[str, Case] = {}
        #: Where in the scenario file the seeding is, for error messages.
        self.where: tuple[str | int, ...] = ("world",)
        risk_field = self.module.fields[self.module.core_fields["risk_level"]]
        section = self.module.section(risk_field.section)
        #: Some bundles (Kenya's) record the risk level with the assessment, not at registration.
        self.risk_at_registration = section is not None and section.step == "registration"

    def risk_data(self, risk: str | None) -> dict[str, Any]:
        """The risk level as assessment data, for bundles that assess it there."""
        if risk and not self.risk_at_registration:
            return {self.module.core_fields["risk_level"]: risk}
        return {}

    @property
    def ctx(self) -> Context:
        return Context(self.cases, self.members)

    def at(self, when: dt.datetime) -> None:
        """Move the clock to `when` (seeding may go back and forth before the start)."""
        self.space.clock = when
        Space.objects.filter(pk=self.space.pk).update(clock=when)

    # -- people ------------------------------------------------------------------

    def child_data(self, spec: FocalCase | None, risk: str | None) -> dict[str, Any]:
        core = self.module.core_fields
        given = spec.child if spec else None
        child = ChildFactory(faker=self.faker, rng=self.rng, today=self.start.date(),
                             **{k: v for k, v in (given.model_dump() if given else {}).items()
                                if v is not None and k in ("sex", "age", "name_first", "name_last")})
        location_field = self.module.fields[core["location"]]
        data: dict[str, Any] = {
            core["name_first"]: child["name_first"], core["name_last"]: child["name_last"],
            core["sex"]: child["sex"], core["age"]: child["age"],
            core["date_of_birth"]: child["date_of_birth"],
            core["location"]: (given.location if given and given.location
                               else location_for(location_field, self.config, self.rng)),
        }
        sex_field = self.module.fields[core["sex"]]
        if sex_field.lookup and data[core["sex"]] not in self.config.lookups[sex_field.lookup].options:
            data.pop(core["sex"])
        if risk and self.risk_at_registration:
            data[core["risk_level"]] = risk
        caregivers = self._caregiver_rows(child["name_last"])
        if caregivers:
            data.update(caregivers)
        if spec:
            data.update(spec.data)
        return fill_required(self.module, self.config, "registration", data, self.faker, self.rng,
                             self.start.date())

    def _caregiver_rows(self, last_name: str) -> dict[str, Any]:
        """A caregiver row for the first subform of the registration step that has a name column."""
        for section in self.module.sections:
            if section.step != "registration":
                continue
            for field in section.fields:
                if field.type != "subform":
                    continue
                name_col = next((c for c in field.columns if c.type == "text" and "name" in c.code), None)
                if name_col is None or "sibling" in field.code:
                    continue
                person = CaregiverFactory(faker=self.faker, rng=self.rng, last_name=last_name)
                row: dict[str, Any] = {name_col.code: person["name"]}
                for column in field.columns:
                    if column.code == name_col.code:
                        continue
                    if "phone" in column.code and column.type == "text":
                        row[column.code] = person["phone"]
                    elif column.required:
                        from .factories import value_for

                        row[column.code] = value_for(column, self.config, self.faker, self.rng,
                                                     self.start.date())
                return {field.code: [row]}
        return {}

    def step_data(self, step: str, given: dict[str, Any] | None = None) -> dict[str, Any]:
        return fill_required(self.module, self.config, step, dict(given or {}), self.faker,
                             self.rng, self.start.date())


@transaction.atomic
def seed_space(scenario: Scenario, path: Path, *, slug: str, seed: int | None = None,
               trainees: dict[str, User] | None = None, title: str = "",
               bundle_code: str | None = None) -> Space:
    """Create (or recreate) the space `slug` from a scenario.

    The scenario names SOP concepts; it is made concrete for the bundle it is
    seeded on (`bundle_code`, by default the one it names) through the bundle's
    mapping. `trainees` binds users to roles. A role the scenario simulates is
    played by its user instead when one is bound to it (a role-play pair: the
    second trainee takes the simulated supervisor's place, and the script no
    longer answers for them).
    """
    from .scenario.portable import resolve_scenario

    bundle = Bundle.objects.get(code=bundle_code or scenario.config)
    pinned, fingerprint = pin(scenario)
    resolved = resolve_scenario(scenario, get_config(bundle))
    scenario = resolved.scenario
    seed = scenario.world.seed if seed is None else seed
    existing = Space.objects.filter(slug=slug).first()
    if existing is not None:
        snapshot.purge(existing)
        SpaceSeed.objects.filter(space=existing).delete()
        existing.delete()
    start = parse_start(scenario.start)
    space = space_create(slug=slug, title=title or pick(scenario.title), bundle=bundle,
                         module=scenario.module, clock=start)
    world = World(scenario, space, seed)
    trainees = trainees or {}
    for ref, role in scenario.roles.items():
        world.members[ref] = member_add(
            space=space, role=role.role, user=trainees.get(ref),
            name=role.name or (trainees[ref].display_name if ref in trainees else ""),
            agency=role.agency or "", user_groups=role.user_groups,
            is_simulated=role.played_by == "simulated" and ref not in trainees, ref=ref)
    for ref, member in world.members.items():
        if not member.name or member.name == member.role:
            member.name = _member_name(world, ref)
            member.save(update_fields=["name"])
    _seed_partners(world)

    try:
        _seed_focal_cases(world)
        if scenario.world.background:
            _seed_background(world)
    except SandboxError as exc:
        raise SeedingFailed(resolved.origin(world.where), exc) from exc
    world.at(start)
    for inject in scenario.timeline:
        Inject.objects.create(
            space=space, ref=inject.id,
            due_at=resolve(inject.at, start) if inject.at else None,
            trigger=inject.after.model_dump(exclude_none=True) if inject.after else {},
            payload=inject.model_dump(by_alias=True, exclude_none=True, mode="json"))
    # Nothing the seeding did counts as the trainee's: the history is there to read.
    record = SpaceSeed.objects.create(
        space=space, scenario_id=scenario.id, scenario_version=scenario.version,
        scenario_path=str(path), scenario_data=pinned, scenario_sha256=fingerprint, seed=seed,
        roles={ref: m.pk for ref, m in world.members.items()},
        cases={ref: c.pk for ref, c in world.cases.items()}, snapshot=b"")
    # Its progress (nothing met yet) kept now, in the snapshot: copies and resets bring it
    # along, so the live board's first poll reads every space instead of scoring it.
    from sandbox.scoring.progress import refresh

    space.refresh_from_db()
    record.seeded_events = space.event_counter
    record.save(update_fields=["seeded_events"])
    refresh([space])
    record.snapshot = snapshot.capture(space)  # (re-reads the space's counters)
    record.save(update_fields=["snapshot"])
    return space


def _seed_partners(world: World) -> None:
    """The simulated partner systems the scenario's actors are (see sandbox.interop.partner)."""
    from sandbox.interop.services import partner_add

    trainees = [ref for ref, r in world.scenario.roles.items() if r.played_by == "trainee"]
    for ref, spec in world.scenario.actors.items():
        if spec.partner is None or ref not in world.members:
            continue
        member = world.members[ref]
        partner_add(space=world.space, code=ref, name=pick(spec.partner.name) or member.name,
                    agency=member.agency, member=member, simulated=True,
                    rules=spec.partner.model_dump(mode="json", exclude_none=True),
                    receiver=world.members.get(trainees[0]) if trainees else None)


def _member_name(world: World, ref: str) -> str:
    return f"{world.faker.first_name()} {world.faker.last_name()}"


def _seed_focal_cases(world: World) -> None:
    """Create each focal case, then play every history step in time order."""
    steps: list[tuple[dt.datetime, int, int, FocalCase, Any]] = []
    for i, spec in enumerate(world.scenario.world.cases):
        world.where = ("world", "cases", i)
        created = False
        for j, step in enumerate(spec.history):
            if step.do in ("case.identify", "case.register") and j == 0:
                created = True
            steps.append((resolve(step.at, world.start), i, j, spec, step))
        if not created:
            # A case without its own creation step is created just before the start.
            world.at(world.start - dt.timedelta(minutes=30 * (len(world.scenario.world.cases) - i)))
            _create_focal(world, spec, with_params={})
    for when, i, j, spec, step in sorted(steps, key=lambda s: (s[0], s[1], s[2])):
        world.where = ("world", "cases", i, "history", j)
        world.at(when)
        actor = world.members[step.as_ or spec.owner]
        if j == 0 and step.do in ("case.identify", "case.register") and spec.ref not in world.cases:
            _create_focal(world, spec, with_params=step.with_, action=step.do, actor=actor)
            continue
        case = world.cases[spec.ref]
        params = dict(step.with_)
        if step.do in ("assessment.complete", "case_plan.save", "case.close"):
            step_name = {"assessment.complete": "assessment", "case_plan.save": "case_plan",
                         "case.close": "closure"}[step.do]
            given = dict(params.get("data") or {})
            if step_name == "assessment":
                given = {**world.risk_data(spec.risk), **given}
            params["data"] = world.step_data(step_name, given)
        result = perform(actor, step.do, case, params, world.ctx)
        if isinstance(result, Case):
            world.cases[spec.ref] = result


def _create_focal(world: World, spec: FocalCase, *, with_params: dict[str, Any],
                  action: str | None = None, actor: Member | None = None) -> Case:
    actor = actor or world.members[spec.owner]
    data = world.child_data(spec, spec.risk)
    data.update(with_params.get("data", {}))
    action = action or ("case.identify" if spec.registration == "identified" else "case.register")
    if action == "case.identify":
        case = perform(actor, "case.identify", None,
                       {"data": data, "summary": with_params.get("summary", "")}, world.ctx)
    else:
        case = perform(actor, "case.register", None, {"data": data}, world.ctx)
    world.cases[spec.ref] = case
    return case


def _pick(rng: random.Random, weights: dict[str, float], default: str) -> str:
    if not weights:
        return default
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _seed_background(world: World) -> None:
    """Background cases, drawn to the scenario's distribution, owned by a trainee role."""
    spec = world.scenario.world.background
    assert spec is not None
    owner = world.members[spec.owner]
    world.where = ("world", "background")
    decider = _decider(world)
    policy = world.module.policy
    for _ in range(spec.count):
        risk = _pick(world.rng, spec.risk, "medium")
        stage = _pick(world.rng, {k: v for k, v in spec.stage.items()}, "registered")
        overdue = world.rng.random() < spec.overdue
        # An overdue case was registered longer ago than its assessment deadline (a bundle
        # without an assessment deadline has no overdue case).
        allowed = None
        if overdue:
            from sandbox.cases.services.tasks import deadline

            allowed = deadline(policy, "assessment", risk)
        if allowed is not None:
            age = allowed + dt.timedelta(hours=world.rng.randint(2, 72))
            stage = "registered"
        else:
            age = dt.timedelta(hours=world.rng.randint(1, 20))
        world.at(world.start - age)
        data = world.child_data(None, risk)
        if stage == "identified":
            perform(owner, "case.identify", None, {"data": data}, world.ctx)
            continue
        case = perform(owner, "case.register", None, {"data": data}, world.ctx)
        if stage == "registered" or decider is None:
            continue
        world.at(world.space.clock + dt.timedelta(minutes=20))
        perform(owner, "assessment.complete", case,
                {"data": world.step_data("assessment", world.risk_data(risk))}, world.ctx)
        if stage == "assessed":
            continue
        _approve(world, owner, decider, case, "assessment")
        perform(owner, "case_plan.save", case, {"data": world.step_data("case_plan")}, world.ctx)
        _approve(world, owner, decider, case, world.module.policy.plan_approval)
        if stage == "closed":
            _approve(world, owner, decider, case, world.module.policy.closure_approval)
            perform(owner, "case.close", case, {"data": world.step_data("closure")}, world.ctx)


def _approve(world: World, owner: Member, decider: Member, case: Case, kind: str) -> None:
    if not world.module.policy.approval_required(kind):
        return
    perform(owner, "approval.request", case, {"kind": kind}, world.ctx)
    perform(decider, "approval.decide", case, {"kind": kind, "approve": True}, world.ctx)


def _decider(world: World) -> Member | None:
    """A scenario member who may decide every kind of approval background cases need
    (a supervisor), if any."""
    for member in world.members.values():
        role = world.config.roles.get(member.role)
        if role and role.scope in ("group", "agency", "all") and all(
                role.can_decide(kind) for kind in ("assessment", "case_plan", "closure")):
            return member
    return None


def seed_from_file(path: Path, *, slug: str, seed: int | None = None,
                   trainees: dict[str, User] | None = None) -> Space:
    """Read, check and seed; raise ValidationFailed with every problem, seeding nothing."""
    from .scenario.load import check_scenario, read_scenario

    parsed = read_scenario(path)
    config = None
    if parsed.scenario is not None and Bundle.objects.filter(code=parsed.scenario.config).exists():
        config = get_config(parsed.scenario.config)
    problems = parsed.problems or check_scenario(parsed, config)
    if problems:
        raise ValidationFailed("\n".join(str(p) for p in problems),
                               details={"problems": [p.as_dict() for p in problems]})
    assert parsed.scenario is not None and parsed.source is not None
    try:
        return seed_space(parsed.scenario, path, slug=slug, seed=seed, trainees=trainees)
    except SeedingFailed as exc:
        problem = parsed.source.problem(f"seeding failed: {exc}", *exc.where)
        raise ValidationFailed(str(problem), details={"problems": [problem.as_dict()]}) from exc


_scenarios: dict[tuple[Any, ...], Scenario] = {}
_pinned: dict[tuple[str, str], Scenario] = {}


def pin(scenario: Scenario) -> tuple[dict[str, Any], str]:
    """The scenario as plain data to keep with a space, and its SHA-256 fingerprint."""
    data = scenario.model_dump(by_alias=True, mode="json", exclude_unset=True)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return data, hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pinned_scenario(seed: SpaceSeed) -> Scenario:
    """The portable scenario a space was seeded from: the content kept with the space.

    Spaces seeded before scenarios were kept with them have none: their file is read
    (and a missing or broken file is a clear error, never a traceback).
    """
    from .scenario.load import read_scenario

    if seed.pinned:
        key = ("pinned", seed.scenario_sha256 or str(seed.pk))
        if key not in _pinned:
            _pinned[key] = Scenario.model_validate(seed.scenario_data)
        return _pinned[key]
    path = Path(seed.scenario_path)
    parsed = read_scenario(path)
    if parsed.scenario is None:
        raise ValidationFailed(f"{path}: the scenario file can no longer be read, and this space "
                               "was seeded before scenarios were kept with their spaces")
    return parsed.scenario


def scenario_of(seed: SpaceSeed) -> Scenario:
    """The scenario a space was seeded from, concrete for the space's bundle (the content
    kept with the space, never the file as it is now; cached)."""
    from .scenario.portable import resolve_scenario

    config = seed.space.config
    if seed.pinned:
        key: tuple[Any, ...] = ("pinned", seed.scenario_sha256 or str(seed.pk), config.code,
                                config.loaded_at)
    else:
        path = Path(seed.scenario_path)
        key = (str(path), path.stat().st_mtime if path.exists() else 0.0, config.code,
               config.loaded_at)
    if key not in _scenarios:
        _scenarios[key] = resolve_scenario(pinned_scenario(seed), config).scenario
    return _scenarios[key]


def clone_space(template: Space, *, slug: str, title: str = "",
                trainees: dict[str, User] | None = None) -> Space:
    """A new space holding a copy of the seeded world of `template` (see clone_spaces)."""
    return clone_spaces(template, [{"slug": slug, "title": title, "trainees": trainees}])[0]


def clone_spaces(template: Space, targets: list[dict[str, Any]]) -> list[Space]:
    """New spaces, each a copy of the seeded world of `template`, made together (one bulk
    insert per table for all of them; see snapshot.clone_many). Each target gives a `slug`,
    and optionally a `title` and `trainees` (role reference -> user). A space that has one
    of the slugs already is replaced."""
    seed = SpaceSeed.objects.get(space=template)
    names = [(target["slug"], target.get("title") or template.title) for target in targets]
    for existing in Space.objects.filter(slug__in=[slug for slug, _t in names]).order_by("pk"):
        snapshot.purge(existing)
        SpaceSeed.objects.filter(space=existing).delete()
        existing.delete()
    spaces = spaces_create(names=names, bundle=template.bundle, module=template.module,
                           clock=template.clock)
    snapshot.clone_many(seed, [(space, target.get("trainees") or {})
                               for space, target in zip(spaces, targets, strict=True)])
    return spaces
