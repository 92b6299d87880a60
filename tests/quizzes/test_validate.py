"""Quiz files: the shipped ones are valid; broken ones are reported as PATH:LINE."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sandbox.quizzes.load import library, read_quiz

GOOD = """\
id: {id}
version: 1
title: {{en: T, fr: T, ar: T, es: T, sw: T, km: T}}
questions:
  - id: first
    kind: true_false
    text: {{en: Q, fr: Q, ar: Q, es: Q, sw: Q, km: Q}}
    answer: true
    feedback: {{en: F, fr: F, ar: F, es: F, sw: F, km: F}}
  - id: second
    kind: choice
    text: {{en: Q, fr: Q, ar: Q, es: Q, sw: Q, km: Q}}
    options:
      - id: a
        text: {{en: A, fr: A, ar: A, es: A, sw: A, km: A}}
      - id: b
        text: {{en: B, fr: B, ar: B, es: B, sw: B, km: B}}
    answer: b
    feedback: {{en: F, fr: F, ar: F, es: F, sw: F, km: F}}
"""


def write(tmp_path: Path, text: str, name: str = "check") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.format(id=name) if "{id}" in text else text, encoding="utf-8")
    return path


def test_the_shipped_quizzes_are_valid_and_about_the_sop_and_consent() -> None:
    quizzes = {p.stem: read_quiz(p) for p in library()}
    assert set(quizzes) == {"sop-pre-post", "data-protection-consent"}
    for parsed in quizzes.values():
        assert parsed.problems == []
    assert len(quizzes["sop-pre-post"].quiz.questions) == 10  # type: ignore[union-attr]
    assert len(quizzes["data-protection-consent"].quiz.questions) == 6  # type: ignore[union-attr]


def test_quizzes_are_not_scenarios() -> None:
    from sandbox.simulation.scenario.load import library as scenario_library

    assert not [p for p in scenario_library() if "quizzes" in p.parts]


def test_a_good_file_has_no_problem(tmp_path: Path) -> None:
    assert read_quiz(write(tmp_path, GOOD)).problems == []


def test_an_answer_that_is_not_an_option_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("answer: b", "answer: c"))
    problems = [str(p) for p in read_quiz(path).problems]
    assert problems == [f"{path}:18: question 'second': the answer 'c' is not one of the "
                        "options (a, b)"]


def test_a_missing_translation_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("{en: A, fr: A, ar: A, es: A, sw: A, km: A}",
                                        "{en: A, fr: A, ar: A, es: A, km: A}"))
    problems = [str(p) for p in read_quiz(path).problems]
    assert problems == [f"{path}:15: question 'second', option 'a': text: missing 'sw' text"]


def test_unknown_keys_wrong_kinds_and_a_misnamed_file(tmp_path: Path) -> None:
    text = GOOD.replace("kind: true_false", "kind: yes_no").replace("version: 1", "versoin: 1")
    path = write(tmp_path, text)
    problems = [str(p) for p in read_quiz(path).problems]
    assert f"{path}:2: unknown key 'versoin' (did you mean 'version'?)" in problems
    assert any(p.startswith(f"{path}:6: question 'first': kind: 'yes_no' is not one of")
               for p in problems)
    renamed = write(tmp_path, GOOD.format(id="check"), name="other")
    assert [str(p) for p in read_quiz(renamed).problems] == [
        f"{renamed}:1: the id 'check' differs from the file's name 'other'"]


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\nquestions:\n  - id: [unclosed\n")
    problems = read_quiz(path).problems
    assert len(problems) == 1 and str(problems[0]).startswith(f"{path}:4: YAML syntax error")


def test_the_command_reports_every_problem_and_fails(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, GOOD.replace("answer: true", "answer: b"), name="broken")
    with pytest.raises(CommandError):
        call_command("validate_quizzes", str(tmp_path))
    err = capsys.readouterr().err
    assert "broken.yaml:8: question 'first': the answer of a true_false question is true or false" in err
    call_command("validate_quizzes")
    assert "2 quiz file(s) valid" in capsys.readouterr().out


def test_the_published_schema_is_up_to_date() -> None:
    import json

    from django.conf import settings

    from sandbox.quizzes.schema import json_schema

    published = Path(settings.BASE_DIR) / "docs" / "authoring" / "quiz-schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == json_schema(), \
        "run: python -m sandbox.quizzes.schema > docs/authoring/quiz-schema.json"
