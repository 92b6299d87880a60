"""Form values against the configuration: types, options, required fields, skip logic.

Most tests are pure: they build field and section definitions and a small
configuration directly. A few check the default bundle's own forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox.cases.formdata import (
    MAX_LONG_TEXT,
    MAX_TEXT,
    clean_section,
    clean_value,
    core_values,
    is_visible,
    section_values,
)
from sandbox.common.errors import ValidationFailed
from sandbox.configuration.runtime import (
    BundleConfig,
    FieldDef,
    LocationDef,
    LookupDef,
    OptionDef,
    SectionDef,
)


def field(code: str, type: str = "text", *, required: bool = False, lookup: str | None = None,
          min_value: int | None = None, max_value: int | None = None,
          admin_level: int | None = None, show_if: dict[str, Any] | None = None,
          columns: tuple[FieldDef, ...] = ()) -> FieldDef:
    return FieldDef(code=code, type=type, label={"en": code}, help={}, required=required,
                    lookup=lookup, min_value=min_value, max_value=max_value,
                    admin_level=admin_level, show_if=show_if, section="test", columns=columns)


def section(*fields: FieldDef) -> SectionDef:
    return SectionDef(code="test", module="cp", step="registration", order=1, name={"en": "Test"},
                      help={}, fields=fields)


def _lookup(code: str, *options: str) -> LookupDef:
    return LookupDef(code, {"en": code}, {o: OptionDef(o, {"en": o.title()}, {}) for o in options})


def _place(code: str, parent: str | None, level: int) -> LocationDef:
    path = code if parent is None else f"{LOCATIONS[parent].path}/{code}"
    return LocationDef(code, parent, level, {"en": code}, path)


LOCATIONS: dict[str, LocationDef] = {}
for _code, _parent, _level in [("LR", None, 0), ("LR01", "LR", 1), ("LR0101", "LR01", 2),
                               ("LR010101", "LR0101", 3)]:
    LOCATIONS[_code] = _place(_code, _parent, _level)

CONFIG = BundleConfig(
    code="test", version=1, name={"en": "Test"}, languages=("en",), admin_levels=(),
    modules={}, roles={}, agencies={}, user_groups={}, locations=LOCATIONS,
    lookups={"colour": _lookup("colour", "red", "green", "blue"),
             "yes_no": _lookup("yes_no", "yes", "no")},
)


def ok(fdef: FieldDef, value: Any) -> Any:
    return clean_value(fdef, value, CONFIG)


def bad(fdef: FieldDef, value: Any) -> str:
    with pytest.raises(ValueError) as info:
        clean_value(fdef, value, CONFIG)
    return str(info.value)


# clean_value: one field type at a time --------------------------------------------------------


def test_text_is_stripped() -> None:
    assert ok(field("name"), "  Amina ") == "Amina"


@pytest.mark.parametrize("value", [5, None, ["Amina"], {"en": "Amina"}, True])
def test_text_must_be_a_string(value: Any) -> None:
    bad(field("name"), value)


@pytest.mark.parametrize(("kind", "limit"), [("text", MAX_TEXT), ("textarea", MAX_LONG_TEXT)])
def test_text_length_limits(kind: str, limit: int) -> None:
    assert ok(field("x", kind), "a" * limit) == "a" * limit
    assert ok(field("x", kind), " " + "a" * limit + " ") == "a" * limit  # counted once stripped
    assert str(limit) in bad(field("x", kind), "a" * (limit + 1))


@pytest.mark.parametrize("kind", ["select", "radio"])
def test_select_and_radio_take_one_option(kind: str) -> None:
    colour = field("colour", kind, lookup="colour")
    assert ok(colour, "green") == "green"
    assert "purple" in bad(colour, "purple")
    for value in ("Green", ["green"], 1, None):
        bad(colour, value)


def test_select_without_lookup_accepts_nothing() -> None:
    bad(field("colour", "select"), "green")


def test_multi_select_takes_a_list_of_options() -> None:
    colours = field("colours", "multi_select", lookup="colour")
    assert ok(colours, ["blue", "red"]) == ["blue", "red"]
    assert ok(colours, ["red", "blue", "red"]) == ["red", "blue"]  # once each, in order
    assert ok(colours, []) == []
    assert "purple" in bad(colours, ["red", "purple"])
    for value in ("red", [1], ["red", None], {"red": True}):
        bad(colours, value)


def test_tick_box_takes_true_or_false() -> None:
    tick = field("ok", "tick_box")
    assert ok(tick, True) is True and ok(tick, False) is False
    for value in ("true", "yes", 1, 0, None):
        bad(tick, value)


def test_number_whole_within_bounds() -> None:
    age = field("age", "number", min_value=0, max_value=25)
    assert ok(age, 0) == 0 and ok(age, 25) == 25 and ok(age, 11) == 11
    assert "0" in bad(age, -1)
    assert "25" in bad(age, 26)
    for value in ("11", 11.0, 11.5, True, False, None):
        bad(age, value)


def test_number_without_bounds() -> None:
    assert ok(field("n", "number"), -10_000) == -10_000


def test_date_in_iso_form() -> None:
    when = field("when", "date")
    assert ok(when, "2026-03-02") == "2026-03-02"
    assert ok(when, dt.date(2026, 3, 2)) == "2026-03-02"
    for value in ("02/03/2026", "2026-02-30", "yesterday", "", 20260302, None, ["2026-03-02"]):
        bad(when, value)


def test_date_given_a_datetime_keeps_the_date_only() -> None:
    """A date field stores YYYY-MM-DD; a datetime must not slip in with its time
    (core_values reads the date of birth back with date.fromisoformat)."""
    when = field("when", "date")
    try:
        value = ok(when, dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC))
    except ValueError:
        return  # refusing it is fine too
    assert value == "2026-03-02"


def test_location_at_the_level_asked_for() -> None:
    commune = field("where", "location", admin_level=3)
    assert ok(commune, "LR010101") == "LR010101"
    assert bad(commune, "LR0101")  # a district, not a commune
    assert "XX" in bad(commune, "XX")
    for value in (None, 3, ["LR010101"]):
        bad(commune, value)
    anywhere = field("where", "location")
    assert ok(anywhere, "LR") == "LR" and ok(anywhere, "LR0101") == "LR0101"


CAREGIVER_COLUMNS = (
    field("caregiver_name", required=True),
    field("caregiver_relationship", "select", lookup="yes_no"),
    field("caregiver_age", "number", min_value=10, max_value=120),
    field("caregiver_alive", "tick_box"),
    field("caregiver_death_date", "date", show_if={"field": "caregiver_alive", "equals": False}),
)
CAREGIVERS = field("caregivers", "subform", columns=CAREGIVER_COLUMNS)


def test_subform_rows_are_cleaned_each() -> None:
    rows = [{"caregiver_name": " Mariam ", "caregiver_age": 40},
            {"caregiver_name": "Ali", "caregiver_alive": False,
             "caregiver_death_date": dt.date(2024, 1, 5)}]
    assert ok(CAREGIVERS, rows) == [
        {"caregiver_name": "Mariam", "caregiver_age": 40},
        {"caregiver_name": "Ali", "caregiver_alive": False, "caregiver_death_date": "2024-01-05"},
    ]
    assert ok(CAREGIVERS, []) == []


def test_subform_skip_logic_within_a_row() -> None:
    row = {"caregiver_name": "Ali", "caregiver_alive": True, "caregiver_death_date": "2024-01-05"}
    assert ok(CAREGIVERS, [row]) == [{"caregiver_name": "Ali", "caregiver_alive": True}]


@pytest.mark.parametrize(("rows", "row", "column"), [
    ([{"caregiver_age": 40}], 1, "caregiver_name"),                          # required
    ([{"caregiver_name": "A"}, {"caregiver_name": "B", "caregiver_age": 5}], 2, "caregiver_age"),
    ([{"caregiver_name": "A", "caregiver_relationship": "maybe"}], 1, "caregiver_relationship"),
    ([{"caregiver_name": "A"}, {"caregiver_name": "B"}, {"caregiver_name": "C", "shoe": 40}],
     3, "shoe"),                                                             # unknown column
])
def test_subform_bad_row_names_the_row_and_the_column(rows: list[dict[str, Any]], row: int,
                                                     column: str) -> None:
    message = bad(CAREGIVERS, rows)
    assert f"Row {row}" in message and column in message


@pytest.mark.parametrize("value", [{"caregiver_name": "A"}, ["A"], [{"caregiver_name": "A"}, "B"],
                                   "A", None])
def test_subform_must_be_a_list_of_rows(value: Any) -> None:
    bad(CAREGIVERS, value)


def test_unsupported_field_type() -> None:
    bad(field("photo", "attachment"), "photo.jpg")


# clean_section: the section as a whole --------------------------------------------------------


def _errors(sdef: SectionDef, submitted: Any, current: dict[str, Any] | None = None, *,
            partial: bool = False) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as info:
        clean_section(sdef, submitted, current or {}, CONFIG, partial=partial)
    return info.value.details.get("fields", {})


def test_section_cleans_every_field() -> None:
    sdef = section(field("name", required=True), field("age", "number"),
                   field("colour", "select", lookup="colour"))
    assert clean_section(sdef, {"name": " Amina ", "age": 11}, {}, CONFIG) == {
        "name": "Amina", "age": 11}


def test_unknown_fields_are_named() -> None:
    sdef = section(field("name"))
    assert set(_errors(sdef, {"name": "A", "shoe": 40, "hat": "red"})) == {"shoe", "hat"}


@pytest.mark.parametrize("empty", [None, "", [], {}])
def test_required_field_missing_or_empty(empty: Any) -> None:
    sdef = section(field("name", required=True), field("colours", "multi_select",
                                                       lookup="colour", required=True))
    errors = _errors(sdef, {"name": empty, "colours": empty})
    assert set(errors) == {"name", "colours"}
    assert _errors(sdef, {}).keys() == {"name", "colours"}


def test_required_text_of_blanks_only_is_missing() -> None:
    sdef = section(field("name", required=True))
    assert "name" in _errors(sdef, {"name": "   "})


def test_required_tick_box_may_be_false() -> None:
    sdef = section(field("agreed", "tick_box", required=True))
    assert clean_section(sdef, {"agreed": False}, {}, CONFIG) == {"agreed": False}


def test_every_bad_field_is_reported_at_once() -> None:
    sdef = section(field("name", required=True), field("age", "number", max_value=25),
                   field("colour", "select", lookup="colour"))
    assert set(_errors(sdef, {"age": 30, "colour": "pink"})) == {"name", "age", "colour"}


def test_section_values_must_be_a_mapping() -> None:
    with pytest.raises(ValidationFailed):
        clean_section(section(field("name")), ["Amina"], {}, CONFIG)  # type: ignore[arg-type]


# Skip logic ---------------------------------------------------------------------------------


DISABILITY = section(
    field("has_disability", "tick_box"),
    field("disability_type", "select", lookup="colour", required=True,
          show_if={"field": "has_disability", "equals": True}),
)


def test_shown_field_is_kept_and_required() -> None:
    assert clean_section(DISABILITY, {"has_disability": True, "disability_type": "red"}, {},
                         CONFIG) == {"has_disability": True, "disability_type": "red"}
    assert "disability_type" in _errors(DISABILITY, {"has_disability": True})


@pytest.mark.parametrize("has", [False, None])
def test_hidden_field_is_cleared_and_not_required(has: Any) -> None:
    submitted = {"has_disability": has, "disability_type": "red"}
    expected = {} if has is None else {"has_disability": False}
    assert clean_section(DISABILITY, submitted, {}, CONFIG) == expected
    assert clean_section(DISABILITY, {"has_disability": has}, {}, CONFIG) == expected


def test_hidden_field_with_a_bad_value_is_cleared_without_error() -> None:
    assert clean_section(DISABILITY, {"has_disability": False, "disability_type": "pink"}, {},
                         CONFIG) == {"has_disability": False}


def test_show_if_in_a_list_of_values() -> None:
    sdef = section(field("colour", "select", lookup="colour"),
                   field("why", required=True, show_if={"field": "colour", "in": ["red", "blue"]}))
    assert clean_section(sdef, {"colour": "blue", "why": "Sky"}, {}, CONFIG) == {
        "colour": "blue", "why": "Sky"}
    assert "why" in _errors(sdef, {"colour": "red"})
    assert clean_section(sdef, {"colour": "green", "why": "Grass"}, {}, CONFIG) == {
        "colour": "green"}


def test_show_if_on_a_multi_select_matches_any_value() -> None:
    sdef = section(field("colours", "multi_select", lookup="colour"),
                   field("why", show_if={"field": "colours", "equals": "red"}))
    assert clean_section(sdef, {"colours": ["blue", "red"], "why": "Warm"}, {}, CONFIG)["why"] == "Warm"
    assert "why" not in clean_section(sdef, {"colours": ["blue"], "why": "Warm"}, {}, CONFIG)


def test_show_if_on_a_field_of_another_section() -> None:
    sdef = section(field("details", required=True,
                         show_if={"field": "urgent", "equals": True}))
    assert clean_section(sdef, {"details": "Shelter"}, {"urgent": True}, CONFIG) == {
        "details": "Shelter"}
    assert "details" in _errors(sdef, {}, {"urgent": True})
    assert clean_section(sdef, {"details": "Shelter"}, {"urgent": False}, CONFIG) == {}


def test_show_if_equals_false() -> None:
    sdef = section(field("consent", "tick_box"),
                   field("why_not", show_if={"field": "consent", "equals": False}))
    assert clean_section(sdef, {"consent": False, "why_not": "Afraid"}, {}, CONFIG) == {
        "consent": False, "why_not": "Afraid"}
    assert clean_section(sdef, {"why_not": "Afraid"}, {}, CONFIG) == {}  # not answered yet


def test_is_visible() -> None:
    plain = field("x")
    assert is_visible(plain, {})
    when = field("x", show_if={"field": "y", "in": ["a", "b"]})
    assert is_visible(when, {"y": "a"}) and is_visible(when, {"y": ["c", "b"]})
    assert not is_visible(when, {"y": "c"}) and not is_visible(when, {})


def test_a_field_hidden_by_a_hidden_field_is_hidden_too() -> None:
    """Chained skip logic: when `has_disability` is unticked, `disability_type` is
    hidden and cleared, so `disability_other` (shown for type 'other') must not stay
    visible because of the cleared answer."""
    sdef = section(
        field("has_disability", "tick_box"),
        field("disability_type", "select", lookup="colour",
              show_if={"field": "has_disability", "equals": True}),
        field("disability_other", required=True,
              show_if={"field": "disability_type", "equals": "red"}),
    )
    submitted = {"has_disability": False, "disability_type": "red", "disability_other": "Blind"}
    assert clean_section(sdef, submitted, {}, CONFIG) == {"has_disability": False}


# Partial updates ----------------------------------------------------------------------------


IDENTITY = section(field("name", required=True), field("nickname"), field("age", "number"))


def test_partial_update_keeps_the_values_not_sent() -> None:
    current = {"name": "Amina", "nickname": "Mimi", "age": 11, "other_section": "kept apart"}
    assert clean_section(IDENTITY, {"age": 12}, current, CONFIG, partial=True) == {
        "name": "Amina", "nickname": "Mimi", "age": 12}


def test_partial_update_clears_a_value_sent_empty() -> None:
    current = {"name": "Amina", "nickname": "Mimi"}
    assert clean_section(IDENTITY, {"nickname": ""}, current, CONFIG, partial=True) == {
        "name": "Amina"}
    assert "name" in _errors(IDENTITY, {"name": ""}, current, partial=True)


def test_whole_update_drops_the_values_not_sent() -> None:
    current = {"name": "Amina", "nickname": "Mimi", "age": 11}
    assert clean_section(IDENTITY, {"name": "Amina"}, current, CONFIG) == {"name": "Amina"}
    assert "name" in _errors(IDENTITY, {"age": 12}, current)


def test_partial_update_hides_a_current_answer() -> None:
    current = {"has_disability": True, "disability_type": "red"}
    assert clean_section(DISABILITY, {"has_disability": False}, current, CONFIG,
                         partial=True) == {"has_disability": False}


def test_partial_update_revalidates_current_values() -> None:
    # A value stored before the configuration changed is checked again.
    assert "age" in _errors(section(field("age", "number", max_value=18)), {}, {"age": 30},
                            partial=True)


# The default bundle -------------------------------------------------------------------------


@pytest.mark.django_db
def test_default_registration_sections(default_config: object) -> None:
    from sandbox.configuration.runtime import get_config

    config = get_config("default")
    module = config.modules["cp"]
    identity = module.section("basic_identity")
    assert identity is not None
    data = {"name_first": "Amina", "name_last": "Diallo", "sex": "female", "age": 11,
            "location_current": "LR010101", "has_disability": False, "disability_type": "visual"}
    cleaned = clean_section(identity, data, {}, config)
    assert cleaned == {k: v for k, v in data.items() if k != "disability_type"}
    with pytest.raises(ValidationFailed) as info:
        clean_section(identity, {**data, "location_current": "LR0101", "sex": "x"}, {}, config)
    assert set(info.value.details["fields"]) == {"location_current", "sex"}
    assert section_values(identity, {**cleaned, "risk_level": "high"}) == cleaned
    core = core_values(module, {**cleaned, "risk_level": "high", "date_of_birth": "2015-01-31"})
    assert core == {"name_first": "Amina", "name_last": "Diallo", "sex": "female", "age": 11,
                    "date_of_birth": dt.date(2015, 1, 31), "location": "LR010101",
                    "risk_level": "high"}


@pytest.mark.django_db
def test_default_case_plan_rows(default_config: object) -> None:
    from sandbox.configuration.runtime import get_config

    config = get_config("default")
    plan = config.modules["cp"].section("case_plan")
    assert plan is not None
    row = {"plan_need": "family_tracing", "plan_goal": "Reunify", "plan_action": "Refer",
           "plan_responsible": "Case worker", "plan_target_date": "2026-03-20"}
    assert clean_section(plan, {"case_plan_items": [row]}, {}, config) == {"case_plan_items": [row]}
    with pytest.raises(ValidationFailed) as info:
        clean_section(plan, {"case_plan_items": [row, {**row, "plan_need": "pony"}]}, {}, config)
    message = info.value.details["fields"]["case_plan_items"][0]
    assert "Row 2" in message and "plan_need" in message
