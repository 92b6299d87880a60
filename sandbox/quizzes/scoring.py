"""Marking a quiz: a pure function of the quiz and the answers given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .schema import Quiz


@dataclass(frozen=True)
class Marked:
    question_id: str
    given: Any  # the option id or true/false chosen, None when left blank
    right: bool


def mark(quiz: Quiz, answers: dict[str, Any]) -> list[Marked]:
    """Each question right or wrong; a blank or unknown answer is wrong."""
    return [Marked(q.id, answers.get(q.id), answers.get(q.id) == q.answer
                   and type(answers.get(q.id)) is type(q.answer)) for q in quiz.questions]


def parse_answer(kind: str, raw: str | None) -> str | bool | None:
    """A form value as the quiz writes answers: "true"/"false" for true/false questions."""
    if raw is None or raw == "":
        return None
    if kind == "true_false":
        return {"true": True, "false": False}.get(raw)
    return raw
