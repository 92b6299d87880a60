"""The bundle validator: every problem, with its file and line, in one pass; the command's
text and JSON reports; format v2 constructs; speed. Per-message cases are in the
broken-bundle corpus (`test_broken_corpus.py`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from sandbox.configuration.bundle.jsonschema import render
from sandbox.configuration.bundle.validate import validate_bundle
from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE

from .corpus import BASE, apply_edits, make_bundle, relative


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, target)
    return target


def messages(directory: Path) -> list[str]:
    return [str(p) for p in validate_bundle(directory).sorted_problems()]


@pytest.mark.parametrize("directory", [DEFAULT_BUNDLE, KENYA_BUNDLE], ids=["default", "kenya"])
def test_shipped_bundles_are_valid_without_warnings(directory: Path) -> None:
    assert messages(directory) == []


def test_default_bundle_has_what_the_sop_needs() -> None:
    parsed = validate_bundle(DEFAULT_BUNDLE)
    steps = {item.spec.step for item in parsed.sections if item.spec.record_type == "case"}
    assert steps == {"registration", "consent", "assessment", "case_plan", "services", "closure"}
    types = {f.type for item in parsed.sections for f in item.spec.fields}
    assert {"text", "textarea", "select", "multi_select", "radio", "tick_box", "number", "date",
            "location", "subform"} <= types
    assert any(f.show_if for item in parsed.sections for f in item.spec.fields)
    assert len({row.admin_level for row in parsed.locations}) >= 4
    assert len(parsed.agencies) >= 4
    assert {r.spec.id for r in parsed.roles} >= {"caseworker", "supervisor", "service_provider",
                                                  "administrator"}
    assert parsed.bundle and parsed.bundle.spec.languages == ["en", "fr", "ar", "es", "sw", "km"]


def test_v1_and_v2_forms_of_the_same_thing_are_both_accepted() -> None:
    parsed = validate_bundle(BASE)
    groups = {item.spec.id: item.spec for item in parsed.user_groups}
    assert groups["group-south"].agency_ids == ["agency-dsw"]          # v1: agency: ID
    assert groups["group-north"].agency_ids == ["agency-dsw", "agency-tracing"]
    policy = parsed.policies[0].spec
    assert policy.consent.field_ids() == {"services": "consent_services",
                                          "share_information": "consent_share"}
    assert policy.consent.given_values() == {"services": True, "share_information": "true"}
    agencies = {item.spec.id: item.spec for item in parsed.agencies}
    assert agencies["agency-tracing"].type is None
    assert agencies["agency-tracing"].display_short_name == "agency-tracing"


def test_a_yaml_date_default_is_read_as_text(tmp_path: Path) -> None:
    target = make_bundle(tmp_path, [{"file": "forms/identity.yaml",
                                     "replace": "    validation: {not_future: true}\n",
                                     "with": "    validation: {not_future: true}\n"
                                             "    default: 2015-06-01\n"}])
    parsed = validate_bundle(target)
    assert parsed.sorted_problems() == []
    dob = next(f for item in parsed.sections for f in item.spec.fields if f.id == "date_of_birth")
    assert dob.default == "2015-06-01"


def test_lines_stay_right_after_a_broken_part_is_cut(tmp_path: Path) -> None:
    """An option broken in structure is cut; the next option's problem keeps its own line."""
    target = make_bundle(tmp_path, [
        {"file": "lookups.yaml", "replace": "{id: high, label: {en: High, fr: Élevé}}",
         "with": "{id: high, label: High}"},
        {"file": "lookups.yaml", "replace": "{id: low, label: {en: Low, fr: Faible}}",
         "with": "{id: low, label: {en: Low}}"},
    ])
    found = [relative(p, target) for p in validate_bundle(target).sorted_problems()]
    assert found == [
        "lookups.yaml:10: lookup 'lookup-risk-level', option 'high': label: expected a mapping, got text",
        "lookups.yaml:12: lookup 'lookup-risk-level', option 'low' label: missing 'fr' translation",
    ]


