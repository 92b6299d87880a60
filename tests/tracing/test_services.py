"""The services of family tracing: validation, one event each, the steps of a match in
order, and consent for tracing before a match is confirmed."""

from __future__ import annotations

import pytest

from sandbox.cases import services as cs
from sandbox.cases.models import Event
from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.tracing import services as s
from sandbox.tracing.models import MatchStatus, RequestStatus, TracingMatch

from .conftest import World, request_data


def events(world: World, action: str) -> list[Event]:
    return list(Event.objects.filter(space=world.space, action=action))


def test_create_writes_the_request_and_one_event(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    assert request.display_id == "TR-0001"
    assert request.owner == world.worker and request.user_groups == ["dsw_north"]
    assert str(request.separation_date) == "2026-02-22"
    [event] = events(world, "tracing_request.create")
    assert event.record_type == "tracingrequest" and event.record_id == request.pk
    assert event.changes["inquirer_name"] == [None, "Halima Diallo"]
    second = s.tracing_request_create(actor=world.worker, data=request_data())
    assert second.display_id == "TR-0002"


def test_every_problem_is_reported_by_field_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        s.tracing_request_create(actor=world.worker, data=request_data(
            inquirer_name="", age_from=12, age_to=9, separation_place="NOWHERE",
            separation_date="2027-01-01", sex="dragon", colour="blue"))
    fields = caught.value.details["fields"]
    assert set(fields) == {"inquirer_name", "age_to", "separation_place", "separation_date",
                           "sex", "colour"}
    assert not events(world, "tracing_request.create")


def test_a_name_or_a_description_is_needed(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        s.tracing_request_create(actor=world.worker, data=request_data(
            name_first="", name_last="", description=""))
    assert "name_first" in caught.value.details["fields"]


def test_update_changes_only_the_fields_given(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    s.tracing_request_update(actor=world.worker, request=request, data={"age_to": 13})
    request.refresh_from_db()
    assert request.age_to == 13 and request.name_first == "Aminah"
    [event] = events(world, "tracing_request.update")
    assert event.changes == {"age_to": [12, 13]}
    with pytest.raises(ValidationFailed):
        s.tracing_request_update(actor=world.worker, request=request, data={"age_from": 14})


def test_trace_record(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    trace = s.trace_record(actor=world.worker, request=request, date="2026-03-01",
                           trace_type="visit", outcome="lead", place="LR010102",
                           note="A neighbour saw a girl taken to Belmar.")
    assert list(request.traces.all()) == [trace]
    [event] = events(world, "trace.record")
    assert event.details["outcome"] == "lead"
    for bad in ({"trace_type": "telepathy"}, {"outcome": "maybe"}, {"date": ""},
                {"date": "2026-04-01"}, {"place": "NOWHERE"}):
        arguments = {"date": "2026-03-01", "trace_type": "visit", "outcome": "lead", **bad}
        with pytest.raises(ValidationFailed):
            s.trace_record(actor=world.worker, request=request, **arguments)
    assert request.traces.count() == 1


def misspelt_case(world: World, **overrides: object):  # type: ignore[no-untyped-def]
    """Amina Diallo, registered by a colleague; the aunt writes "Aminah Dialo"."""
    return cs.case_register(actor=world.colleague, data={
        **{"name_first": "Amina", "name_last": "Diallo", "sex": "female", "age": 11,
           "location_current": "LR010101", "date_identified": "2026-03-01",
           "identified_by": "community_volunteer", "protection_concerns": ["separated"],
           "risk_level": "high"}, **overrides})


def test_the_search_ranks_the_misspelt_case_first_with_its_reasons(world: World) -> None:
    case = misspelt_case(world)
    misspelt_case(world, name_first="Zainab", name_last="Kamara")
    other = misspelt_case(world, name_first="Amina", name_last="Diallo", age=14,
                          location_current="LR010201", date_identified="2026-01-10")
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    found = s.match_search(actor=world.worker, request=request)
    assert [m.case for m in found][:2] == [case, other]
    reasons = {why for why, _detail in found[0].reasons}
    assert {"sex", "age", "place", "date"} <= reasons
    assert found[0].score > found[1].score and {why for why, _d in found[1].reasons} & {
        "place", "date"} == set()
    [event] = events(world, "match.search")
    assert event.details["candidates"][0]["case"] == case.display_id
    # A second search replaces the proposals, and keeps the decided matches.
    s.match_reject(actor=world.worker, match=found[1], reason="A girl of fourteen.")
    again = s.match_search(actor=world.worker, request=request)
    assert len(again) == len(found)
    assert TracingMatch.objects.get(pk=found[1].pk).status == MatchStatus.REJECTED


def proposed(world: World) -> TracingMatch:
    case = misspelt_case(world)
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    [match] = [m for m in s.match_search(actor=world.worker, request=request) if m.case == case]
    return match


def test_confirming_needs_the_case_consent_for_tracing(world: World) -> None:
    match = proposed(world)
    with pytest.raises(NotAllowed) as caught:
        s.match_confirm(actor=world.worker, match=match, reason="Same scar, same market.")
    assert caught.value.code == "consent_required"
    with pytest.raises(NotAllowed) as caught:
        s.match_confirm(actor=world.worker, match=match, reason="Same scar.",
                        consent_override_reason="Urgent.")
    assert caught.value.code == "consent_override_forbidden"
    assert not events(world, "match.confirm")
    # Both refused attempts are kept, with what was missing (scenario rules can see them).
    refusals = events(world, "match.confirm.refused")
    assert [e.details["code"] for e in refusals] == ["consent_required", "consent_override_forbidden"]
    assert refusals[0].details["consent_missing"] == ["tracing"]
    cs.consent_record(actor=world.colleague, case=match.case, consent_type="tracing", given=True,
                      given_by="both")
    s.match_confirm(actor=world.worker, match=match, reason="Same scar, same market.")
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.decided_by == world.worker
    assert match.tracing_request.status == RequestStatus.MATCHED
    [event] = events(world, "match.confirm")
    assert event.case_id == match.case_id and event.details["reason"] == "Same scar, same market."


def test_a_supervisor_may_confirm_without_consent_giving_a_reason(world: World) -> None:
    match = proposed(world)
    s.match_confirm(actor=world.supervisor, match=match, reason="Same scar.",
                    consent_override_reason="The child is too young; no caregiver yet.")
    match.refresh_from_db()
    assert match.consent_override_reason.startswith("The child is too young")
    [event] = events(world, "match.confirm")
    assert event.details["consent_missing"] == ["tracing"]


def test_the_steps_after_a_match_come_in_order(world: World) -> None:
    match = proposed(world)
    with pytest.raises(ValidationFailed):
        s.match_verify(actor=world.worker, match=match, note="Too early.")
    with pytest.raises(ValidationFailed):
        s.match_confirm(actor=world.supervisor, match=match, reason=" ",
                        consent_override_reason="x")
    s.match_confirm(actor=world.supervisor, match=match, reason="Same scar.",
                    consent_override_reason="No caregiver yet.")
    with pytest.raises(ValidationFailed):
        s.reunification_record(actor=world.worker, match=match, outcome="reunified",
                               date="2026-03-02", note="Too early.")
    s.match_verify(actor=world.worker, match=match,
                   note="Amina recognised her aunt and named her cousins.")
    with pytest.raises(ValidationFailed):
        s.reunification_record(actor=world.worker, match=match, outcome="adopted",
                               date="2026-03-02", note="Plan.")
    s.reunification_record(actor=world.worker, match=match, outcome="reunified",
                           date="2026-03-02", note="Home visit in two weeks.")
    match.refresh_from_db()
    assert match.status == MatchStatus.CLOSED and match.outcome == "reunified"
    assert match.tracing_request.status == RequestStatus.CLOSED
    on_case = Event.objects.filter(space=world.space, case=match.case).values_list("action", flat=True)
    assert {"match.confirm", "match.verify", "reunification.record"} <= set(on_case)
    with pytest.raises(ValidationFailed):
        s.match_reject(actor=world.worker, match=match, reason="Changed my mind.")


def test_rejecting_needs_a_reason(world: World) -> None:
    match = proposed(world)
    with pytest.raises(ValidationFailed):
        s.match_reject(actor=world.worker, match=match, reason="")
    s.match_reject(actor=world.worker, match=match, reason="The aunt says her niece is older.")
    assert TracingMatch.objects.get(pk=match.pk).status == MatchStatus.REJECTED
    [event] = events(world, "match.reject")
    assert event.details["case"] == match.case.display_id
