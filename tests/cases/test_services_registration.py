"""Identification and registration, editing form sections, and consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Case, RegistrationStatus, Stage, Status, TaskKind
from sandbox.common.errors import NotAllowed, NotFound, ValidationFailed
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, registration_data
from .test_services_helpers import check_event, fresh, member, one_event, refused

pytestmark = pytest.mark.django_db


# case.search ---------------------------------------------------------------------------------


def test_search_finds_by_name_and_id_and_logs_the_query(world: World) -> None:
    w = world
    amina = w.case()
    w.case(name_first="Yusuf", name_last="Kamara", age=15, location_current="LR020101")
    with one_event(w.space) as watch:
        found = s.case_search(actor=w.worker, query="amina diallo")
    assert found == [amina]
    check_event(watch.event, "case.search", w.worker, changes={})
    assert watch.event.case_id is None
    assert watch.event.details == {"query": "amina diallo", "age": None, "location": "",
                                   "results": ["CP-0001"]}
    assert s.case_search(actor=w.worker, query="cp-0002")[0].name_first == "Yusuf"


def test_search_by_age_and_location_includes_places_below(world: World) -> None:
    w = world
    amina = w.case(age=11, location_current="LR010101")
    w.case(name_first="Yusuf", age=15, location_current="LR020101")
    assert s.case_search(actor=w.worker, age=12) == [amina]  # one year either side
    assert s.case_search(actor=w.worker, age=13) == []
    assert s.case_search(actor=w.worker, location="LR01") == [amina]
    assert s.case_search(actor=w.worker, location="LR0101") == [amina]
    assert s.case_search(actor=w.worker, location="LR02")[0].name_first == "Yusuf"


def test_search_covers_every_case_of_the_space_but_no_other_space(world: World) -> None:
    w = world
    theirs = s.case_register(actor=w.outsider, data=registration_data())
    other_space = SpaceFactory()
    stranger = MemberFactory(space=other_space, role="caseworker")
    s.case_register(actor=stranger, data=registration_data())
    # The duplicate check looks beyond the worker's own cases, never beyond the space.
    assert s.case_search(actor=w.worker, query="Amina") == [theirs]


def test_search_with_an_age_that_is_not_a_number(world: World) -> None:
    world.case()
    with refused(world.space, ValidationFailed, field="age"):
        s.case_search(actor=world.worker, query="Amina", age="eleven")  # type: ignore[arg-type]


@pytest.mark.parametrize("role", ["service_provider"])
def test_search_forbidden_by_role(world: World, role: str) -> None:
    w = world
    w.case()
    who = member(w, role, agency="lcs")
    with refused(w.space, code="forbidden_by_role"):
        s.case_search(actor=who, query="Amina")


# case.identify -------------------------------------------------------------------------------


def test_identify_keeps_only_the_values_given(world: World) -> None:
    w = world
    with one_event(w.space) as watch:
        case = s.case_identify(actor=w.worker, data={"name_first": " Amina ", "age": 11},
                               summary="Reported by a neighbour")
    case = fresh(case)
    assert case.registration_status == RegistrationStatus.IDENTIFIED
    assert case.display_id == "CP-0001" and case.owner == w.worker and case.agency == "dsw"
    assert case.data == {"name_first": "Amina", "age": 11}
    assert (case.name_first, case.age, case.name_last) == ("Amina", 11, "")
    assert not case.tasks.exists()  # deadlines start at registration
    check_event(watch.event, "case.identify", w.worker, case=case)
    assert watch.event.details == {"summary": "Reported by a neighbour",
                                   "fields": ["age", "name_first"]}


def test_identify_event_records_the_values_set(world: World) -> None:
    """Each record keeps a change history of its fields: the values set at
    identification belong in the event's changes, as they do for registration."""
    w = world
    with one_event(w.space) as watch:
        s.case_identify(actor=w.worker, data={"name_first": "Amina", "age": 11})
    assert watch.event.changes.get("data.name_first") == [None, "Amina"]
    assert watch.event.changes.get("data.age") == [None, 11]
    assert watch.event.changes.get("registration_status") == [None, "identified"]


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_identify_forbidden_by_role(world: World, role: str) -> None:
    who = member(world, role)
    with refused(world.space, code="forbidden_by_role"):
        s.case_identify(actor=who, data={"name_first": "Amina"})