def test_not_a_directory(tmp_path: Path) -> None:
    assert messages(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:1: not a directory"]


# -- the command ----------------------------------------------------------------------


def _untranslated(tmp_path: Path) -> Path:
    """The base bundle with its French labels of three lookups removed, and one error."""
    target = make_bundle(tmp_path, [])
    path = target / "lookups.yaml"
    text = path.read_text(encoding="utf-8")
    for label in ("fr: Féminin", "fr: Masculin", "fr: Élevé", "fr: Moyen", "fr: Faible"):
        text = text.replace(", " + label, "")
    path.write_text(text, encoding="utf-8")
    apply_edits(target, [{"file": "roles.yaml", "replace": "case.view, referral.accept",
                          "with": "case.veiw, referral.accept"}])
    return target


def test_command_summarises_translation_gaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _untranslated(tmp_path)
    with pytest.raises(CommandError) as excinfo:
        call_command("validate_config", str(target))
    assert excinfo.value.returncode == 1
    # A gap in a declared language is an error, and the summary keeps one line per language.
    assert str(excinfo.value) == f"{target}: 6 error(s), 0 warning(s)"
    lines = capsys.readouterr().err.splitlines()
    lookups = target / "lookups.yaml"
    assert lines == [
        f"{lookups}:5: 5 texts missing in 'fr' (first: {lookups}:5, {lookups}:6, {lookups}:10, ...; "
        "--verbose lists them all)",
        f"{target / 'roles.yaml'}:17: role 'role-provider': unknown action 'case.veiw' in permissions "
        "(did you mean 'case.view'?)",
    ]


def test_command_verbose_lists_every_gap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _untranslated(tmp_path)
    with pytest.raises(CommandError):
        call_command("validate_config", str(target), verbose=True)
    lines = capsys.readouterr().err.splitlines()
    gaps = [line for line in lines if "missing 'fr' translation" in line]
    assert len(gaps) == 5 and len(lines) == 6
    assert gaps[0] == (f"{target / 'lookups.yaml'}:5: lookup 'lookup-sex', option 'female' label: "
                       "missing 'fr' translation")


def test_command_json_lists_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _untranslated(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate_config", str(target), format="json")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["errors"] == 6 and report["warnings"] == 0
    assert len(report["problems"]) == 6
    assert {p["code"] for p in report["problems"]} == {"missing-translation", "unknown-action"}
    assert {p["severity"] for p in report["problems"]} == {"error"}
    error = next(p for p in report["problems"] if p["code"] == "unknown-action")
    assert error == {"severity": "error", "path": str(target / "roles.yaml"), "line": 17,
                     "code": "unknown-action",
                     "message": "role 'role-provider': unknown action 'case.veiw' in permissions "
                                "(did you mean 'case.view'?)"}


def test_command_warnings_only_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = make_bundle(tmp_path, [{"file": "lookups.yaml", "replace": "{en: Female, fr: Féminin}",
                                     "with": "{en: Female, fr: Féminin, de: Weiblich}"}])
    call_command("validate_config", str(target))
    captured = capsys.readouterr()
    assert ("warning: lookup 'lookup-sex', option 'female' label: language 'de' is not declared"
            in captured.err)
    assert captured.out.strip() == (f"{target}: valid (6 lookups, 3 form sections, 3 locations, 3 roles); "
                                    "1 warning(s)")


def test_a_gap_in_a_declared_language_is_an_error(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = make_bundle(tmp_path, [{"file": "lookups.yaml", "replace": "{en: Female, fr: Féminin}",
                                     "with": "{en: Female}"}])
    with pytest.raises(CommandError) as excinfo:
        call_command("validate_config", str(target))
    assert str(excinfo.value) == f"{target}: 1 error(s), 0 warning(s)"
    assert capsys.readouterr().err.strip() == (
        f"{target / 'lookups.yaml'}:5: lookup 'lookup-sex', option 'female' label: missing 'fr' translation")


def test_command_valid_bundle_json(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("validate_config", str(DEFAULT_BUNDLE), format="json")
    assert json.loads(capsys.readouterr().out) == {
        "bundle": str(DEFAULT_BUNDLE), "valid": True, "errors": 0, "warnings": 0, "problems": []}


def test_command_finds_a_shipped_bundle_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("validate_config", "kenya-dcs")
    assert "kenya-dcs: valid (" in capsys.readouterr().out


# -- the JSON Schema and speed ------------------------------------------------------------


def test_every_problem_code_is_documented() -> None:
    root = Path(settings.BASE_DIR)
    page = (root / "docs" / "implementers" / "bundles.md").read_text(encoding="utf-8")
    sources = [*(root / "sandbox" / "configuration" / "bundle" / "checks").glob("*.py"),
               root / "sandbox" / "common" / "sourcefiles.py",
               root / "sandbox" / "configuration" / "bundle" / "validate.py"]
    codes: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        codes.update(re.findall(r'code="([a-z-]+)"', text))
        codes.update(re.findall(r'"([a-z]+(?:-[a-z]+)+)"\)', text))
    codes -= {"model-optional", "model-required"}  # words of the structure check, not codes
    assert len(codes) > 30
    assert sorted(code for code in codes if f"`{code}`" not in page) == []


def test_published_json_schema_is_up_to_date() -> None:
    path = Path(settings.BASE_DIR) / "docs" / "reference" / "bundle-schema.json"
    assert path.read_text(encoding="utf-8") == render(), (
        "docs/reference/bundle-schema.json is stale: run .venv/bin/python -m "
        "sandbox.configuration.bundle.jsonschema > docs/reference/bundle-schema.json")


def _large_bundle(tmp_path: Path, lookups: int = 80, sections: int = 40, fields: int = 25) -> Path:
    """The base bundle plus many lookups and form sections, as an imported configuration has."""
    target = make_bundle(tmp_path, [])
    lines = []
    for n in range(lookups):
        lines.append(f"  - id: lookup-extra-{n}\n    name: {{en: Extra {n}, fr: Extra {n}}}\n    options:\n")
        lines += [f"      - {{id: option-{k}, label: {{en: Option {k}, fr: Option {k}}}}}\n"
                  for k in range(12)]
    with (target / "lookups.yaml").open("a", encoding="utf-8") as handle:
        handle.write("".join(lines))
    for s in range(sections):
        body = [f"id: extra-{s}\nmodule: cp\nstep: assessment\n"
                f"name: {{en: Extra {s}, fr: Extra {s}}}\nfields:\n"]
        for f in range(fields):
            lookup = f"lookup-extra-{(s * fields + f) % lookups}"
            body.append(f"  - id: extra_{s}_{f}\n    type: select\n    lookup: {lookup}\n"
                        f"    label: {{en: Field {f}, fr: Champ {f}}}\n"
                        f"    show_if: {{field: extra_{s}_0, in: [option-1, option-2]}}\n" if f else
                        f"  - id: extra_{s}_{f}\n    type: radio\n    lookup: {lookup}\n"
                        f"    label: {{en: Field {f}, fr: Champ {f}}}\n")
        (target / "forms" / f"extra-{s}.yaml").write_text("".join(body), encoding="utf-8")
    return target


def test_a_large_configuration_validates(tmp_path: Path) -> None:
    # Its speed is measured by `make bench` (primero_validate_s), not asserted here.
    target = _large_bundle(tmp_path)
    parsed = validate_bundle(target)
    assert parsed.sorted_problems() == []
    assert len(parsed.lookups) >= 60 and len(parsed.sections) >= 30


def test_an_unknown_identifying_field_is_named(bundle: Path) -> None:
    path = bundle / "bundle.yaml"
    text = path.read_text(encoding="utf-8").replace("identifying_fields: [name_middle,",
                                                    "identifying_fields: [name_midle,")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "identifying_fields" in row)
    found = [m for m in messages(bundle) if "identifying_fields" in m]
    assert len(found) == 1
    assert f"bundle.yaml:{line}:" in found[0]
    assert "unknown field 'name_midle' (did you mean 'name_middle'?)" in found[0]
