"""Reading quiz files, with every problem reported as `PATH:LINE: message`.

Quizzes live beside the scenarios (`settings.QUIZZES_DIR`, `scenarios/quizzes/`), one
file each, named by the quiz's id. The structure is checked by the pydantic models of
`schema`; then what the models cannot say: the id matches the file's name, and every
text is written in every interface language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from pydantic import ValidationError

from sandbox.common.sourcefiles import Naming, Problem, Source, read_yaml, validation_problems

from .schema import LANGUAGES, Quiz

NAMING = Naming(lists={"questions": ("question", "id"), "options": ("option", "id")})


@dataclass
class ParsedQuiz:
    path: Path
    quiz: Quiz | None = None
    problems: list[Problem] = field(default_factory=list)


def library() -> list[Path]:
    folder = Path(settings.QUIZZES_DIR)
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _texts(source: Source) -> list[tuple[tuple[str | int, ...], object]]:
    """Every translated text of the file with its key path."""
    data = source.data
    found: list[tuple[tuple[str | int, ...], object]] = [
        (("title",), data.get("title")), (("description",), data.get("description"))]
    for q_index, question in enumerate(data.get("questions") or []):
        for key in ("text", "feedback"):
            found.append((("questions", q_index, key), question.get(key)))
        for o_index, option in enumerate(question.get("options") or []):
            found.append((("questions", q_index, "options", o_index, "text"), option.get("text")))
    return found


def _check_translations(source: Source) -> list[Problem]:
    problems = []
    for keys, value in _texts(source):
        if not value:
            continue
        assert isinstance(value, dict)
        where = NAMING.where(source.data, keys)
        for code in LANGUAGES:
            text = value.get(code)
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(source.path, source.line(*keys),
                                        f"{where}: missing '{code}' text", code="missing-translation"))
        for code in value:
            if code not in LANGUAGES:
                problems.append(Problem(source.path, source.line(*keys, code),
                                        f"{where}: unknown language '{code}' "
                                        f"(allowed: {', '.join(LANGUAGES)})"))
    return problems


def check_answers(quiz: Quiz, source: Source) -> list[Problem]:
    """What the schema cannot say: ids unique, the answer fits the question's kind."""
    problems = []
    seen: set[str] = set()
    for index, question in enumerate(quiz.questions):
        at = ("questions", index)
        where = NAMING.where(source.data, at)
        if question.id in seen:
            problems.append(source.problem(f"two questions have the id '{question.id}'", *at, "id"))
        seen.add(question.id)
        if question.kind == "true_false":
            if question.options:
                problems.append(source.problem(f"{where}: a true_false question has no options",
                                               *at, "options"))
            if not isinstance(question.answer, bool):
                problems.append(source.problem(
                    f"{where}: the answer of a true_false question is true or false", *at, "answer"))
            continue
        ids = [o.id for o in question.options]
        if not 2 <= len(ids) <= 6:
            problems.append(source.problem(f"{where}: a choice question has 2 to 6 options",
                                           *at, "options"))
        if len(set(ids)) != len(ids):
            problems.append(source.problem(f"{where}: two options have the same id", *at, "options"))
        if question.answer not in ids or isinstance(question.answer, bool):
            problems.append(source.problem(
                f"{where}: the answer '{question.answer}' is not one of the options "
                f"({', '.join(ids)})", *at, "answer"))
    return problems


def read_quiz(path: Path) -> ParsedQuiz:
    parsed = ParsedQuiz(path=path)
    source, problems = read_yaml(path)
    if source is None:
        parsed.problems = problems
        return parsed
    if not isinstance(source.data, dict):
        parsed.problems = [source.problem("a quiz file is a mapping (id, version, title, questions)")]
        return parsed
    try:
        quiz = Quiz.model_validate(source.data)
    except ValidationError as exc:
        parsed.problems = validation_problems(exc, source, model=Quiz, naming=NAMING)
        return parsed
    problems = check_answers(quiz, source) + _check_translations(source)
    if quiz.id != path.stem:
        problems.insert(0, source.problem(f"the id '{quiz.id}' differs from the file's name "
                                          f"'{path.stem}'", "id"))
    parsed.problems = problems
    parsed.quiz = None if problems else quiz
    return parsed


def find_quiz(quiz_id: str) -> Quiz | None:
    """A valid quiz of the library by id, or None."""
    for path in library():
        if path.stem == quiz_id:
            return read_quiz(path).quiz
    return None


def quiz_catalogue() -> list[Quiz]:
    """Every valid quiz of the library."""
    return [q for q in (read_quiz(p).quiz for p in library()) if q is not None]
