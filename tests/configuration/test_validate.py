"""The bundle validator: every problem, with its file and line, and nothing loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sandbox.configuration.bundle.validate import validate_bundle
from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a bundle file; returns the 1-based line of the first change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def messages(directory: Path) -> list[str]:
    return [str(p) for p in validate_bundle(directory).sorted_problems()]


def find(directory: Path, needle: str) -> list[str]:
    return [m for m in messages(directory) if needle in m]


@pytest.mark.parametrize("directory", [DEFAULT_BUNDLE, KENYA_BUNDLE], ids=["default", "kenya"])
def test_shipped_bundles_are_valid(directory: Path) -> None:
    assert messages(directory) == []


def test_default_bundle_has_what_the_sop_needs() -> None:
    parsed = validate_bundle(DEFAULT_BUNDLE)
    steps = {item.spec.step for item in parsed.sections}
    assert steps == {"registration", "consent", "assessment", "case_plan", "services", "closure"}
    types = {f.type for item in parsed.sections for f in item.spec.fields}
    assert {"text", "textarea", "select", "multi_select", "radio", "tick_box", "number", "date",
            "location", "subform"} <= types
    assert any(f.show_if for item in parsed.sections for f in item.spec.fields)
    assert len({row.admin_level for row in parsed.locations}) >= 4
    assert len(parsed.locations) >= 60
    assert len(parsed.agencies) >= 4
    assert {r.spec.id for r in parsed.roles} >= {"caseworker", "supervisor", "service_provider",
                                                  "administrator"}
    assert {r.spec.scope for r in parsed.roles} >= {"own", "group", "all"}
    assert parsed.bundle and parsed.bundle.spec.languages == ["en", "fr", "ar"]


def test_yaml_syntax_error_names_file_and_line(bundle: Path) -> None:
    path = bundle / "lookups.yaml"
    line = edit(path, "  - id: sex\n", "  - id: sex\n    name: {en: [unclosed\n")
    found = find(bundle, "YAML syntax error")
    assert len(found) == 1
    assert found[0].startswith(f"{path}:")
    reported = int(found[0].split(":")[1])
    assert line <= reported <= line + 3


def test_unknown_key_suggests_the_right_one(bundle: Path) -> None:
    path = next((bundle / "forms").glob("*basic_identity.yaml"))
    line = edit(path, "    required: true", "    requird: true")
    found = find(bundle, "unknown key 'requird'")
    assert found == [f"{path}:{line}: fields[0]: unknown key 'requird' (did you mean 'required'?)"]


def test_wrong_type(bundle: Path) -> None:
    path = next((bundle / "forms").glob("*basic_identity.yaml"))
    line = edit(path, "    required: true", '    required: "yes"')
    found = find(bundle, "required: expected true or false, got text")
    assert found == [f"{path}:{line}: fields[0].required: expected true or false, got text"]


def test_unknown_field_type(bundle: Path) -> None:
    path = next((bundle / "forms").glob("*basic_identity.yaml"))
    edit(path, "type: text", "type: txt")
    assert any("'txt' is not one of" in m for m in messages(bundle))


def test_duplicate_lookup_id(bundle: Path) -> None:
    path = bundle / "lookups.yaml"
    line = edit(path, "  - id: yes_no_unknown", "  - id: sex")
    found = find(bundle, "duplicate lookup id 'sex'")
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}:")


def test_field_with_unknown_lookup(bundle: Path) -> None:
    path = next((bundle / "forms").glob("*basic_identity.yaml"))
    line = edit(path, "lookup: sex", "lookup: gender")
    assert find(bundle, "unknown lookup 'gender'") == [
        f"{path}:{line}: field 'sex': unknown lookup 'gender'"
    ]


def test_role_with_unknown_form_section_and_action(bundle: Path) -> None:
    path = bundle / "roles.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("basic_identity: read", "basic_identiti: read", 1)
    text = text.replace("- case.register", "- case.registr", 1)
    path.write_text(text, encoding="utf-8")
    assert len(find(bundle, "unknown form section 'basic_identiti'")) == 1
    assert len(find(bundle, "unknown action 'case.registr'")) == 1


def test_policy_with_unknown_risk_level_and_consent_field(bundle: Path) -> None:
    path = bundle / "policy.yaml"
    edit(path, "high: 24h", "critical: 24h")
    edit(path, "share_information: consent_share_other_orgs", "share_information: consent_share")
    assert len(find(bundle, "deadline for unknown risk level 'critical'")) == 1
    assert len(find(bundle, "consent field 'consent_share' does not exist")) == 1


def test_missing_translation(bundle: Path) -> None:
    path = bundle / "lookups.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: sex")
    ar = text.index("ar:", start)
    line = text[:ar].count("\n") + 1
    end = text.index("}", ar)
    path.write_text(text[:ar].rstrip(", ") + text[end:], encoding="utf-8")
    found = find(bundle, "missing 'ar' translation")
    assert len(found) == 1
    assert found[0].startswith(f"{path}:{line}:")


def test_skip_logic_naming_unknown_field(bundle: Path) -> None:
    path = next((bundle / "forms").glob("*basic_identity.yaml"))
    edit(path, "field: has_disability", "field: has_disabilities")
    assert len(find(bundle, "show_if names unknown field 'has_disabilities'")) == 1


def test_skip_logic_with_a_value_that_is_not_an_option(bundle: Path) -> None:
    forms = bundle / "forms"
    path = next(p for p in forms.glob("*.yaml") if "equals: other" in p.read_text(encoding="utf-8"))
    edit(path, "equals: other", "equals: elsewhere")
    assert len(find(bundle, "show_if value 'elsewhere' is not an option")) == 1


def test_location_parent_missing_and_cycle(bundle: Path) -> None:
    path = bundle / "locations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    languages = [h for h in header if h.startswith("name_")]
    names = ",".join("X" for _ in languages)
    lines.append(f"ZZ01,NOWHERE,1,{names}")
    lines.append(f"CY1,CY2,2,{names}")
    lines.append(f"CY2,CY1,1,{names}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing = len(lines) - 2
    assert f"{path}:{missing}: location 'ZZ01': parent 'NOWHERE' does not exist" in messages(bundle)
    assert len(find(bundle, "locations form a cycle")) == 1


def test_csv_wrong_column_count(bundle: Path) -> None:
    path = bundle / "locations.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("LRX,LR\n")
    found = find(bundle, "columns, found 2")
    assert len(found) == 1


def test_every_problem_is_reported_not_just_the_first(bundle: Path) -> None:
    edit(bundle / "lookups.yaml", "  - id: yes_no_unknown", "  - id: sex")
    edit(bundle / "roles.yaml", "- case.register", "- case.registr")
    edit(next((bundle / "forms").glob("*basic_identity.yaml")), "lookup: sex", "lookup: gender")
    found = messages(bundle)
    assert len(found) >= 3


def test_command_exit_status_and_json(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(bundle / "roles.yaml", "- case.register", "- case.registr")
    with pytest.raises(CommandError) as excinfo:
        call_command("validate_config", str(bundle))
    assert excinfo.value.returncode == 1
    assert "unknown action 'case.registr'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate_config", str(bundle), format="json")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert any(p["message"].endswith("unknown action 'case.registr' in permissions")
               and p["path"].endswith("roles.yaml") and p["line"] > 1 for p in report["problems"])


def test_command_valid_bundle(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("validate_config", str(DEFAULT_BUNDLE), format="json")
    assert json.loads(capsys.readouterr().out) == {
        "bundle": str(DEFAULT_BUNDLE), "valid": True, "problems": []}