@pytest.mark.parametrize(("data", "field"), [
    ({"age": "eleven"}, "age"),
    ({"sex": "alien"}, "sex"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
    ({"location_current": "LR01"}, "location_current"),  # a province, not a commune
])
def test_identify_bad_data(world: World, data: dict[str, Any], field: str) -> None:
    with refused(world.space, ValidationFailed, field=field):
        s.case_identify(actor=world.worker, data=data)


# case.register -------------------------------------------------------------------------------


def test_register_a_new_case(world: World) -> None:
    w = world
    with one_event(w.space) as watch:
        case = s.case_register(actor=w.worker, data=registration_data())
    case = fresh(case)
    assert case.display_id == "CP-0001"
    assert case.registration_status == RegistrationStatus.REGISTERED
    assert (case.status, case.stage) == (Status.OPEN, Stage.NEW)
    assert (case.owner, case.agency, case.user_groups) == (w.worker, "dsw", ["dsw_north"])
    assert (case.name_first, case.name_last, case.sex, case.age) == ("Amina", "Diallo", "female", 11)
    assert (case.location, case.risk_level) == ("LR010101", "high")
    assert case.registered_at == w.space.clock
    task = case.tasks.get()
    assert task.kind == TaskKind.ASSESSMENT and task.due_at == w.space.clock + dt.timedelta(hours=24)
    check_event(watch.event, "case.register", w.worker, case=case)
    data_changes = {f"data.{k}": [None, v] for k, v in case.data.items()}
    assert watch.event.changes == {
        "registration_status": [None, "registered"], "status": [None, "open"],
        "stage": [None, "new"], "risk_level": [None, "high"], "owner_id": [None, w.worker.pk],
        "agency": [None, "dsw"], "location": [None, "LR010101"], "flagged": [None, False],
        **data_changes,
    }


def test_register_numbers_cases_per_space(world: World) -> None:
    w = world
    assert w.case().display_id == "CP-0001"
    assert w.case().display_id == "CP-0002"
    other = MemberFactory(space=SpaceFactory(), role="caseworker")
    assert s.case_register(actor=other, data=registration_data()).display_id == "CP-0001"


def test_register_an_identified_case(world: World) -> None:
    w = world
    case = s.case_identify(actor=w.worker, data={"name_first": "Amina", "age": 11})
    rest = {k: v for k, v in registration_data().items() if k not in ("name_first", "age")}
    with one_event(w.space) as watch:
        s.case_register(actor=w.worker, case=case, data=rest)
    case = fresh(case)
    assert case.registration_status == RegistrationStatus.REGISTERED
    assert case.display_id == "CP-0001" and case.data["name_first"] == "Amina"
    check_event(watch.event, "case.register", w.worker, case=case)
    assert watch.event.changes["registration_status"] == ["identified", "registered"]
    assert watch.event.changes["data.name_last"] == [None, "Diallo"]
    assert "data.name_first" not in watch.event.changes  # unchanged


def test_register_twice_is_refused(world: World) -> None:
    case = world.case()
    with refused(world.space, ValidationFailed, code="already_registered"):
        s.case_register(actor=world.worker, case=case, data=registration_data())


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_register_forbidden_by_role(world: World, role: str) -> None:
    who = member(world, role)
    with refused(world.space, code="forbidden_by_role"):
        s.case_register(actor=who, data=registration_data())


def test_register_an_identified_case_forbidden_by_scope(world: World) -> None:
    w = world
    case = s.case_identify(actor=w.worker, data={"name_first": "Amina"})
    with refused(w.space, code="forbidden_by_scope"):
        s.case_register(actor=w.outsider, case=case, data=registration_data())


def test_register_a_case_of_another_space_is_not_found(world: World) -> None:
    other = MemberFactory(space=SpaceFactory(), role="caseworker")
    case = s.case_identify(actor=other, data={"name_first": "Amina"})
    with refused(world.space, NotFound):
        s.case_register(actor=world.worker, case=case, data=registration_data())


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name_first": None}, "name_first"),                # missing required field
    ({"risk_level": ""}, "risk_level"),                   # missing required select
    ({"age": "eleven"}, "age"),                           # wrong type
    ({"age": 30}, "age"),                                 # above the maximum
    ({"sex": "alien"}, "sex"),                            # unknown lookup option
    ({"protection_concerns": ["separated", "aliens"]}, "protection_concerns"),
    ({"protection_concerns": "separated"}, "protection_concerns"),  # not a list
    ({"date_identified": "yesterday"}, "date_identified"),
    ({"location_current": "XX99"}, "location_current"),
    ({"favourite_colour": "blue"}, "favourite_colour"),   # unknown field
])
def test_register_bad_data(world: World, overrides: dict[str, Any], field: str) -> None:
    data = {k: v for k, v in registration_data(**overrides).items() if v is not None}
    with refused(world.space, ValidationFailed, field=field):
        s.case_register(actor=world.worker, data=data)


