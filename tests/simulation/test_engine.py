"""The running exercise: the clock, the timeline's injects, and simulated actors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Approval, Case, Event, Referral, Task, TaskKind, Transfer
from sandbox.common.errors import ValidationFailed
from sandbox.simulation.engine import advance, next_due
from sandbox.simulation.models import Inject, Message, SpaceSeed
from sandbox.spaces.models import Space
from tests.cases.conftest import assessment_data, case_plan_data

from .conftest import START, WriteScenario, case_of, member, seed

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
REGISTRATION = {"name_last": "Inconnue", "risk_level": "high", "date_identified": "2026-03-01",
                "identified_by": "community_volunteer"}


def clock(space: Space) -> dt.datetime:
    return Space.objects.get(pk=space.pk).clock


def messages(space: Space) -> list[Message]:
    return list(Message.objects.filter(space=space).order_by("sim_time", "pk"))


def referred_amina(space: Space) -> Referral:
    """The trainee registers Amina, records consent and refers her to the tracing team."""
    worker = member(space, "caseworker")
    amina = s.case_register(actor=worker, case=case_of(space, "amina"), data=REGISTRATION)
    s.consent_record(actor=worker, case=amina, consent_type="share_information", given=True,
                     given_by="child")
    return s.referral_create(actor=worker, case=amina, service_type="family_tracing",
                             reason="case_plan_service", to_member=member(space, "tracing").pk)


def assessed_yusuf(space: Space) -> Approval:
    """The trainee completes Yusuf's assessment and asks for its approval."""
    worker = member(space, "caseworker")
    yusuf = case_of(space, "yusuf")
    s.assessment_complete(actor=worker, case=yusuf, data=assessment_data())
    return s.approval_request(actor=worker, case=yusuf, kind="assessment")


# -- the clock and timed injects -------------------------------------------------------------


def test_advance_fires_due_injects_in_time_order(seeded: Space) -> None:
    fired = advance(seeded, by=dt.timedelta(hours=8))
    assert fired == ["school-calls", "aunt-calls"]
    assert clock(seeded) == START + dt.timedelta(hours=8)
    school, aunt = messages(seeded)
    assert (school.inject_ref, school.sim_time, school.body) == (
        "school-calls", START + 2 * HOUR,
        {"en": "The school calls about Yusuf.", "fr": "L'école appelle au sujet de Yusuf."})
    assert (aunt.inject_ref, aunt.sim_time, aunt.sender) == (
        "aunt-calls", START.replace(hour=15), {"en": "Duty phone", "fr": "Téléphone de permanence"})
    assert aunt.body == {"en": "The aunt calls.", "fr": "La tante appelle."}
    fired_at = dict(Inject.objects.filter(space=seeded).values_list("ref", "fired_at"))
    assert fired_at == {"school-calls": START + 2 * HOUR, "aunt-calls": START.replace(hour=15),
                        "tracing-confirms": None, "risk-drops": None}


def test_advance_fires_nothing_twice(seeded: Space) -> None:
    assert advance(seeded, by=dt.timedelta(hours=3)) == ["school-calls"]
    assert advance(seeded, by=dt.timedelta(hours=3)) == []
    assert advance(seeded, by=dt.timedelta(hours=3)) == ["aunt-calls"]
    assert len(messages(seeded)) == 2


def test_advance_to_next(seeded: Space) -> None:
    assert next_due(seeded) == START + 2 * HOUR
    assert advance(seeded, to_next=True) == ["school-calls"]
    assert clock(seeded) == START + 2 * HOUR
    assert advance(seeded, to_next=True) == ["aunt-calls"]
    assert clock(seeded) == START.replace(hour=15)
    assert advance(seeded, to_next=True) == ["risk-drops"]
    assert clock(seeded) == START + dt.timedelta(days=1, hours=1)
    # The triggered inject is not scheduled: nothing else is due.
    with pytest.raises(ValidationFailed) as info:
        advance(seeded, to_next=True)
    assert info.value.code == "nothing_scheduled"
    assert clock(seeded) == START + dt.timedelta(days=1, hours=1)


