"""The running simulation: the clock, the timeline's injects, and simulated actors.

Simulated actors and triggered injects are scheduled as `Inject` rows with a due
time; advancing the clock fires what falls due, in time order, each at its own
simulated time. Nothing happens by itself between requests: time moves only when
a trainee or trainer advances it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.cases import services as cs
from sandbox.cases.models import Approval, Case, Event, Referral, Transfer
from sandbox.common.errors import SandboxError, ValidationFailed
from sandbox.common.i18n import pick
from sandbox.spaces.models import Member, Space

from .dispatch import Context, context_of
from .models import Inject, Message, SpaceSeed
from .simtime import parse_duration

MAX_ADVANCE = dt.timedelta(days=90)

#: Jobs that capabilities beside the case system schedule on the clock (an inject whose
#: payload says `{"call": name}`), registered by name when their app is ready.
JOBS: dict[str, Callable[[Space, dict[str, Any]], None]] = {}


def register_job(name: str, job: Callable[[Space, dict[str, Any]], None]) -> None:
    JOBS[name] = job


def _seed(space: Space) -> SpaceSeed | None:
    return SpaceSeed.objects.filter(space_id=space.pk).first()


def _payload(seed: SpaceSeed) -> dict[str, Any]:
    """The scenario as seeded (its actors and timeline)."""
    from .world import scenario_of

    return scenario_of(seed).model_dump(by_alias=True, mode="json")


# -- reacting to actions ----------------------------------------------------------------


def after_action(event: Event) -> None:
    """Schedule what the scenario says follows an action: triggered injects, actors' answers."""
    if event.role == "" or event.actor_id is None:
        return
    seed = _seed(event.space)
    if seed is None:
        return
    member = Member.objects.filter(pk=event.actor_id).first()
    if member is None or member.is_simulated:
        _schedule_triggers(event, seed)
        return
    _schedule_triggers(event, seed)
    _schedule_actors(event, seed)


def _schedule_triggers(event: Event, seed: SpaceSeed) -> None:
    case_refs = {pk: ref for ref, pk in seed.cases.items()}
    for inject in Inject.objects.filter(space_id=event.space_id, due_at__isnull=True,
                                        fired_at__isnull=True):
        trigger = inject.trigger
        if not trigger or trigger.get("action") != event.action:
            continue
        if trigger.get("case") and case_refs.get(event.case_id) != trigger["case"]:
            continue
        inject.due_at = event.sim_time + parse_duration(trigger.get("delay") or "0m") \
            if trigger.get("delay") else event.sim_time
        inject.save(update_fields=["due_at"])


def _actor_spec(payload: dict[str, Any], ref: str) -> dict[str, Any]:
    return (payload.get("actors") or {}).get(ref) or {}


def _schedule_actors(event: Event, seed: SpaceSeed) -> None:
    space = event.space
    simulated = [m for m in Member.objects.filter(space=space, is_simulated=True)]
    if not simulated:
        return
    config = space.config
    payload: dict[str, Any] | None = None

    def job(ref: str, delay: str, data: dict[str, Any]) -> None:
        Inject.objects.create(space=space, ref=f"actor:{ref}:{event.action}:{event.record_id}",
                              due_at=event.sim_time + parse_duration(delay or "1h"),
                              payload={"actor": ref, **data})

    if event.action == "approval.request":
        approval = Approval.objects.filter(pk=event.record_id).first()
        if approval is None:
            return
        for member in simulated:
            role = config.roles.get(member.role)
            # A manager allowed to decide only some kinds of approval leaves the others.
            if role is None or not role.can_decide(approval.kind):
                continue
            payload = payload if payload is not None else _payload(seed)
            spec = (_actor_spec(payload, member.ref).get("approvals") or {}).get(approval.kind) or {}
            job(member.ref, spec.get("delay", "1h"), {"do": "approval.decide",
                                                      "approval": approval.pk, "spec": spec})
            return
    elif event.action == "referral.create":
        referral = Referral.objects.filter(pk=event.record_id).first()
        if referral is None:
            return
        for member in simulated:
            if referral.to_member_id == member.pk or (
                    referral.to_member_id is None and referral.to_agency == member.agency):
                payload = payload if payload is not None else _payload(seed)
                if _actor_spec(payload, member.ref).get("partner"):
                    return  # a partner system answers over the exchange (sandbox.interop)
                spec = _actor_spec(payload, member.ref).get("referrals") or {}
                job(member.ref, spec.get("delay", "1h"), {"do": "referral.answer",
                                                          "referral": referral.pk, "spec": spec})
                return
    elif event.action == "transfer.create":
        transfer = Transfer.objects.filter(pk=event.record_id).first()
        if transfer is None:
            return
        for member in simulated:
            if transfer.to_member_id == member.pk:
                payload = payload if payload is not None else _payload(seed)
                spec = _actor_spec(payload, member.ref).get("transfers") or {}
                job(member.ref, spec.get("delay", "1h"), {"do": "transfer.answer",
                                                          "transfer": transfer.pk, "spec": spec})
                return


