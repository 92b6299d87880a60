"""Who holds a case (transfers and assignment), and what marks it (notes and flags)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Case, Flag, Transfer, TransferStatus
from sandbox.cases.selectors import visible_cases
from sandbox.common.errors import ValidationFailed
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World
from .test_services_helpers import check_event, fresh, member, one_event, refused, take_permission

pytestmark = pytest.mark.django_db

WHY = "The family moved to Port Hassan, where CFI works."


def _transfer(w: World, case: Case | None = None, **kwargs: Any) -> Transfer:
    case = case or w.consented()
    kwargs.setdefault("to_member", w.outsider.pk)
    kwargs.setdefault("reason", WHY)
    return s.transfer_create(actor=w.worker, case=case, **kwargs)


# transfer.create -----------------------------------------------------------------------------


def test_offer_a_transfer(world: World) -> None:
    w = world
    case = w.consented()
    with one_event(w.space) as watch:
        transfer = _transfer(w, case, reason=f"  {WHY} ")
    transfer = fresh(transfer)
    assert (transfer.to_member, transfer.reason, transfer.status) == (
        w.outsider, WHY, TransferStatus.PENDING)
    assert transfer.consent_override_reason == ""
    assert fresh(case).owner == w.worker  # until the recipient accepts
    check_event(watch.event, "transfer.create", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("transfer", transfer.pk)
    assert watch.event.details == {"to_member": w.outsider.name, "reason": WHY}


def test_transfer_without_consent_is_refused(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="consent_required") as info:
        _transfer(w, case)
    assert info.value.details["consent_missing"] == ["share_information"]


def test_supervisor_transfers_without_consent_giving_a_reason(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        transfer = s.transfer_create(actor=w.supervisor, case=case, to_member=w.outsider.pk,
                                     reason=WHY, consent_override_reason="Caregiver unreachable.")
    assert fresh(transfer).consent_override_reason == "Caregiver unreachable."
    check_event(watch.event, "transfer.create", w.supervisor, case=case)
    assert watch.event.details["consent_missing"] == ["share_information"]
    assert watch.event.details["consent_override_reason"] == "Caregiver unreachable."


def test_case_worker_giving_a_reason_is_still_refused(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="consent_override_forbidden"):
        _transfer(w, case, consent_override_reason="Caregiver unreachable.")


def test_a_second_pending_transfer_is_refused(world: World) -> None:
    w = world
    case = w.consented()
    _transfer(w, case)
    with refused(w.space, ValidationFailed, code="transfer_pending"):
        _transfer(w, case, to_member=w.colleague.pk)


def test_transfer_to_the_owner_is_refused(world: World) -> None:
    w = world
    case = w.consented()
    with refused(w.space, ValidationFailed):
        _transfer(w, case, to_member=w.worker.pk)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"to_member": 987654}, "to_member"),
    ({"to_member": None}, None),
    ({"to_member": "other space"}, None),
    ({"reason": ""}, "reason"),
    ({"reason": None}, "reason"),
])
def test_transfer_bad_data(world: World, kwargs: dict[str, Any], field: str | None) -> None:
    w = world
    case = w.consented()
    if kwargs.get("to_member") == "other space":
        kwargs["to_member"] = MemberFactory(space=SpaceFactory(), role="caseworker").pk
    with refused(w.space, ValidationFailed, field=field):
        _transfer(w, case, **kwargs)


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_transfer_forbidden_by_role(world: World, role: str) -> None:
    w = world
    case = w.consented()
    with refused(w.space, code="forbidden_by_role"):
        s.transfer_create(actor=member(w, role), case=case, to_member=w.outsider.pk, reason=WHY)


@pytest.mark.parametrize("who", ["outsider", "colleague"])
def test_transfer_forbidden_by_scope(world: World, who: str) -> None:
    w = world
    case = w.consented()
    with refused(w.space, code="forbidden_by_scope"):
        s.transfer_create(actor=getattr(w, who), case=case, to_member=w.admin.pk, reason=WHY)


# transfer.accept / transfer.reject -----------------------------------------------------------


def test_recipient_sees_a_case_being_transferred_to_them(world: World) -> None:
    w = world
    case = w.consented()
    assert case not in visible_cases(w.outsider)
    transfer = _transfer(w, case)
    assert case in visible_cases(w.outsider)
    s.transfer_reject(actor=w.outsider, transfer=transfer, comment="No capacity.")
    assert case not in visible_cases(w.outsider)


def test_accept_a_transfer(world: World) -> None:
    w = world
    transfer = _transfer(w)
    with one_event(w.space) as watch:
        s.transfer_accept(actor=w.outsider, transfer=transfer, comment=" Welcome, Amina. ")
    transfer = fresh(transfer)
    assert transfer.status == TransferStatus.ACCEPTED
    assert transfer.responded_at == w.space.clock
    assert transfer.response_comment == "Welcome, Amina."
    case = fresh(transfer.case)
    assert (case.owner, case.agency, case.user_groups) == (w.outsider, "cfi", [])
    check_event(watch.event, "transfer.accept", w.outsider, case=case, changes={
        "owner_id": [w.worker.pk, w.outsider.pk], "agency": ["dsw", "cfi"]})
    assert (watch.event.record_type, watch.event.record_id) == ("transfer", transfer.pk)
    # The new owner works on the case; the former owner no longer can.
    s.note_add(actor=w.outsider, case=case, subject="First visit", text="Met Amina.")
    with refused(w.space, code="forbidden_by_scope"):
        s.note_add(actor=w.worker, case=case, subject="Visit", text="Met Amina.")


def test_reject_a_transfer(world: World) -> None:
    w = world
    transfer = _transfer(w)
    with one_event(w.space) as watch:
        s.transfer_reject(actor=w.outsider, transfer=transfer, comment=" Outside our area. ")
    transfer = fresh(transfer)
    assert transfer.status == TransferStatus.REJECTED
    assert transfer.response_comment == "Outside our area."
    assert fresh(transfer.case).owner == w.worker
    check_event(watch.event, "transfer.reject", w.outsider, case=transfer.case, changes={})


@pytest.mark.parametrize("comment", ["", "  ", None])
def test_reject_a_transfer_needs_a_reason(world: World, comment: Any) -> None:
    transfer = _transfer(world)
    with refused(world.space, ValidationFailed, field="comment"):
        s.transfer_reject(actor=world.outsider, transfer=transfer, comment=comment)


@pytest.mark.parametrize("answer", ["accept", "reject"])
@pytest.mark.parametrize("who", ["colleague", "supervisor", "admin"])
def test_only_the_recipient_answers_a_transfer(world: World, answer: str, who: str) -> None:
    w = world
    transfer = _transfer(w)
    actor = getattr(w, who)
    with refused(w.space, code="not_recipient"):
        if answer == "accept":
            s.transfer_accept(actor=actor, transfer=transfer)
        else:
            s.transfer_reject(actor=actor, transfer=transfer, comment="Mine now.")


@pytest.mark.parametrize("answer", ["accept", "reject"])
@pytest.mark.parametrize("role", ["manager", "service_provider"])
def test_answer_a_transfer_forbidden_by_role(world: World, answer: str, role: str) -> None:
    """A transfer made out to someone whose role cannot take transfers (e.g. made
    before their role changed) still cannot be answered by them."""
    from sandbox.cases.models import Transfer

    w = world
    recipient = member(w, role, agency="dsw")
    case = w.consented()
    transfer = Transfer.objects.create(space=w.space, case=case, to_member=recipient, reason="Old",
                                       created_by=w.worker, created_at=w.space.clock)
    with refused(w.space, code="forbidden_by_role"):
        if answer == "accept":
            s.transfer_accept(actor=recipient, transfer=transfer)
        else:
            s.transfer_reject(actor=recipient, transfer=transfer, comment="No.")


def test_answer_a_transfer_twice_is_refused(world: World) -> None:
    w = world
    transfer = _transfer(w)
    s.transfer_reject(actor=w.outsider, transfer=transfer, comment="No capacity.")
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.transfer_accept(actor=w.outsider, transfer=fresh(transfer))


def test_accept_with_a_stale_copy_after_rejection_is_refused(world: World) -> None:
    """A rejected transfer must not move the case because the recipient's page
    still showed it pending: the service must read the transfer as it is now."""
    w = world
    transfer = _transfer(w)
    stale = fresh(transfer)
    s.transfer_reject(actor=w.outsider, transfer=transfer, comment="No capacity.")
    with refused(w.space, ValidationFailed, code="already_answered"):
        s.transfer_accept(actor=w.outsider, transfer=stale)


# case.assign ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "manager", "admin"])
def test_assign_a_case(world: World, who: str) -> None:
    w = world
    case = w.case()
    actor = member(w, "manager", agency="dsw") if who == "manager" else getattr(w, who)
    with one_event(w.space) as watch:
        s.case_assign(actor=actor, case=case, to_member=w.colleague.pk, reason=" Leave ")
    assert fresh(case).owner == w.colleague
    check_event(watch.event, "case.assign", actor, case=case,
                changes={"owner_id": [w.worker.pk, w.colleague.pk]})
    assert watch.event.details == {"to_member": w.colleague.name, "reason": "Leave"}


def test_assign_to_another_agency_moves_the_case_there(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        s.case_assign(actor=w.admin, case=case, to_member=w.outsider.pk)
    case = fresh(case)
    assert (case.owner, case.agency, case.user_groups) == (w.outsider, "cfi", [])
    assert watch.event.changes == {"owner_id": [w.worker.pk, w.outsider.pk],
                                   "agency": ["dsw", "cfi"]}


@pytest.mark.parametrize("who", ["worker", "provider"])
def test_assign_forbidden_by_role(world: World, who: str) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="forbidden_by_role"):
        s.case_assign(actor=getattr(w, who), case=case, to_member=w.colleague.pk)


@pytest.mark.parametrize(("role", "agency", "groups"), [
    ("supervisor", "dsw", ["dsw_south"]),
    ("manager", "cfi", []),
])
def test_assign_forbidden_by_scope(world: World, role: str, agency: str, groups: list[str]) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="forbidden_by_scope"):
        s.case_assign(actor=member(w, role, agency=agency, groups=groups), case=case,
                      to_member=w.colleague.pk)


@pytest.mark.parametrize(("to_member", "field"), [(987654, "to_member"), (None, None),
                                                 ("other space", None)])
def test_assign_bad_data(world: World, to_member: Any, field: str | None) -> None:
    w = world
    case = w.case()
    if to_member == "other space":
        to_member = MemberFactory(space=SpaceFactory(), role="caseworker").pk
    with refused(w.space, ValidationFailed, field=field):
        s.case_assign(actor=w.supervisor, case=case, to_member=to_member)


def test_assign_to_the_owner_is_refused(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed):
        s.case_assign(actor=w.supervisor, case=case, to_member=w.worker.pk)


# note.add ------------------------------------------------------------------------------------


def test_add_a_note(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        note = s.note_add(actor=w.worker, case=case, subject=" Home visit ",
                          text=" The aunt agreed to care for Amina. ")
    note = fresh(note)
    assert (note.subject, note.text) == ("Home visit", "The aunt agreed to care for Amina.")
    assert note.created_by == w.worker and note.created_at == w.space.clock
    check_event(watch.event, "note.add", w.worker, case=case, changes={})
    assert (watch.event.record_type, watch.event.record_id) == ("note", note.pk)
    assert watch.event.details == {"subject": "Home visit"}


def test_add_a_note_forbidden_by_role(world: World) -> None:
    w = world
    case = w.case()
    manager = member(w, "manager", agency="dsw")
    s.note_add(actor=manager, case=case, subject="Seen", text="Reviewed the file.")
    take_permission("manager", "note.add")  # every default role may add notes
    with refused(w.space, code="forbidden_by_role"):
        s.note_add(actor=manager, case=case, subject="Seen", text="Reviewed the file.")


def test_add_a_note_forbidden_by_scope(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.note_add(actor=world.outsider, case=case, subject="Visit", text="Met Amina.")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"subject": ""}, "subject"),
    ({"subject": None}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"text": "   "}, "text"),
    ({"text": ["Met", "Amina"]}, "text"),
])
def test_add_a_note_bad_data(world: World, kwargs: dict[str, Any], field: str) -> None:
    case = world.case()
    data = {"subject": "Visit", "text": "Met Amina.", **kwargs}
    with refused(world.space, ValidationFailed, field=field):
        s.note_add(actor=world.worker, case=case, **data)


# case.flag / case.unflag ---------------------------------------------------------------------


def test_flag_a_case(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        flag = s.case_flag(actor=w.worker, case=case, reason=" Possible duplicate of CP-0007 ")
    assert fresh(case).flagged
    flag = fresh(flag)
    assert flag.reason == "Possible duplicate of CP-0007" and flag.removed_at is None
    check_event(watch.event, "case.flag", w.worker, case=case, changes={"flagged": [False, True]})
    assert (watch.event.record_type, watch.event.record_id) == ("flag", flag.pk)
    assert watch.event.details == {"reason": "Possible duplicate of CP-0007"}


def test_manager_of_the_agency_flags_a_case(world: World) -> None:
    w = world
    case = w.case()
    manager = member(w, "manager", agency="dsw")
    with one_event(w.space) as watch:
        s.case_flag(actor=manager, case=case, reason="Check the risk level.")
    check_event(watch.event, "case.flag", manager, case=case)


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_flag_needs_a_reason(world: World, reason: Any) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, field="reason"):
        s.case_flag(actor=world.worker, case=case, reason=reason)


def test_flag_forbidden_by_role(world: World) -> None:
    w = world
    case = w.consented()
    s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                      reason="case_plan_service", to_member=w.provider.pk)
    with refused(w.space, code="forbidden_by_role"):
        s.case_flag(actor=w.provider, case=case, reason="Looks wrong.")


def test_flag_forbidden_by_scope(world: World) -> None:
    case = world.case()
    with refused(world.space, code="forbidden_by_scope"):
        s.case_flag(actor=world.outsider, case=case, reason="Looks wrong.")


def test_unflag_a_case(world: World) -> None:
    w = world
    case = w.case()
    s.case_flag(actor=w.worker, case=case, reason="Duplicate?")
    s.case_flag(actor=w.supervisor, case=case, reason="Check the age.")
    with one_event(w.space) as watch:
        s.case_unflag(actor=w.worker, case=case)
    assert not fresh(case).flagged
    flags = Flag.objects.filter(case=case)
    assert all(f.removed_at == w.space.clock and f.removed_by == w.worker for f in flags)
    check_event(watch.event, "case.unflag", w.worker, case=case, changes={"flagged": [True, False]})


def test_unflag_a_case_without_flag_is_refused(world: World) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, code="not_flagged"):
        s.case_unflag(actor=world.worker, case=case)


def test_unflag_forbidden_by_role(world: World) -> None:
    w = world
    case = w.consented()
    s.case_flag(actor=w.worker, case=case, reason="Duplicate?")
    s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                      reason="case_plan_service", to_member=w.provider.pk)
    with refused(w.space, code="forbidden_by_role"):
        s.case_unflag(actor=w.provider, case=case)


def test_unflag_forbidden_by_scope(world: World) -> None:
    w = world
    case = w.case()
    s.case_flag(actor=w.worker, case=case, reason="Duplicate?")
    with refused(w.space, code="forbidden_by_scope"):
        s.case_unflag(actor=w.outsider, case=case)


@pytest.mark.parametrize("role", ["manager", "service_provider"])
def test_transfer_to_someone_who_cannot_take_it_is_refused(world: World, role: str) -> None:
    w = world
    recipient = member(w, role, agency="dsw")
    case = w.consented()
    with refused(w.space, ValidationFailed, field="to_member"):
        s.transfer_create(actor=w.worker, case=case, to_member=recipient.pk, reason="Moving.")
