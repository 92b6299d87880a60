"""Each Primero field construct, converted to a bundle field (format v2)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.configuration.importers.primero.fields import FieldEnv, convert_condition, convert_field
from sandbox.configuration.importers.primero.texts import Context
from sandbox.configuration.importers.primero.values import Arr, Item, Obj
from sandbox.configuration.importers.report import ImportReport


def obj(value: Any, line: int = 1) -> Any:
    if isinstance(value, dict):
        out = Obj(line)
        for key, item in value.items():
            out.put(key, obj(item, line), line)
        return out
    if isinstance(value, list):
        arr = Arr(line)
        for item in value:
            arr.add(obj(item, line), line)
        return arr
    return value


def env(forms: dict[str, Item] | None = None) -> FieldEnv:
    return FieldEnv(
        Context(ImportReport("t")), {"lookup-yes-no": ["true", "false"], "lookup-x": ["a", "b"]}, forms or {}
    )


def convert(raw: dict[str, Any], field_env: FieldEnv | None = None, line: int = 7) -> dict | None:
    field_env = field_env or env()
    return convert_field(obj({"display_name_en": "L", **raw}, line), field_env, "f.rb", "form_a")


def messages(field_env: FieldEnv) -> list[str]:
    return [f"{e.group} {e.location()}: {e.message}" for e in field_env.ctx.report.entries]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"type": "text_field"}, {"type": "text"}),
        ({"type": "textarea"}, {"type": "textarea"}),
        ({"type": "tick_box"}, {"type": "tick_box"}),
        ({"type": "numeric_field"}, {"type": "number"}),
        ({"type": "date_field"}, {"type": "date"}),
        ({"type": "date_field", "date_include_time": True}, {"type": "datetime"}),
        (
            {"type": "select_box", "option_strings_source": "lookup lookup-x"},
            {"type": "select", "lookup": "lookup-x"},
        ),
        (
            {"type": "select_box", "multi_select": True, "option_strings_source": "lookup lookup-x"},
            {"type": "multi_select", "lookup": "lookup-x"},
        ),
        (
            {"type": "radio_button", "option_strings_source": "lookup lookup-yes-no"},
            {"type": "radio", "lookup": "lookup-yes-no"},
        ),
        ({"type": "select_box", "option_strings_source": "Location"}, {"type": "location"}),
        ({"type": "select_box", "option_strings_source": "ReportingLocation"}, {"type": "location"}),
        (
            {"type": "select_box", "option_strings_source": "Agency"},
            {"type": "select", "options_from": "agencies"},
        ),
        (
            {"type": "select_box", "option_strings_source": "User"},
            {"type": "select", "options_from": "users"},
        ),
        ({"type": "photo_upload_box"}, {"type": "upload", "accept": ["jpg", "jpeg", "png"]}),
        ({"type": "document_upload_box"}, {"type": "upload"}),
        ({"type": "audio_upload_box"}, {"type": "upload"}),
        ({"type": "separator"}, {"type": "separator"}),
    ],
)
def test_field_types(raw: dict[str, Any], expected: dict[str, Any]) -> None:
    field_env = env()
    result = convert({"name": "f", **raw}, field_env)
    assert result is not None
    assert {key: result[key] for key in expected} == expected
    assert result["id"] == "f" and result["label"] == {"en": "L"}
    assert messages(field_env) == []


@pytest.mark.parametrize(
    ("ptype", "expected_type", "readonly"),
    [
        ("date_range", "date", False),
        ("tally_field", "number", False),
        ("custom", "text", True),
        ("calculated", "number", True),
        ("signature", "upload", False),
    ],
)
def test_lossy_types_are_approximated_and_reported(ptype: str, expected_type: str, readonly: bool) -> None:
    field_env = env()
    result = convert({"name": "f", "type": ptype}, field_env)
    assert result is not None and result["type"] == expected_type
    assert bool(result.get("readonly")) is readonly
    assert messages(field_env)[0].startswith(f"approximated f.rb:7: field 'f' ({ptype}):")


def test_flags() -> None:
    field_env = env()
    hidden = convert({"name": "a", "type": "text_field", "visible": False, "disabled": True}, field_env)
    assert hidden == {"id": "a", "type": "text", "label": {"en": "L"}, "hidden": True, "readonly": True}
    not_editable = convert(
        {"name": "b", "type": "text_field", "editable": False, "required": True}, field_env
    )
    assert not_editable is not None and not_editable["readonly"] and not_editable["required"]
    hidden_required = convert(
        {"name": "c", "type": "text_field", "visible": False, "required": True}, field_env
    )
    assert hidden_required is not None and "required" not in hidden_required
    assert messages(field_env) == [
        "approximated f.rb:7: field 'c' is hidden and required: required is dropped"
    ]


def test_help_text_and_guiding_questions_become_help() -> None:
    result = convert(
        {
            "name": "a",
            "type": "text_field",
            "help_text_en": "Help",
            "help_text_es": "Ayuda",
            "guiding_questions_en": "Ask",
        }
    )
    assert result is not None and result["help"] == {"en": "Help\n\nAsk", "es": "Ayuda"}


@pytest.mark.parametrize(
    ("raw", "default"),
    [
        ({"type": "select_box", "option_strings_source": "lookup lookup-x", "selected_value": "b"}, "b"),
        ({"type": "date_field", "selected_value": "today"}, "today"),
        ({"type": "date_field", "date_include_time": True, "selected_value": "today"}, "now"),
        ({"type": "numeric_field", "selected_value": "10"}, 10),
        ({"type": "tick_box", "selected_value": "true"}, True),
        ({"type": "text_field", "selected_value": "open"}, "open"),
    ],
)
def test_selected_value_becomes_default(raw: dict[str, Any], default: Any) -> None:
    result = convert({"name": "a", **raw})
    assert result is not None and result["default"] == default


def test_an_invalid_default_is_dropped_and_reported() -> None:
    field_env = env()
    result = convert(
        {
            "name": "a",
            "type": "select_box",
            "option_strings_source": "lookup lookup-x",
            "selected_value": "zzz",
        },
        field_env,
    )
    assert result is not None and "default" not in result
    assert messages(field_env) == ["dropped f.rb:7: field 'a': default value 'zzz' is not valid for a select"]


def test_date_validation() -> None:
    field_env = env()
    result = convert({"name": "a", "type": "date_field", "date_validation": "not_future_date"}, field_env)
    assert result is not None and result["validation"] == {"not_future": True}
    plain = convert(
        {"name": "b", "type": "date_field", "date_validation": "default_date_validation"}, field_env
    )
    assert plain is not None and "validation" not in plain
    assert messages(field_env) == []


def test_inline_options_become_a_generated_lookup_with_every_translation() -> None:
    field_env = env()
    result = convert(
        {
            "name": "how",
            "type": "select_box",
            "option_strings_text_en": [{"id": "x", "display_text": "X"}, {"id": "Y 1", "display_text": "Y"}],
            "option_strings_text_es": [{"id": "x", "display_text": "Equis"}],
        },
        field_env,
    )
    assert result is not None and result["lookup"] == "field-how"
    generated = field_env.generated["field-how"]
    assert generated["options"] == [
        {"id": "x", "label": {"en": "X", "es": "Equis"}},
        {"id": "Y 1", "label": {"en": "Y"}},
    ]
    assert messages(field_env) == [
        "generated f.rb:7: field 'how': its own options became the lookup 'field-how'"
    ]


def test_a_missing_lookup_or_unknown_source_becomes_text() -> None:
    field_env = env()
    missing = convert(
        {"name": "a", "type": "select_box", "option_strings_source": "lookup lookup-nope"}, field_env
    )
    other = convert({"name": "b", "type": "select_box", "option_strings_source": "violations"}, field_env)
    assert missing is not None and missing["type"] == "text" and other is not None and other["type"] == "text"
    assert [m.split(":", 2)[2] for m in messages(field_env)] == [
        " field 'a': lookup 'lookup-nope' is not in the source; imported as text",
        " field 'b': options from 'violations' have no equivalent; imported as text",
    ]


def test_subform_columns_come_from_the_nested_form() -> None:
    nested = Item(
        "form_section",
        obj(
            {
                "unique_id": "rows",
                "is_nested": True,
                "fields": [
                    {"name": "col_a", "type": "text_field", "display_name_en": "A"},
                    {
                        "name": "col_b",
                        "type": "tick_box",
                        "display_name_en": "B",
                        "display_conditions_subform": {"eq": {"col_a": "x"}},
                    },
                    {
                        "name": "deeper",
                        "type": "subform",
                        "subform_unique_id": "other",
                        "display_name_en": "D",
                    },
                ],
            },
            3,
        ),
        "n.rb",
    )
    field_env = env({"rows": nested})
    result = convert(
        {"name": "rows_field", "type": "subform", "subform": obj({"unique_id": "rows"})}, field_env
    )
    assert result is not None and [c["id"] for c in result["fields"]] == ["col_a", "col_b"]
    assert result["fields"][1]["show_if"] == {"field": "col_a", "equals": "x"}
    assert messages(field_env) == [
        "approximated n.rb:3: subform 'rows_field': the subform column 'deeper' inside "
        "it cannot be nested; not imported"
    ]
    missing = convert({"name": "lost", "type": "subform", "subform_unique_id": "nowhere"}, field_env)
    assert missing is None


@pytest.mark.parametrize(
    ("condition", "show_if"),
    [
        ({"eq": {"a": "x"}}, {"field": "a", "equals": "x"}),
        ({"eq": {"a": True}, "disabled": False}, {"field": "a", "equals": True}),
        ({"in": {"a": ["x", "y"]}}, {"field": "a", "in": ["x", "y"]}),
        ({"gt": {"age": 5}}, {"field": "age", "gt": 5}),
        ({"ge": {"age": 5}}, {"field": "age", "ge": 5}),
        ({"lt": {"age": 5}}, {"field": "age", "lt": 5}),
        ({"le": {"d": "2020-01-01"}}, {"field": "d", "le": "2020-01-01"}),
        ({"not": {"eq": {"a": "x"}}}, {"not": {"field": "a", "equals": "x"}}),
        (
            {"and": [{"eq": {"a": "x"}}, {"or": [{"lt": {"n": 1}}, {"gt": {"n": 9}}]}]},
            {
                "all": [
                    {"field": "a", "equals": "x"},
                    {"any": [{"field": "n", "lt": 1}, {"field": "n", "gt": 9}]},
                ]
            },
        ),
        (
            {"eq": {"a": "x", "b": "y"}},
            {"all": [{"field": "a", "equals": "x"}, {"field": "b", "equals": "y"}]},
        ),
    ],
)
def test_skip_logic(condition: dict[str, Any], show_if: dict[str, Any]) -> None:
    assert convert_condition(obj(condition)) == show_if


def test_skip_logic_disabled_or_unsupported() -> None:
    assert convert_condition(obj({"eq": {"a": 1}, "disabled": True})) is None
    assert convert_condition(obj({"sum": ["a", "b"]})) == "'sum'"
    field_env = env()
    result = convert(
        {"name": "a", "type": "text_field", "display_conditions_record": {"avg": ["x"]}}, field_env
    )
    assert result is not None and "show_if" not in result
    assert messages(field_env) == [
        "approximated f.rb:7: field 'a': skip logic 'avg' cannot be expressed; the field is always shown"
    ]


def test_properties_without_an_equivalent_are_reported() -> None:
    field_env = env()
    convert(
        {
            "name": "a",
            "type": "text_field",
            "hidden_text_field": True,
            "mobile_visible": False,
            "matchable": True,
            "order": 3,
        },
        field_env,
    )
    assert messages(field_env) == ["dropped f.rb:7: field 'a': 'hidden_text_field' has no equivalent"]
