"""`manage.py import_config`: exit status, nothing half-written, --force, the report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import EXPORT, SEED


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_config", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_seed_tree(tmp_path: Path) -> None:
    out, _ = run("primero", str(SEED), "--out", str(tmp_path / "b"))
    assert "10 form sections" in out and "languages en, es" in out
    assert (tmp_path / "b" / "bundle.yaml").is_file()
    assert (tmp_path / "import-report.md").is_file() and (tmp_path / "import-report.json").is_file()


def test_the_configuration_folder_itself_is_accepted(tmp_path: Path) -> None:
    out, _ = run(
        "primero",
        str(SEED / "db" / "configuration"),
        "--out",
        str(tmp_path / "b"),
        "--report-dir",
        str(tmp_path / "reports"),
    )
    assert "10 form sections" in out
    assert (tmp_path / "reports" / "import-report.json").is_file()


def test_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "b"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CommandError, match="is not empty") as error:
        run("primero", str(EXPORT), "--out", str(target))
    assert error.value.returncode == 1
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    run("primero", str(EXPORT), "--out", str(target), "--force")
    assert not (target / "keep.txt").exists() and (target / "bundle.yaml").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    run("primero", str(EXPORT), "--out", str(tmp_path / "b"))
    assert (tmp_path / "b" / "roles.yaml").is_file()


@pytest.mark.parametrize("content", ['{\n  "data": [\n', "not json at all", "{}"])
def test_exit_1_and_nothing_written_when_nothing_could_be_read(tmp_path: Path, content: str) -> None:
    source = tmp_path / "broken.json"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing could be read") as error:
        run("primero", str(source), "--out", str(tmp_path / "b"))
    assert error.value.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]


def test_unreadable_ruby_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    config = tmp_path / "src" / "db" / "configuration"
    (config / "lookups").mkdir(parents=True)
    (config / "lookups" / "lookups.rb").write_text(
        "Lookup.create_or_update!(unique_id: 'lookup-a', name_en: 'A',\n"
        "  lookup_values_en: [{ id: 'x', display_text: 'X' }])\n"
        "Lookup.create_or_update!(unique_id: 'lookup-b', name_en: 'B', lookup_values_en: compute_values)\n"
        "Lookup.create_or_update!(unique_id: 'lookup-c', name_en: 'C', lookup_values_en: [\n"
        "  { id: 'y', display_text: 'Y' },\n"
        "  { id: 'z', display_text: 1..2 }\n"
        "])\n",
        encoding="utf-8",
    )
    (config / "forms").mkdir()
    (config / "forms" / "f.rb").write_text(
        "FormSection.create_or_update!(unique_id: 'f', parent_form: 'case', name_en: 'F', fields: [\n"
        "  Field.new('name' => 'a', 'type' => 'select_box', 'option_strings_source' => 'lookup lookup-a',\n"
        "            'display_name_en' => 'A'),\n"
        "  Field.new('name' => 'b', 'type' => 'text_field', 'display_name_en' => \"unclosed)\n"
        "])\n",
        encoding="utf-8",
    )
    _, err = run("primero", str(tmp_path / "src"), "--out", str(tmp_path / "b"))
    assert err.splitlines() == [
        "db/configuration/lookups/lookups.rb:3: cannot read: unknown name 'compute_values'",
        "db/configuration/lookups/lookups.rb:6: cannot read: '..' expressions are not configuration data",
        "db/configuration/forms/f.rb:4: cannot read: a string is not closed",
    ]
    lookups = (tmp_path / "b" / "lookups.yaml").read_text(encoding="utf-8")
    assert "lookup-a" in lookups and "lookup-c" in lookups and "lookup-b" not in lookups
    report = json.loads((tmp_path / "import-report.json").read_text(encoding="utf-8"))
    assert report["groups"]["unreadable"]["count"] == 3
    assert report["groups"]["unreadable"]["entries"][0] == {
        "path": "db/configuration/lookups/lookups.rb",
        "line": 3,
        "message": "cannot read: unknown name 'compute_values'",
    }


def test_a_missing_source(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file") as error:
        run("primero", str(tmp_path / "nowhere"), "--out", str(tmp_path / "b"))
    assert error.value.returncode == 1
    assert not (tmp_path / "b").exists()


def test_languages_option(tmp_path: Path) -> None:
    out, _ = run("primero", str(EXPORT), "--out", str(tmp_path / "b"), "--languages", "fr,en")
    assert "languages fr, en" in out


def test_a_broken_json_record_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text(
        '{"data": {"id": "x", "data": {\n'
        '  "Lookup": [\n'
        '    {"unique_id": "lookup-a", "name_i18n": {"en": "A"},\n'
        '     "lookup_values_i18n": [{"id": "1", "display_text": {"en": "One"}}]},\n'
        '    {"unique_id": "lookup-b", "lookup_values_i18n": [oops]},\n'
        '    {"unique_id": "lookup-c", "name_i18n": {"en": "C"},\n'
        '     "lookup_values_i18n": [{"id": "2", "display_text": {"en": "Two"}}]}\n'
        '  ],\n'
        '  "FormSection": [{"unique_id": "f", "parent_form": "case", "name_i18n": {"en": "F"},\n'
        '    "fields_attributes": [{"name": "a", "type": "select_box", "display_name_i18n": {"en": "A"},\n'
        '                           "option_strings_source": "lookup lookup-c"}]}]\n'
        '}}}\n', encoding="utf-8")
    _, err = run("primero", str(source), "--out", str(tmp_path / "b"))
    assert err.splitlines() == ["export.json:5: cannot read: unexpected 'o'"]
    lookups = (tmp_path / "b" / "lookups.yaml").read_text(encoding="utf-8")
    assert "lookup-a" in lookups and "lookup-c" in lookups and "lookup-b" not in lookups
    form = next((tmp_path / "b" / "forms").glob("*.yaml")).read_text(encoding="utf-8")
    assert "lookup: lookup-c" in form