# -- the clock ------------------------------------------------------------------------------


def next_due(space: Space) -> dt.datetime | None:
    inject = (Inject.objects.filter(space=space, fired_at__isnull=True, due_at__isnull=False)
              .order_by("due_at", "pk").first())
    return inject.due_at if inject else None


@transaction.atomic
def advance(space: Space, *, by: dt.timedelta | None = None, to_next: bool = False) -> list[str]:
    """Move the space's clock forward, firing what falls due on the way.

    Returns the references of the injects fired, in order.
    """
    space = Space.objects.select_for_update().get(pk=space.pk)
    if to_next:
        due = next_due(space)
        if due is None:
            raise ValidationFailed(_("Nothing else is scheduled in this exercise."),
                                   code="nothing_scheduled")
        target = max(due, space.clock)
    else:
        if by is None or by <= dt.timedelta(0):
            raise ValidationFailed(_("The clock only moves forward."))
        if by > MAX_ADVANCE:
            raise ValidationFailed(_("Advance the clock by at most 90 days at a time."))
        target = space.clock + by
    fired: list[str] = []
    seed = _seed(space)
    for _round in range(1000):  # bounded: an inject may schedule others
        job = (Inject.objects.filter(space=space, fired_at__isnull=True, due_at__isnull=False,
                                     due_at__lte=target).order_by("due_at", "pk").first())
        if job is None:
            break
        if job.due_at > space.clock:
            space.clock = job.due_at
            Space.objects.filter(pk=space.pk).update(clock=space.clock)
        fire(space, job, seed)
        fired.append(job.ref)
    space.clock = target
    Space.objects.filter(pk=space.pk).update(clock=target)
    if seed is not None:  # the status of a task may change with the time: the board's row
        from sandbox.scoring.progress import keep_after_commit

        keep_after_commit(space.pk)
    return fired


def fire(space: Space, job: Inject, seed: SpaceSeed | None) -> None:
    """Carry out one due inject or actor's answer."""
    job.fired_at = space.clock
    job.save(update_fields=["fired_at"])
    if seed is None:
        return
    payload = job.payload
    ctx = context_of(space, seed)
    try:
        # A savepoint: a refused action of the simulation must not undo the clock's advance.
        with transaction.atomic():
            _fire(space, job, payload, ctx, seed)
    except SandboxError as exc:
        # The world moved on in a way the script did not foresee (the case was closed,
        # the recipient cannot answer...). Say so, and let time go on.
        Message.objects.create(
            space=space, sender={"en": "Simulation"},
            body={"en": f"A scheduled event could not happen ({job.ref}): {exc.message}"},
            sim_time=space.clock, inject_ref=job.ref)


def _fire(space: Space, job: Inject, payload: dict[str, Any], ctx: Context, seed: SpaceSeed) -> None:
    if "call" in payload:
        if payload["call"] in JOBS:
            JOBS[payload["call"]](space, payload)
        return
    if "actor" in payload:
        _act(space, payload, ctx)
        return
    case_ref = (payload.get("update") or {}).get("case", "")
    case = ctx.cases.get(case_ref)
    if payload.get("message"):
        Message.objects.create(space=space, sender=payload.get("sender") or {},
                               body=payload["message"], sim_time=space.clock, inject_ref=job.ref,
                               case_display_id=case.display_id if case else "")
    if payload.get("update") and case is not None:
        _apply_update(space, case, payload["update"]["data"])
    if payload.get("new_case"):
        _new_case(space, seed, payload["new_case"], ctx)


