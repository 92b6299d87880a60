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

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

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
    """One question: `choice` (pick one option) or `true_false`."""

    id: Ident
    kind: Literal["choice", "true_false"]
    text: TranslatedText
    options: list[Option] = Field(default_factory=list,
                                  description="The options of a `choice` question (2 to 6).")
    answer: str | bool = Field(description="The right option's id, or true/false.")
    feedback: TranslatedText = Field(description="Why the answer is right, shown after taking it.")

    @model_validator(mode="after")
    def _answer_fits(self) -> Question:
        if self.kind == "true_false":
            if self.options:
                raise ValueError("a true_false question has no options")
            if not isinstance(self.answer, bool):
                raise ValueError("the answer of a true_false question is true or false")
        else:
            ids = [o.id for o in self.options]
            if not 2 <= len(ids) <= 6:
                raise ValueError("a choice question has 2 to 6 options")
            if len(set(ids)) != len(ids):
                raise ValueError("two options have the same id")
            if self.answer not in ids:
                raise ValueError(f"the answer '{self.answer}' is not one of the options "
                                 f"({', '.join(ids)})")
        return self


class Quiz(Model):
    """A knowledge check: its id is the file's name."""

    id: Ident
    version: int = Field(ge=1)
    title: TranslatedText
    description: TranslatedText = Field(default_factory=dict)
    questions: list[Question] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique_questions(self) -> Quiz:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"two questions have the id '{question.id}'")
            seen.add(question.id)
        return self


def json_schema() -> dict[str, Any]:
    return Quiz.model_json_schema()


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
