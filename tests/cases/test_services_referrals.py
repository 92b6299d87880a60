"""Services of the case plan, referrals and their consent, and follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import (
    Case,
    Event,
    FollowUp,
    Referral,
    ReferralStatus,
    ServiceStatus,
    Stage,
    TaskKind,
)
from sandbox.cases.permissions import can_see
from sandbox.cases.selectors import visible_cases
from sandbox.common.errors import ValidationFailed
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World
from .test_services_helpers import check_event, fresh, member, one_event, planned, refused

pytestmark = pytest.mark.django_db

REASON = "case_plan_service"


def _refer(w: World, case: Case | None = None, **kwargs: Any) -> Referral:
    case = case or w.consented()
    kwargs.setdefault("to_member", w.provider.pk)
    return s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                             reason=REASON, **kwargs)


# service.add ---------------------------------------------------------------------------------


def test_add_service(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        service = s.service_add(actor=w.worker, case=case, service_type="psychosocial_support",
                                description=" Weekly group ", provider_agency="cfi",
                                due_date=dt.date(2026, 3, 10))
    service = fresh(service)
    assert (service.service_type, service.status) == ("psychosocial_support", ServiceStatus.PLANNED)
    assert (service.description, service.provider_agency) == ("Weekly group", "cfi")
    assert service.due_at == dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)
    assert service.created_by == w.worker and service.created_at == w.space.clock
    check_event(watch.event, "service.add", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("service", service.pk)
    assert watch.event.details == {"service_type": "psychosocial_support", "provider_agency": "cfi"}


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"service_type": "magic"}, "service_type"),
    ({"service_type": None}, "service_type"),
    ({"service_type": "education", "provider_agency": "nasa"}, "provider_agency"),
    ({"service_type": "education", "due_date": "next week"}, "due_date"),
])
def test_add_service_bad_data(world: World, kwargs: dict[str, Any], field: str) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, field=field):
        s.service_add(actor=world.worker, case=case, **kwargs)


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_add_service_forbidden_by_role(world: World, role: str) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_role"):
        s.service_add(actor=member(world, role), case=case, service_type="education")


def test_add_service_forbidden_by_scope(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.service_add(actor=world.outsider, case=case, service_type="education")


# service.implement ---------------------------------------------------------------------------


def test_implement_the_last_service_moves_the_stage_on(world: World) -> None:
    w = world
    case = planned(w)
    first = s.service_add(actor=w.worker, case=case, service_type="education")
    second = s.service_add(actor=w.worker, case=case, service_type="livelihoods")
    with one_event(w.space) as watch:
        s.service_implement(actor=w.worker, service=first, notes=" Enrolled ")
    first = fresh(first)
    assert (first.status, first.implementation_notes) == (ServiceStatus.IMPLEMENTED, "Enrolled")
    assert first.implemented_at == w.space.clock
    assert fresh(case).stage == Stage.SERVICE_PROVISION
    check_event(watch.event, "service.implement", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("service", first.pk)
    with one_event(w.space) as watch:
        s.service_implement(actor=w.worker, service=second)
    assert fresh(case).stage == Stage.SERVICES_IMPLEMENTED
    assert watch.event.changes == {"stage": ["service_provision", "services_implemented"]}


def test_implement_twice_is_refused(world: World) -> None:
    case = world.case()
    service = s.service_add(actor=world.worker, case=case, service_type="education")
    s.service_implement(actor=world.worker, service=service)
    with refused(world.space, ValidationFailed, code="already_done"):
        s.service_implement(actor=world.worker, service=fresh(service))


def test_recipient_of_the_referral_implements_the_service(world: World) -> None:
    w = world
    referral = _refer(w)
    s.referral_accept(actor=w.provider, referral=referral)
    with one_event(w.space) as watch:
        s.service_implement(actor=w.provider, service=referral.service)
    assert fresh(referral.service).status == ServiceStatus.IMPLEMENTED
    check_event(watch.event, "service.implement", w.provider)


def test_implement_forbidden_by_role(world: World) -> None:
    case = world.case()
    service = s.service_add(actor=world.worker, case=case, service_type="education")
    with refused(world.space, code="forbidden_by_role"):
        s.service_implement(actor=member(world, "manager"), service=service)


@pytest.mark.parametrize("who", ["outsider", "provider"])
def test_implement_forbidden_by_scope(world: World, who: str) -> None:
    case = world.case()
    service = s.service_add(actor=world.worker, case=case, service_type="education")
    with refused(world.space, code="forbidden_by_scope"):
        s.service_implement(actor=getattr(world, who), service=service)


# referral.create -----------------------------------------------------------------------------


def test_refer_to_a_provider(world: World) -> None:
    w = world
    case = w.consented()
    with one_event(w.space) as watch:
        referral = _refer(w, case, urgency="immediate", notes=" Call the aunt first ")
    referral = fresh(referral)
    assert referral.status == ReferralStatus.PENDING
    assert (referral.to_member, referral.to_agency) == (w.provider, "lcs")
    assert (referral.service_type, referral.reason, referral.urgency) == (
        "family_tracing", REASON, "immediate")
    assert referral.notes == "Call the aunt first" and referral.consent_override_reason == ""
    service = referral.service
    assert (service.status, service.provider_agency) == (ServiceStatus.REFERRED, "lcs")
    task = referral.tasks.get()
    assert task.kind == TaskKind.SERVICE and task.due_at == w.space.clock + dt.timedelta(days=2)
    check_event(watch.event, "referral.create", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("referral", referral.pk)
    assert watch.event.details == {"service_type": "family_tracing", "reason": REASON,
                                   "urgency": "immediate", "to_member": w.provider.name,
                                   "to_agency": "lcs",
                                   "disclosed": ["identity", "contact", "concerns"]}
    assert referral.disclosed == ["identity", "contact", "concerns"]  # the default


def test_refer_a_planned_service(world: World) -> None:
    w = world
    case = w.consented()
    service = s.service_add(actor=w.worker, case=case, service_type="family_tracing")
    referral = _refer(w, case, service=service)
    assert referral.service == service and fresh(service).status == ServiceStatus.REFERRED
    assert case.service_set.count() == 1


def test_refer_to_an_agency(world: World) -> None:
    referral = _refer(world, to_member=None, to_agency="lcs")
    assert referral.to_member is None and referral.to_agency == "lcs"


def test_referral_without_consent_is_refused(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="consent_required") as info:
        _refer(w, case)
    assert info.value.details["consent_missing"] == ["share_information"]


def test_referral_after_consent_was_withdrawn_is_refused(world: World) -> None:
    w = world
    case = w.consented()
    s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=False)
    with refused(w.space, code="consent_required"):
        _refer(w, case)


def test_consent_for_services_alone_is_not_enough(world: World) -> None:
    w = world
    case = w.case()
    s.consent_record(actor=w.worker, case=case, consent_type="services", given=True)
    with refused(w.space, code="consent_required"):
        _refer(w, case)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_override_of_consent_with_a_reason(world: World, who: str) -> None:
    w = world
    actor = getattr(w, who)
    case = w.case()
    reason = "The child is in immediate danger; the caregiver cannot be reached."
    with one_event(w.space) as watch:
        referral = s.referral_create(actor=actor, case=case, service_type="safe_shelter",
                                     reason="immediate_safety", to_member=w.provider.pk,
                                     consent_override_reason=f"  {reason} ")
    assert fresh(referral).consent_override_reason == reason
    check_event(watch.event, "referral.create", actor, case=case)
    assert watch.event.details["consent_missing"] == ["share_information"]
    assert watch.event.details["consent_override_reason"] == reason


def test_override_without_a_reason_is_refused(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="consent_required"):
        s.referral_create(actor=w.supervisor, case=case, service_type="safe_shelter",
                          reason="immediate_safety", to_member=w.provider.pk,
                          consent_override_reason="   ")


def test_case_worker_giving_a_reason_is_still_refused(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="consent_override_forbidden"):
        _refer(w, case, consent_override_reason="It is urgent.")


def test_no_override_recorded_when_consent_was_given(world: World) -> None:
    w = world
    case = w.consented()
    with one_event(w.space) as watch:
        referral = s.referral_create(actor=w.supervisor, case=case,
                                     service_type="safe_shelter", reason="immediate_safety",
                                     to_member=w.provider.pk, consent_override_reason="Just in case")
    assert fresh(referral).consent_override_reason == ""
    assert "consent_override_reason" not in watch.event.details


def _other_space_member_pk() -> int:
    return MemberFactory(space=SpaceFactory(), role="service_provider", agency="lcs").pk


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"service_type": "magic"}, "service_type"),
    ({"reason": "boredom"}, "reason"),
    ({"to_member": None}, "to_member"),
    ({"to_member": None, "to_agency": "nasa"}, "to_agency"),
    ({"to_member": 987654}, "to_member"),
    ({"to_member": "other space"}, None),
    ({"urgency": "whenever"}, "urgency"),
])
def test_referral_bad_data(world: World, kwargs: dict[str, Any], field: str | None) -> None:
    w = world
    case = w.consented()
    if kwargs.get("to_member") == "other space":
        kwargs["to_member"] = _other_space_member_pk()
    data: dict[str, Any] = {"service_type": "family_tracing", "reason": REASON,
                            "to_member": w.provider.pk, **kwargs}
    with refused(w.space, ValidationFailed, field=field):
        s.referral_create(actor=w.worker, case=case, **data)


def test_referral_to_oneself_is_refused(world: World) -> None:
    w = world
    case = w.consented()
    with refused(w.space, ValidationFailed):
        _refer(w, case, to_member=w.worker.pk)


def test_referral_of_another_cases_service_is_refused(world: World) -> None:
    w = world
    other = w.consented(name_first="Yusuf")
    service = s.service_add(actor=w.worker, case=other, service_type="education")
    case = w.consented()
    with refused(w.space, ValidationFailed):
        _refer(w, case, service=service)


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_referral_forbidden_by_role(world: World, role: str) -> None:
    w = world
    case = w.consented()
    with refused(w.space, code="forbidden_by_role"):
        s.referral_create(actor=member(w, role), case=case, service_type="education",
                          reason=REASON, to_agency="cfi")


@pytest.mark.parametrize("who", ["outsider", "colleague"])
def test_referral_forbidden_by_scope(world: World, who: str) -> None:
    w = world
    case = w.consented()
    with refused(w.space, code="forbidden_by_scope"):
        s.referral_create(actor=getattr(w, who), case=case, service_type="education",
                          reason=REASON, to_agency="cfi")


# The recipient: sees the case, answers the referral ------------------------------------------


def test_provider_sees_and_acts_on_a_case_referred_to_them(world: World) -> None:
    w = world
    case = w.consented()
    config = w.space.config
    assert not can_see(w.provider, case, config)
    assert case not in visible_cases(w.provider)
    with refused(w.space, code="forbidden_by_scope"):
        s.note_add(actor=w.provider, case=case, subject="Visit", text="Met the child.")
    _refer(w, case)
    assert can_see(w.provider, case, config)
    assert list(visible_cases(w.provider)) == [case]
    with one_event(w.space) as watch:
        s.note_add(actor=w.provider, case=case, subject="Visit", text="Met the child.")
    check_event(watch.event, "note.add", w.provider, case=case)
    with one_event(w.space) as watch:
        s.followup_record(actor=w.provider, case=case, date="2026-03-02",
                          followup_type="home_visit", findings="Safe with the aunt.")
    check_event(watch.event, "followup.record", w.provider, case=case)


def test_accept_a_referral(world: World) -> None:
    w = world
    referral = _refer(w)
    w.space.advance_clock(dt.timedelta(hours=6))
    with one_event(w.space) as watch:
        s.referral_accept(actor=w.provider, referral=referral, comment=" We will call today. ")
    referral = fresh(referral)
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.responded_at == w.space.clock
    assert referral.response_comment == "We will call today."
    assert referral.tasks.get().completed_at == w.space.clock
    check_event(watch.event, "referral.accept", w.provider, case=referral.case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("referral", referral.pk)


def test_a_provider_of_the_agency_accepts_an_agency_referral(world: World) -> None:
    w = world
    referral = _refer(w, to_member=None, to_agency="lcs")
    s.referral_accept(actor=w.provider, referral=referral)
    assert fresh(referral).to_member == w.provider


def test_accept_twice_is_refused(world: World) -> None:
    w = world
    referral = _refer(w)
    s.referral_accept(actor=w.provider, referral=referral)
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.referral_accept(actor=w.provider, referral=fresh(referral))


def test_accept_with_a_stale_copy_after_rejection_is_refused(world: World) -> None:
    """The service must read the referral as it is now, not as the caller last did."""
    w = world
    referral = _refer(w)
    stale = fresh(referral)
    s.referral_reject(actor=w.provider, referral=referral, comment="No capacity.")
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.referral_accept(actor=w.provider, referral=stale)


@pytest.mark.parametrize("answer", ["accept", "reject"])
@pytest.mark.parametrize("who", ["admin", "other_provider", "provider_of_another_agency"])
def test_only_the_recipient_answers(world: World, answer: str, who: str) -> None:
    w = world
    to_agency = who == "provider_of_another_agency"
    referral = _refer(w, to_member=None, to_agency="lcs") if to_agency else _refer(w)
    actor = {"admin": w.admin,
             "other_provider": member(w, "service_provider", agency="lcs"),
             "provider_of_another_agency": member(w, "service_provider", agency="amal")}[who]
    with refused(w.space, code="not_recipient"):
        if answer == "accept":
            s.referral_accept(actor=actor, referral=referral)
        else:
            s.referral_reject(actor=actor, referral=referral, comment="Not ours.")


@pytest.mark.parametrize("answer", ["accept", "reject"])
@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_answer_forbidden_by_role(world: World, answer: str, who: str) -> None:
    """A referral made out to someone whose role cannot answer referrals (e.g. before
    their role changed) still cannot be answered by them."""
    from sandbox.cases.models import Referral

    w = world
    referral = _refer(w)
    Referral.objects.filter(pk=referral.pk).update(to_member=getattr(w, who))
    referral = fresh(referral)
    actor = getattr(w, who)
    with refused(w.space, code="forbidden_by_role"):
        if answer == "accept":
            s.referral_accept(actor=actor, referral=referral)
        else:
            s.referral_reject(actor=actor, referral=referral, comment="No.")


def test_reject_a_referral(world: World) -> None:
    w = world
    referral = _refer(w)
    with one_event(w.space) as watch:
        s.referral_reject(actor=w.provider, referral=referral, comment="No tracing team this month.")
    referral = fresh(referral)
    assert referral.status == ReferralStatus.REJECTED
    assert referral.response_comment == "No tracing team this month."
    assert referral.service.status == ServiceStatus.PLANNED  # to be referred elsewhere
    assert referral.tasks.get().completed_at == w.space.clock
    check_event(watch.event, "referral.reject", w.provider, case=referral.case, changes={})


@pytest.mark.parametrize("comment", ["", "  "])
def test_reject_without_a_reason_fails(world: World, comment: str) -> None:
    referral = _refer(world)
    with refused(world.space, ValidationFailed, field="comment"):
        s.referral_reject(actor=world.provider, referral=referral, comment=comment)


# referral.done -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["provider", "worker"])
def test_mark_a_referral_done(world: World, who: str) -> None:
    w = world
    referral = _refer(w)
    s.referral_accept(actor=w.provider, referral=referral)
    actor = getattr(w, who)
    with one_event(w.space) as watch:
        s.referral_done(actor=actor, referral=referral, comment="Family found.")
    referral = fresh(referral)
    assert referral.status == ReferralStatus.DONE and referral.done_at == w.space.clock
    assert referral.response_comment == "Family found."
    check_event(watch.event, "referral.done", actor, case=referral.case, changes={})


def test_done_before_acceptance_is_refused(world: World) -> None:
    referral = _refer(world)
    with refused(world.space, ValidationFailed, code="not_accepted"):
        s.referral_done(actor=world.provider, referral=referral)


def test_done_forbidden_by_role(world: World) -> None:
    referral = _refer(world)
    s.referral_accept(actor=world.provider, referral=referral)
    with refused(world.space, code="forbidden_by_role"):
        s.referral_done(actor=member(world, "manager"), referral=referral)


@pytest.mark.parametrize("who", ["outsider", "other_provider"])
def test_done_forbidden_by_scope(world: World, who: str) -> None:
    w = world
    referral = _refer(w)
    s.referral_accept(actor=w.provider, referral=referral)
    actor = w.outsider if who == "outsider" else member(w, "service_provider", agency="lcs")
    with refused(w.space, code="forbidden_by_scope"):
        s.referral_done(actor=actor, referral=referral)


# followup.record -----------------------------------------------------------------------------


def test_record_a_followup(world: World) -> None:
    w = world
    case = planned(w)
    old = case.tasks.get(kind=TaskKind.FOLLOWUP)
    w.space.advance_clock(dt.timedelta(days=2))
    with one_event(w.space) as watch:
        followup = s.followup_record(actor=w.worker, case=case, date=dt.date(2026, 3, 3),
                                     followup_type="home_visit", findings=" Doing well. ")
    followup = fresh(followup)
    assert (followup.date, followup.followup_type, followup.findings) == (
        dt.date(2026, 3, 3), "home_visit", "Doing well.")
    assert (followup.risk_before, followup.risk_after) == ("high", "high")
    assert fresh(old).completed_at == w.space.clock
    new = case.tasks.get(kind=TaskKind.FOLLOWUP, completed_at__isnull=True)
    assert new.due_at == w.space.clock + dt.timedelta(days=7)
    check_event(watch.event, "followup.record", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("followup", followup.pk)
    assert watch.event.details == {"followup_type": "home_visit", "date": "2026-03-03",
                                   "risk_before": "high", "risk_after": "high"}


def test_risk_change_by_followup_reschedules_open_tasks(world: World) -> None:
    w = world
    case = w.case(risk_level="high")
    assessment = case.tasks.get(kind=TaskKind.ASSESSMENT)
    assert assessment.due_at == assessment.started_at + dt.timedelta(hours=24)
    w.space.advance_clock(dt.timedelta(hours=3))
    with one_event(w.space) as watch:
        followup = s.followup_record(actor=w.worker, case=case, date="2026-03-02",
                                     followup_type="phone_call", findings="Now with her aunt.",
                                     risk_level="low")
    case = fresh(case)
    assert case.risk_level == "low" and case.data["risk_level"] == "low"
    assert (followup.risk_before, followup.risk_after) == ("high", "low")
    assert fresh(assessment).due_at == assessment.started_at + dt.timedelta(days=10)
    new = case.tasks.get(kind=TaskKind.FOLLOWUP, completed_at__isnull=True)
    assert new.due_at == w.space.clock + dt.timedelta(days=30)
    assert watch.event.changes == {"risk_level": ["high", "low"], "data.risk_level": ["high", "low"]}
    assert watch.event.details["risk_after"] == "low"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"date": "yesterday"}, "date"),
    ({"date": "2026-03-09"}, "date"),              # in the future of the simulated clock
    ({"date": 20260302}, "date"),                  # wrong type
    ({"followup_type": "telepathy"}, "followup_type"),
    ({"findings": "  "}, "findings"),
    ({"findings": None}, "findings"),
    ({"risk_level": "extreme"}, "risk_level"),
])
def test_followup_bad_data(world: World, kwargs: dict[str, Any], field: str) -> None:
    w = world
    case = w.case()
    data = {"date": "2026-03-02", "followup_type": "home_visit", "findings": "Fine.", **kwargs}
    with refused(w.space, ValidationFailed, field=field):
        s.followup_record(actor=w.worker, case=case, **data)


def test_followup_forbidden_by_role(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_role"):
        s.followup_record(actor=member(world, "manager"), case=case, date="2026-03-02",
                          followup_type="home_visit", findings="Fine.")


@pytest.mark.parametrize("who", ["outsider", "provider"])
def test_followup_forbidden_by_scope(world: World, who: str) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.followup_record(actor=getattr(world, who), case=case, date="2026-03-02",
                          followup_type="home_visit", findings="Fine.")


def test_followup_count_per_case(world: World) -> None:
    w = world
    case = w.case()
    for day in (1, 2):
        s.followup_record(actor=w.worker, case=case, date=f"2026-03-0{day}",
                          followup_type="phone_call", findings="Fine.")
    assert FollowUp.objects.filter(case=case).count() == 2
    assert case.tasks.filter(kind=TaskKind.FOLLOWUP, completed_at__isnull=True).count() == 1


def test_refer_to_someone_who_cannot_receive_referrals_is_refused(world: World) -> None:
    w = world
    case = w.consented()
    with refused(w.space, ValidationFailed, field="to_member"):
        s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                          reason="case_plan_service", to_member=w.colleague.pk)


def test_a_referral_refused_for_consent_is_recorded_without_changing_the_case(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="consent_required"):
        _refer(w, case, to_member=None, to_agency="lcs", urgency="")
    event = Event.objects.filter(space=w.space).order_by("-sequence").first()
    assert event is not None and event.action == "referral.create.refused"
    assert (event.actor_id, event.case_id, event.changes) == (w.worker.pk, case.pk, {})
    assert event.details == {"code": "consent_required", "consent_missing": ["share_information"],
                             "service_type": "family_tracing", "reason": REASON,
                             "to_agency": "lcs"}
    assert not Referral.objects.filter(case=case).exists()


def test_a_referral_refused_for_its_form_is_not_recorded(world: World) -> None:
    w = world
    case = w.consented()
    with refused(w.space, ValidationFailed, field="reason"):
        s.referral_create(actor=w.worker, case=case, service_type="family_tracing", reason="nope",
                          to_member=w.provider.pk)
    assert not Event.objects.filter(space=w.space, action__endswith=".refused").exists()


def test_a_referral_records_what_it_discloses(world: World) -> None:
    w = world
    case = w.consented()
    with one_event(w.space) as watch:
        referral = _refer(w, case, disclosed=["concerns", "identity", "concerns"])
    assert fresh(referral).disclosed == ["identity", "concerns"]  # in the vocabulary's order
    assert watch.event.details["disclosed"] == ["identity", "concerns"]


@pytest.mark.parametrize("disclosed", [[], ["identity", "diary"], "identity,contact"])
def test_a_referral_discloses_something_known(world: World, disclosed: Any) -> None:
    w = world
    case = w.consented()
    with refused(w.space, ValidationFailed, field="disclosed"):
        _refer(w, case, disclosed=disclosed)