def _apply_update(space: Space, case: Case, data: dict[str, Any]) -> None:

    module = space.module_config
    by_section: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        by_section.setdefault(module.fields[key].section, {})[key] = value
    owner = case.owner or Member.objects.filter(space=space).first()
    assert owner is not None
    for section, values in by_section.items():
        cs.case_update(actor=owner, case=case, section=section, data=values, partial=True,
                    system=_("Simulation"))


def _new_case(space: Space, seed: SpaceSeed, spec: dict[str, Any], ctx: Context) -> None:

    from .scenario.schema import FocalCase
    from .world import World, scenario_of

    scenario = scenario_of(seed)
    world = World(scenario, space, seed.seed + len(ctx.cases))
    focal = FocalCase.model_validate(spec)
    data = world.child_data(focal, focal.risk)
    owner = ctx.member(focal.owner)
    case = cs.case_identify(actor=owner, data=data, system=_("Simulation"))
    seed.cases = {**seed.cases, focal.ref: case.pk}
    SpaceSeed.objects.filter(pk=seed.pk).update(cases=seed.cases)


def _comment(spec: dict[str, Any], default: str) -> str:
    return pick(spec.get("comment")) or default


def _act(space: Space, payload: dict[str, Any], ctx: Context) -> None:
    """A simulated actor answers, as the scenario scripts it."""
    actor = ctx.member(payload["actor"])
    spec = payload.get("spec") or {}
    decision = spec.get("decision", "approve")
    if payload["do"] == "approval.decide":
        approval = Approval.objects.filter(space=space, pk=payload["approval"]).first()
        if approval is None or approval.status != "pending":
            return
        approve = decision in ("approve", "accept") or (
            decision == "reject_first"
            and Approval.objects.filter(case=approval.case, kind=approval.kind,
                                        status="rejected").exists())
        text = spec.get("approve_comment") if approve and decision == "reject_first" \
            else spec.get("comment")
        comment = pick(text) or (_("Approved.") if approve else _("Please revise and resubmit."))
        cs.approval_decide(actor=actor, approval=approval, approve=approve, comment=comment)
        Message.objects.create(space=space, sender={"en": actor.name}, body=text or {"en": comment},
                               sim_time=space.clock, case_display_id=approval.case.display_id)
    elif payload["do"] == "referral.answer":
        referral = Referral.objects.filter(space=space, pk=payload["referral"]).first()
        if referral is None or referral.status != "pending":
            return
        if decision == "reject" or (decision == "reject_first" and not Referral.objects.filter(
                case=referral.case, status="rejected").exists()):
            cs.referral_reject(actor=actor, referral=referral,
                            comment=_comment(spec, _("We cannot take this referral.")))
        else:
            cs.referral_accept(actor=actor, referral=referral, comment=_comment(spec, ""))
            # The service is delivered later: the referral is marked done after another delay.
            Inject.objects.create(
                space=space, ref=f"actor:{actor.ref}:referral.done:{referral.pk}",
                due_at=space.clock + parse_duration(spec.get("delay") or "1h"),
                payload={"actor": actor.ref, "do": "referral.finish", "referral": referral.pk})
        if spec.get("comment"):
            Message.objects.create(space=space, sender={"en": actor.name}, body=spec["comment"],
                                   sim_time=space.clock, case_display_id=referral.case.display_id)
    elif payload["do"] == "referral.finish":
        referral = Referral.objects.filter(space=space, pk=payload["referral"]).first()
        if referral is not None and referral.status == "accepted":
            cs.referral_done(actor=actor, referral=referral)
    elif payload["do"] == "transfer.answer":
        transfer = Transfer.objects.filter(space=space, pk=payload["transfer"]).first()
        if transfer is None or transfer.status != "pending":
            return
        first = not Transfer.objects.filter(case=transfer.case, status="rejected").exists()
        if decision == "reject" or (decision == "reject_first" and first):
            cs.transfer_reject(actor=actor, transfer=transfer,
                               comment=_comment(spec, _("We cannot take this case.")))
        else:
            text = spec.get("approve_comment") if decision == "reject_first" else spec.get("comment")
            cs.transfer_accept(actor=actor, transfer=transfer, comment=pick(text))