@pytest.mark.parametrize("by", [dt.timedelta(0), -HOUR, dt.timedelta(days=90, minutes=1), None])
def test_advance_refuses_what_is_not_a_step_forward_of_at_most_90_days(
        seeded: Space, by: dt.timedelta | None) -> None:
    with pytest.raises(ValidationFailed):
        advance(seeded, by=by)
    assert clock(seeded) == START
    assert not Inject.objects.filter(space=seeded, fired_at__isnull=False).exists()


def test_advance_by_90_days(seeded: Space) -> None:
    advance(seeded, by=dt.timedelta(days=90))
    assert clock(seeded) == START + dt.timedelta(days=90)


def test_an_update_inject_changes_the_case_through_a_system_event(seeded: Space) -> None:
    yusuf = case_of(seeded, "yusuf")
    due_before = Task.objects.get(case=yusuf, kind=TaskKind.ASSESSMENT).due_at
    assert advance(seeded, by=dt.timedelta(days=1, hours=2))[-1] == "risk-drops"
    yusuf.refresh_from_db()
    assert yusuf.risk_level == "low"
    assert yusuf.data["risk_level"] == "low"
    event = Event.objects.filter(case=yusuf).latest("sequence")
    assert (event.action, event.actor_name, event.role, event.actor_id) == (
        "case.update", "Simulation", "", None)
    assert event.changes["risk_level"] == ["medium", "low"]
    assert event.sim_time == START + dt.timedelta(days=1, hours=1)
    # A lower risk gives the assessment a later deadline.
    assert Task.objects.get(case=yusuf, kind=TaskKind.ASSESSMENT).due_at > due_before


def test_a_new_case_inject(default_config: Any, write_scenario: WriteScenario) -> None:
    path = write_scenario(background="", timeline="""\
  - id: new-arrival
    at: "+1h"
    message: {en: "A girl arrives at the office.", fr: "Une fille arrive au bureau."}
    new_case: {ref: fatou, owner: caseworker, child: {sex: female, age: 6, name_first: Fatou}, risk: low}""")
    space = seed(path, "arrivals")
    assert advance(space, by=2 * HOUR) == ["new-arrival"]
    fatou = case_of(space, "fatou")
    assert (fatou.name_first, fatou.age, fatou.risk_level, fatou.registration_status) == (
        "Fatou", 6, "low", "identified")
    assert fatou.owner == member(space, "caseworker")
    assert fatou.created_at == START + HOUR
    event = Event.objects.get(case=fatou)
    assert (event.action, event.actor_name, event.role) == ("case.identify", "Simulation", "")
    [message] = messages(space)
    assert message.body["en"] == "A girl arrives at the office."


# -- triggered injects ----------------------------------------------------------------------


def test_an_after_inject_is_scheduled_by_the_action_and_fires_after_its_delay(
        seeded: Space) -> None:
    advance(seeded, by=HOUR)
    inject = Inject.objects.get(space=seeded, ref="tracing-confirms")
    assert inject.due_at is None
    referral = referred_amina(seeded)
    inject.refresh_from_db()
    assert inject.due_at == START + 4 * HOUR  # referred at 09:00, delay 3h
    fired = advance(seeded, by=2 * HOUR + dt.timedelta(minutes=59))
    # The school's call at 10:00, the tracing team's answer at 11:00 (a delay of 2h).
    assert fired[:2] == ["school-calls", f"actor:tracing:referral.create:{referral.pk}"]
    assert "tracing-confirms" not in fired
    assert not Message.objects.filter(space=seeded, inject_ref="tracing-confirms").exists()
    assert "tracing-confirms" in advance(seeded, by=dt.timedelta(minutes=1))
    message = Message.objects.get(space=seeded, inject_ref="tracing-confirms")
    assert message.sim_time == START + 4 * HOUR
    assert message.body["en"] == "The tracing team will visit the aunt."