def test_register_reports_every_bad_field_at_once(world: World) -> None:
    data = registration_data(sex="alien", age=-1)
    del data["name_last"]
    with refused(world.space, ValidationFailed) as info:
        s.case_register(actor=world.worker, data=data)
    assert set(info.value.details["fields"]) == {"sex", "age", "name_last"}


def test_register_clears_answers_hidden_by_skip_logic(world: World) -> None:
    w = world
    case = w.case(has_disability=False, disability_type="visual",
                  urgent_action_needed=True, urgent_action_details="Shelter tonight")
    assert "disability_type" not in case.data
    assert case.data["urgent_action_details"] == "Shelter tonight"


# case.update ---------------------------------------------------------------------------------


def test_update_a_section(world: World) -> None:
    w = world
    case = w.case()
    w.space.advance_clock(dt.timedelta(hours=2))
    with one_event(w.space) as watch:
        s.case_update(actor=w.worker, case=case, section="basic_identity", partial=True,
                      data={"name_middle": "Fatou", "languages": ["french", "lorendi"]})
    case = fresh(case)
    assert case.data["name_middle"] == "Fatou" and case.data["name_first"] == "Amina"
    assert case.updated_at == w.space.clock
    check_event(watch.event, "case.update", w.worker, case=case, changes={
        "data.languages": [None, ["french", "lorendi"]], "data.name_middle": [None, "Fatou"]})
    assert watch.event.details == {"section": "basic_identity"}


def test_update_copies_core_fields_to_the_case(world: World) -> None:
    w = world
    case = w.case()
    s.case_update(actor=w.worker, case=case, section="basic_identity", partial=True,
                  data={"name_last": "Kamara", "location_current": "LR020101"})
    case = fresh(case)
    assert (case.name_last, case.location) == ("Kamara", "LR020101")


def test_update_of_risk_reschedules_open_tasks(world: World) -> None:
    w = world
    case = w.case(risk_level="low")
    task = case.tasks.get(kind=TaskKind.ASSESSMENT)
    assert task.due_at == task.started_at + dt.timedelta(days=10)
    w.space.advance_clock(dt.timedelta(hours=1))
    with one_event(w.space) as watch:
        s.case_update(actor=w.worker, case=case, section="identification", partial=True,
                      data={"risk_level": "high"})
    assert fresh(case).risk_level == "high"
    assert fresh(task).due_at == task.started_at + dt.timedelta(hours=24)
    assert watch.event.changes == {"risk_level": ["low", "high"], "data.risk_level": ["low", "high"]}


