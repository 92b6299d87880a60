"""Format 2 through the services: defaults, read-only and hidden fields, text and date
rules, date with time, separators, options from agencies / groups / members, shared
fields, skip logic, yes/no consent, missing system lookups and partial deadlines."""

from __future__ import annotations

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Task, TaskKind
from sandbox.common.errors import NotAllowed, ValidationFailed

from .v2world import V2World, identity, make_world

pytestmark = pytest.mark.django_db


def fields_of(info: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return info.value.details["fields"]


# Defaults, hidden and read-only fields ---------------------------------------------------------


def test_registration_applies_defaults(v2: V2World) -> None:
    case = v2.case(risk_level=None)
    assert case.data["risk_level"] == "medium" and case.risk_level == "medium"
    assert case.data["registration_date"] == "2026-03-02"        # `today` on the space's clock
    assert case.data["date_identified"] == "2026-03-02T08:00"    # `now`, without seconds
    assert case.data["record_source"] == "system-import"               # hidden, but kept


def test_identification_applies_defaults_and_a_given_value_wins(v2: V2World) -> None:
    case = s.case_identify(actor=v2.worker, data={"name_first": "Bako", "risk_level": "low"})
    assert case.data["risk_level"] == "low"
    assert case.data["registration_date"] == "2026-03-02" and case.data["record_source"] == "system-import"


def test_a_user_cannot_set_a_read_only_field(v2: V2World) -> None:
    with pytest.raises(ValidationFailed) as info:
        v2.case(registration_date="2026-01-01")
    assert fields_of(info)["registration_date"] == ["Registration date is read-only."]
    case = v2.case()
    with pytest.raises(ValidationFailed) as info:
        s.case_update(actor=v2.worker, case=case, section="basic-identity",
                      data={"registration_date": "2026-02-01"}, partial=True)
    assert "Registration date is read-only." in fields_of(info)["registration_date"]
    # Sending the value it already has is no change: accepted.
    s.case_update(actor=v2.worker, case=case, section="basic-identity",
                  data={"registration_date": "2026-03-02", "name_last": "Sow"}, partial=True)
    case.refresh_from_db()
    assert case.data["name_last"] == "Sow" and case.data["registration_date"] == "2026-03-02"


def test_a_user_cannot_set_a_hidden_field_and_a_whole_save_keeps_it(v2: V2World) -> None:
    with pytest.raises(ValidationFailed) as info:
        v2.case(record_source="import")
    assert fields_of(info)["record_source"] == ["Record source cannot be set by users."]
    with pytest.raises(ValidationFailed):
        s.case_identify(actor=v2.worker, data={"record_source": "import"})
    case = v2.case()
    # A whole-section save (PUT) without the hidden and read-only fields keeps them.
    s.case_update(actor=v2.worker, case=case, section="basic-identity", data=identity(age=12))
    case.refresh_from_db()
    assert case.data["record_source"] == "system-import" and case.data["registration_date"] == "2026-03-02"


def test_the_system_may_set_hidden_and_read_only_fields(v2: V2World) -> None:
    case = v2.case()
    s.case_update(actor=v2.worker, case=case, section="basic-identity", system="scenario",
                  data={"record_source": "hotline", "registration_date": "2026-03-01"}, partial=True)
    case.refresh_from_db()
    assert case.data["record_source"] == "hotline" and case.data["registration_date"] == "2026-03-01"


# Text and date rules, date with time, separators -----------------------------------------------


@pytest.mark.parametrize(("name", "message"), [
    ("Am1na", "Letters, spaces, hyphens and apostrophes only."),
    ("A", "At least 2 characters."),
    ("A" * 41, "At most 40 characters."),
])
def test_text_validation(v2: V2World, name: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        v2.case(name_first=name)
    assert fields_of(info)["name_first"] == [message]


def test_text_validation_accepts_a_full_match(v2: V2World) -> None:
    assert v2.case(name_first="Marie-Claire O'Neil").name_first == "Marie-Claire O'Neil"


def test_dates_not_in_the_future_on_the_space_clock(v2: V2World) -> None:
    with pytest.raises(ValidationFailed) as info:
        v2.case(date_of_birth="2026-03-03")
    assert fields_of(info)["date_of_birth"] == ["This cannot be in the future."]
    with pytest.raises(ValidationFailed) as info:
        v2.case(date_identified="2026-03-02T08:01")
    assert fields_of(info)["date_identified"] == ["This cannot be in the future."]
    case = v2.case(date_of_birth="2026-03-02", date_identified="2026-03-02T07:59")
    assert case.date_of_birth.isoformat() == "2026-03-02"


def test_datetime_is_stored_to_the_minute(v2: V2World) -> None:
    case = v2.case(date_identified="2026-02-28T10:30:45")
    assert case.data["date_identified"] == "2026-02-28T10:30"
    with pytest.raises(ValidationFailed) as info:
        v2.case(date_identified="2026-02-28")
    assert fields_of(info)["date_identified"] == ["Enter a date and time as YYYY-MM-DDTHH:MM."]


def test_a_separator_holds_no_value(v2: V2World) -> None:
    with pytest.raises(ValidationFailed) as info:
        v2.case(identity_heading="x")
    assert "identity_heading" in fields_of(info)
    assert "identity_heading" not in v2.case().data


# Options from agencies, user groups and members -------------------------------------------------


def test_options_from_agencies_groups_and_members(v2: V2World) -> None:
    case = v2.case(lead_agency="agency-unicef", team=["group-north", "group-none"],
                   focal_point=v2.colleague.ref)
    assert case.data["lead_agency"] == "agency-unicef"
    assert case.data["team"] == ["group-north", "group-none"]
    assert case.data["focal_point"] == "colleague"
    for field, value in [("lead_agency", "agency-nope"), ("team", ["group-nope"]),
                         ("focal_point", "nobody")]:
        with pytest.raises(ValidationFailed) as info:
            v2.case(**{field: value})
        assert field in fields_of(info)


def test_a_member_of_another_space_is_not_an_option(v2: V2World) -> None:
    other = make_world()
    with pytest.raises(ValidationFailed) as info:
        v2.case(focal_point=str(other.colleague.pk))
    assert "focal_point" in fields_of(info)


# One field on two sections; skip logic ----------------------------------------------------------


def test_a_field_on_two_sections_holds_one_value(v2: V2World) -> None:
    module = v2.space.module_config
    assert module.sections_of("name_first") == ("basic-identity", "closure-form")
    assert module.fields["name_first"].section == "basic-identity"
    assert [f.code for f in module.section("closure-form").fields] == ["closure_notes", "name_first"]
    case = v2.case()
    s.case_update(actor=v2.worker, case=case, section="closure-form",
                  data={"name_first": "Aminata", "closure_notes": "Reunified."}, partial=True)
    case.refresh_from_db()
    assert case.data["name_first"] == "Aminata" and case.name_first == "Aminata"


def test_skip_logic_all_any_not_and_comparisons(v2: V2World) -> None:
    shown = v2.case(has_disability=True, disability_type="Hearing", school_name="Central",
                    sibling_note="Two sisters")
    assert shown.data["disability_type"] == "Hearing"            # all: ticked and age < 18
    assert shown.data["school_name"] == "Central"                # any: age >= 6
    assert shown.data["sibling_note"] == "Two sisters"           # not_equals: sex is not M
    hidden = v2.case(has_disability=False, disability_type="Hearing", age=4, school_name="X",
                     sex="M", sibling_note="x")
    for code in ("disability_type", "school_name", "sibling_note"):
        assert code not in hidden.data


def test_skip_logic_not_exists(v2: V2World) -> None:
    case = s.case_identify(actor=v2.worker, data={"name_first": "Bako", "school_name": "Central"})
    assert case.data["school_name"] == "Central"                 # no age, no sex: not(exists)


# Consent as yes/no ---------------------------------------------------------------------------------


def test_consent_recorded_on_a_yes_no_field(v2: V2World) -> None:
    case = v2.case()
    policy = v2.space.module_config.policy
    s.consent_record(actor=v2.worker, case=case, consent_type="share_information", given=False)
    case.refresh_from_db()
    assert case.data["consent_share"] == "false"
    assert not policy.consent_is_given("share_information", case.data)
    s.consent_record(actor=v2.worker, case=case, consent_type="share_information", given=True)
    s.consent_record(actor=v2.worker, case=case, consent_type="services", given=True)
    case.refresh_from_db()
    assert case.data["consent_share"] == "true" and case.data["consent_services"] is True
    assert policy.consent_is_given("share_information", case.data)
    assert policy.consent_is_given("services", case.data)


def test_a_transfer_needs_the_yes_no_consent(v2: V2World) -> None:
    case = v2.case()
    with pytest.raises(NotAllowed) as info:
        s.transfer_create(actor=v2.worker, case=case, to_member=v2.colleague.pk, reason="Leave")
    assert info.value.code == "consent_required"
    s.case_update(actor=v2.worker, case=case, section="consent-form",
                  data={"consent_share": "true"}, partial=True)
    s.transfer_create(actor=v2.worker, case=case, to_member=v2.colleague.pk, reason="Leave")


# Missing system lookups, partial deadlines ---------------------------------------------------------


def test_an_action_needing_a_missing_list_says_which(v2: V2World) -> None:
    case = v2.case()
    s.consent_record(actor=v2.worker, case=case, consent_type="share_information", given=True)
    with pytest.raises(ValidationFailed) as info:
        s.referral_create(actor=v2.worker, case=case, service_type="family_tracing",
                          reason="anything", to_member=v2.provider.pk)
    assert info.value.code == "system_lookup_missing"
    assert str(info.value.message) == (
        "This configuration has no referral reasons list (system lookup 'referral_reason'): "
        "ask the administrator.")
    # Lists it has work, option ids with spaces too.
    service = s.service_add(actor=v2.worker, case=case, service_type="Health Care")
    assert service.service_type == "Health Care"


def test_partial_deadlines_no_deadline_no_task(v2: V2World) -> None:
    high = v2.case(risk_level="high")
    medium = v2.case(risk_level="medium")
    assert list(Task.objects.filter(case=high).values_list("kind", flat=True)) == [TaskKind.ASSESSMENT]
    assert not Task.objects.filter(case=medium).exists()
    s.followup_record(actor=v2.worker, case=high, date="2026-03-02", followup_type="visit",
                      findings="Safe.")
    assert not Task.objects.filter(case=high, kind=TaskKind.FOLLOWUP).exists()
    # Down from high to low: the assessment has no deadline any more.
    s.case_update(actor=v2.worker, case=high, section="basic-identity",
                  data={"risk_level": "low"}, partial=True)
    assert not Task.objects.filter(case=high, completed_at__isnull=True).exists()