def test_an_after_inject_waits_for_its_case(seeded: Space) -> None:
    worker = member(seeded, "caseworker")
    s.referral_create(actor=worker, case=case_of(seeded, "yusuf"), service_type="family_tracing",
                      reason="case_plan_service", to_member=member(seeded, "tracing").pk)
    assert Inject.objects.get(space=seeded, ref="tracing-confirms").due_at is None
    referred_amina(seeded)
    assert Inject.objects.get(space=seeded, ref="tracing-confirms").due_at == START + 3 * HOUR


# -- simulated actors ------------------------------------------------------------------------


def test_a_simulated_supervisor_approves_after_the_delay(seeded: Space) -> None:
    approval = assessed_yusuf(seeded)
    advance(seeded, by=dt.timedelta(minutes=59))
    approval.refresh_from_db()
    assert approval.status == "pending"
    advance(seeded, by=dt.timedelta(minutes=1))
    approval.refresh_from_db()
    assert (approval.status, approval.decision_comment, approval.decided_by) == (
        "approved", "Good assessment.", member(seeded, "supervisor"))
    assert approval.decided_at == START + HOUR
    event = Event.objects.get(space=seeded, action="approval.decide")
    assert (event.actor_name, event.role, event.details["approved"]) == (
        "Grace Mensah", "supervisor", True)
    assert case_of(seeded, "yusuf").stage == "case_plan"
    message = Message.objects.get(space=seeded, sender={"en": "Grace Mensah"})
    assert message.body == {"en": "Good assessment.", "fr": "Bonne évaluation."}
    assert message.case_display_id == case_of(seeded, "yusuf").display_id


def test_reject_first_rejects_the_first_request_and_approves_the_second(seeded: Space) -> None:
    worker = member(seeded, "caseworker")
    yusuf = case_of(seeded, "yusuf")
    assessed_yusuf(seeded)
    advance(seeded, by=HOUR)
    s.case_plan_save(actor=worker, case=yusuf, data=case_plan_data())
    first = s.approval_request(actor=worker, case=yusuf, kind="case_plan")
    advance(seeded, by=2 * HOUR)
    first.refresh_from_db()
    assert (first.status, first.decision_comment) == ("rejected", "Add the school.")
    assert case_of(seeded, "yusuf").stage == "case_plan"
    second = s.approval_request(actor=worker, case=yusuf, kind="case_plan")
    advance(seeded, by=HOUR)
    second.refresh_from_db()
    assert second.status == "pending"  # the delay is 2h
    advance(seeded, by=HOUR)
    second.refresh_from_db()
    assert second.status == "approved"
    assert second.decided_by == member(seeded, "supervisor")
    assert case_of(seeded, "yusuf").stage == "service_provision"


def test_a_simulated_supervisor_approves_by_default(default_config: Any,
                                                    write_scenario: WriteScenario) -> None:
    """No script for the supervisor: every request is approved, an hour later."""
    path = write_scenario(background="", actors="""\
  tracing:
    referrals: {decision: accept}""")
    space = seed(path, "default-actors")
    approval = assessed_yusuf(space)
    advance(space, by=HOUR)
    approval.refresh_from_db()
    assert (approval.status, approval.decided_at) == ("approved", START + HOUR)
    assert approval.decision_comment == "Approved."


def test_a_simulated_service_provider_accepts_a_referral(seeded: Space) -> None:
    advance(seeded, by=HOUR)
    referral = referred_amina(seeded)
    advance(seeded, by=HOUR)
    referral.refresh_from_db()
    assert referral.status == "pending"
    advance(seeded, by=HOUR)
    referral.refresh_from_db()
    assert referral.status in ("accepted", "done")
    assert referral.response_comment == "Accepted: we will trace the family."
    assert referral.responded_at == START + 3 * HOUR
    accepted = Event.objects.get(space=seeded, action="referral.accept")
    assert (accepted.actor_name, accepted.role, accepted.sim_time) == (
        "Omar Benali", "service_provider", START + 3 * HOUR)
    # The tracing team then provides the service.
    advance(seeded, by=dt.timedelta(days=1))
    referral.refresh_from_db()
    assert referral.status == "done"
    assert Event.objects.get(space=seeded, action="referral.done").actor_name == "Omar Benali"