def test_update_by_the_supervisor_of_the_group(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        s.case_update(actor=w.supervisor, case=case, section="basic_identity", partial=True,
                      data={"phone": "0700 000 000"})
    check_event(watch.event, "case.update", w.supervisor, case=case)


def test_update_whole_section_drops_values_not_sent(world: World) -> None:
    w = world
    case = w.case(phone="0700 000 000")
    data = {k: v for k, v in fresh(case).data.items()
            if k in {"name_first", "name_last", "sex", "age", "location_current"}}
    s.case_update(actor=w.worker, case=case, section="basic_identity", data=data)
    assert "phone" not in fresh(case).data


def test_update_clears_an_answer_hidden_by_skip_logic(world: World) -> None:
    w = world
    case = w.case(has_disability=True, disability_type="visual")
    with one_event(w.space) as watch:
        s.case_update(actor=w.worker, case=case, section="basic_identity", partial=True,
                      data={"has_disability": False})
    assert "disability_type" not in fresh(case).data
    assert watch.event.changes == {"data.has_disability": [True, False],
                                   "data.disability_type": ["visual", None]}


def test_update_subform_rows(world: World) -> None:
    w = world
    case = w.case()
    rows = [{"caregiver_name": "Mariam Diallo", "caregiver_relationship": "aunt",
             "caregiver_lives_with_child": True}]
    s.case_update(actor=w.worker, case=case, section="family_details", data={"caregivers": rows})
    assert fresh(case).data["caregivers"] == rows


@pytest.mark.parametrize(("rows", "row", "column"), [
    ([{"caregiver_name": "Mariam"}, {"caregiver_relationship": "aunt"}], 2, "caregiver_name"),
    ([{"caregiver_name": "Mariam", "caregiver_relationship": "cousin"}], 1,
     "caregiver_relationship"),
    ([{"caregiver_name": "Mariam", "caregiver_shoe_size": 40}], 1, "caregiver_shoe_size"),
])
def test_update_bad_subform_row_names_row_and_column(world: World, rows: list[dict[str, Any]],
                                                       row: int, column: str) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed, field="caregivers") as info:
        s.case_update(actor=w.worker, case=case, section="family_details", data={"caregivers": rows})
    message = info.value.details["fields"]["caregivers"][0]
    assert f"Row {row}" in message and column in message


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_update_forbidden_by_role(world: World, role: str) -> None:
    w = world
    case = w.case()
    who = member(w, role, agency="dsw")
    with refused(w.space, code="forbidden_by_role"):
        s.case_update(actor=who, case=case, section="basic_identity", partial=True,
                      data={"phone": "1"})


@pytest.mark.parametrize("who", ["outsider", "colleague"])
def test_update_forbidden_by_scope(world: World, who: str) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="forbidden_by_scope"):
        s.case_update(actor=getattr(w, who), case=case, section="basic_identity", partial=True,
                      data={"phone": "1"})


@pytest.mark.parametrize(("data", "field"), [
    ({"age": "11"}, "age"),
    ({"nationality": "martian"}, "nationality"),
    ({"languages": ["french", "klingon"]}, "languages"),
    ({"has_disability": "yes"}, "has_disability"),
    ({"name_first": ""}, "name_first"),      # clearing a required field
    ({"shoe_size": 38}, "shoe_size"),
])
def test_update_bad_data(world: World, data: dict[str, Any], field: str) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed, field=field):
        s.case_update(actor=w.worker, case=case, section="basic_identity", partial=True, data=data)


def test_update_whole_section_missing_required_fields(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed) as info:
        s.case_update(actor=w.worker, case=case, section="basic_identity", data={"phone": "1"})
    assert {"name_first", "name_last", "sex", "age", "location_current"} <= set(
        info.value.details["fields"])


def test_update_unknown_section(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed):
        s.case_update(actor=w.worker, case=case, section="horoscope", data={})


def test_update_closed_case_is_refused(world: World) -> None:
    w = world
    case = w.case()
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    with refused(w.space, ValidationFailed, code="case_closed"):
        s.case_update(actor=w.worker, case=case, section="basic_identity", partial=True,
                      data={"phone": "1"})


# consent.record ------------------------------------------------------------------------------


def test_record_consent(world: World) -> None:
    w = world
    case = w.case()
    with one_event(w.space) as watch:
        s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=True,
                         given_by="caregiver", notes="Explained in French")
    assert fresh(case).data["consent_share_other_orgs"] is True
    check_event(watch.event, "consent.record", w.worker, case=case,
                changes={"data.consent_share_other_orgs": [None, True]})
    assert watch.event.details == {"consent_type": "share_information", "given": True,
                                   "given_by": "caregiver", "notes": "Explained in French"}


def test_withdrawn_consent_is_recorded(world: World) -> None:
    w = world
    case = w.consented()
    with one_event(w.space) as watch:
        s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=False)
    assert fresh(case).data["consent_share_other_orgs"] is False
    assert watch.event.changes == {"data.consent_share_other_orgs": [True, False]}


def test_consent_clears_the_answer_its_skip_logic_hides(world: World) -> None:
    """The refusal reason shows only while sharing is refused; once consent is
    given, the hidden answer is cleared as any other hidden answer is."""
    w = world
    case = w.case()
    s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=False)
    s.case_update(actor=w.worker, case=case, section="consent", partial=True,
                  data={"consent_withheld_reason": "Fears the neighbours will know"})
    s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=True)
    assert "consent_withheld_reason" not in fresh(case).data


