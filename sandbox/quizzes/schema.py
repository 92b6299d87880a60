"""The quiz file format (`scenarios/quizzes/*.yaml`), as pydantic models.

A quiz is a short knowledge check taken before and after a workshop: questions
with one right answer (multiple choice, or true/false), each with feedback that
explains why. Every text is a `{language: text}` map in all the interface's
languages. `docs/authoring/quiz-schema.json` is generated from these models
(`python -m sandbox.quizzes.schema > docs/authoring/quiz-schema.json`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
TranslatedText = dict[str, str]

#: Every text of a quiz is written in each of these (the interface's languages).
LANGUAGES = ("en", "fr", "ar", "es", "sw", "km")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Option(Model):
    id: Ident
    text: TranslatedText


class Question(Model):
    """One question: `choice` (pick one of 2 to 6 options) or `true_false` (no options).

    That the answer fits the kind is checked by `load.check_answers`, so that the
    problem names the line of the answer."""

    id: Ident
    kind: Literal["choice", "true_false"]
    text: TranslatedText
    options: list[Option] = Field(default_factory=list,
                                  description="The options of a `choice` question (2 to 6).")
    answer: str | bool = Field(description="The right option's id, or true/false.")
    feedback: TranslatedText = Field(description="Why the answer is right, shown after taking it.")


class Quiz(Model):
    """A knowledge check: its id is the file's name."""

    id: Ident
    version: int = Field(ge=1)
    title: TranslatedText
    description: TranslatedText = Field(default_factory=dict)
    questions: list[Question] = Field(min_length=1, max_length=50)


def json_schema() -> dict[str, Any]:
    return Quiz.model_json_schema()


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