def test_a_simulated_service_provider_answers_referrals_to_their_agency(seeded: Space) -> None:
    worker = member(seeded, "caseworker")
    referral = s.referral_create(actor=worker, case=case_of(seeded, "yusuf"),
                                 service_type="family_tracing", reason="case_plan_service",
                                 to_agency="lcs")
    advance(seeded, by=2 * HOUR)
    referral.refresh_from_db()
    assert referral.status in ("accepted", "done")
    assert referral.to_member == member(seeded, "tracing")


def test_a_simulated_service_provider_rejects_a_referral(default_config: Any,
                                                         write_scenario: WriteScenario) -> None:
    path = write_scenario(background="", actors="""\
  tracing:
    referrals:
      decision: reject
      delay: 30m
      comment: {en: "No capacity this month.", fr: "Pas de place ce mois-ci."}""")
    space = seed(path, "rejects")
    referral = s.referral_create(actor=member(space, "caseworker"), case=case_of(space, "yusuf"),
                                 service_type="family_tracing", reason="case_plan_service",
                                 to_member=member(space, "tracing").pk)
    advance(space, by=dt.timedelta(minutes=30))
    referral.refresh_from_db()
    assert (referral.status, referral.response_comment) == ("rejected", "No capacity this month.")


COLLEAGUE = ('  colleague: {played_by: simulated, role: caseworker, agency: dsw, '
             'user_groups: [dsw_north], name: "Koffi Asante"}\n')


def transfers_scenario(write_scenario: WriteScenario, decision: str) -> Path:
    path = write_scenario(background="", actors=f"""\
  colleague:
    transfers: {{decision: {decision}, delay: 1h, comment: {{en: "Not now.", fr: "Pas maintenant."}}}}""")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("world:\n", COLLEAGUE + "world:\n", 1), encoding="utf-8")
    return path


def transfer_yusuf(space: Space) -> Transfer:
    return s.transfer_create(actor=member(space, "caseworker"), case=case_of(space, "yusuf"),
                             to_member=member(space, "colleague").pk, reason="Going on leave.")


def test_a_simulated_colleague_accepts_a_transfer(default_config: Any,
                                                  write_scenario: WriteScenario) -> None:
    space = seed(transfers_scenario(write_scenario, "accept"), "transfers")
    transfer = transfer_yusuf(space)
    advance(space, by=HOUR)
    transfer.refresh_from_db()
    assert transfer.status == "accepted"
    assert case_of(space, "yusuf").owner == member(space, "colleague")


def test_a_simulated_colleague_rejects_the_first_transfer(default_config: Any,
                                                          write_scenario: WriteScenario) -> None:
    """`reject_first`: reject the first request, approve the next (the scenario format
    says so for every kind of answer). (Engine bug: transfers only know `reject`, so
    `reject_first` accepts the first transfer at once.)"""
    space = seed(transfers_scenario(write_scenario, "reject_first"), "transfers")
    first = transfer_yusuf(space)
    advance(space, by=HOUR)
    first.refresh_from_db()
    assert (first.status, first.response_comment) == ("rejected", "Not now.")
    assert case_of(space, "yusuf").owner == member(space, "caseworker")
    second = transfer_yusuf(space)
    advance(space, by=HOUR)
    second.refresh_from_db()
    assert second.status == "accepted"


def test_an_approval_request_is_answered_once(seeded: Space) -> None:
    """One supervisor answers a request, once; nothing else appears in the world."""
    assessed_yusuf(seeded)
    assert Inject.objects.filter(space=seeded, ref__startswith="actor:supervisor:").count() == 1
    advance(seeded, by=dt.timedelta(days=2))
    assert Event.objects.filter(space=seeded, action="approval.decide").count() == 1
    assert SpaceSeed.objects.get(space=seeded).cases.keys() == {"amina", "yusuf"}
    assert Case.objects.filter(space=seeded).count() == 6