@pytest.mark.parametrize("role", ["service_provider", "manager"])
def test_consent_forbidden_by_role(world: World, role: str) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="forbidden_by_role"):
        s.consent_record(actor=member(w, role), case=case, consent_type="services", given=True)


def test_consent_forbidden_by_scope(world: World) -> None:
    w = world
    case = w.case()
    with refused(w.space, code="forbidden_by_scope"):
        s.consent_record(actor=w.outsider, case=case, consent_type="services", given=True)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"consent_type": "photography", "given": True}, "consent_type"),
    ({"consent_type": "services", "given": "yes"}, "given"),
    ({"consent_type": "services", "given": None}, "given"),
])
def test_consent_bad_data(world: World, kwargs: dict[str, Any], field: str) -> None:
    w = world
    case = w.case()
    with refused(w.space, ValidationFailed, field=field):
        s.consent_record(actor=w.worker, case=case, **kwargs)


def test_unknown_role_is_refused(world: World) -> None:
    w = world
    case = w.case()
    ghost = member(w, "caseworker")
    type(ghost).objects.filter(pk=ghost.pk).update(role="astronaut")
    ghost.refresh_from_db()
    with refused(w.space, NotAllowed):
        s.case_update(actor=ghost, case=case, section="basic_identity", partial=True,
                      data={"phone": "1"})


@pytest.mark.parametrize("field", ["name_first", "name_last"])
def test_a_name_longer_than_its_column_is_refused_on_every_database(world: World, field: str) -> None:
    assert Case._meta.get_field(field).max_length == 120
    with refused(world.space, ValidationFailed, field=field):
        s.case_register(actor=world.worker, data=registration_data(**{field: "N" * 121}))
    with refused(world.space, ValidationFailed, field=field):
        s.case_identify(actor=world.worker, data={field: "N" * 121})
    s.case_register(actor=world.worker, data=registration_data(**{field: "N" * 120}))


def test_a_registration_names_no_duplicate_when_the_child_is_new(world: World) -> None:
    w = world
    s.case_register(actor=w.worker, data=registration_data(name_first="Lina", age=7))
    with one_event(w.space) as watch:
        s.case_register(actor=w.worker, data=registration_data())
    assert watch.event.details == {"duplicate_of": []}


def test_registering_the_same_child_twice_names_the_first_record(world: World) -> None:
    w = world
    first = s.case_register(actor=w.worker, data=registration_data())
    # The same girl, a year older by another worker's estimate, her name in capitals.
    with one_event(w.space) as watch:
        s.case_register(actor=w.worker, data=registration_data(name_first="AMINA", age=12))
    assert watch.event.details == {"duplicate_of": [first.display_id]}


@pytest.mark.parametrize("overrides", [
    {"name_first": "Diallo", "name_last": "Amina"},   # family name first
    {"name_first": "Aminah"},                          # spelt as heard
    {"name_last": "DIALLO", "name_first": "amina"},
])
def test_the_same_child_written_differently_is_a_duplicate(world: World,
                                                           overrides: dict[str, Any]) -> None:
    """The duplicate search's comparison, not only the same first name letter for letter."""
    w = world
    first = s.case_register(actor=w.worker, data=registration_data())
    with one_event(w.space) as watch:
        s.case_register(actor=w.worker, data=registration_data(**overrides))
    assert watch.event.details == {"duplicate_of": [first.display_id]}


@pytest.mark.parametrize("overrides", [
    {"sex": "male"},                      # known on both sides, and different
    {"age": 14},                          # more than a year apart
    {"name_last": "Konate"},
    {"name_first": "Aminata"},            # the first name must be the same
])
def test_a_different_child_is_not_a_duplicate(world: World, overrides: dict[str, Any]) -> None:
    w = world
    s.case_register(actor=w.worker, data=registration_data())
    with one_event(w.space) as watch:
        s.case_register(actor=w.worker, data=registration_data(**overrides))
    assert watch.event.details == {"duplicate_of": []}


def test_registering_an_identified_child_is_not_a_duplicate_of_itself(world: World) -> None:
    w = world
    case = s.case_identify(actor=w.worker, data={"name_first": "Amina", "age": 11, "sex": "female"})
    with one_event(w.space) as watch:
        s.case_register(actor=w.worker, case=case, data=registration_data())
    assert watch.event.details == {"duplicate_of": []}
