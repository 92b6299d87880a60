"""The scenario file format, as pydantic models (and, from them, a JSON Schema).

A scenario describes a practice world (focal cases with their history, and
background cases drawn to a distribution), a timeline of injects, the behaviour
of simulated actors, the SOP steps expected of the trainee, and a reference
solution. It names SOP concepts (`docs/authoring/vocabulary.md`), which each
bundle's mapping.yaml turns into its own ids (`scenario.portable`).
`docs/authoring/scenario-schema.json` is generated from these models
(`python -m scripts.gen_scenario_docs`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .rules import Rule

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
TranslatedText = dict[str, str]
#: A simulated time: "day 2 09:00" (day 1 is the start day) or an offset from the
#: start such as "+2h", "+1d4h", "-3d", "+30m".
SimTime = Annotated[str, StringConstraints(
    pattern=r"^(day [1-9][0-9]* ([01][0-9]|2[0-3]):[0-5][0-9]|[+-]([0-9]+d)?([0-9]+h)?([0-9]+m)?)$")]
Duration = Annotated[str, StringConstraints(pattern=r"^([0-9]+d)?([0-9]+h)?([0-9]+m)?$",
                                            min_length=2)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class RoleSpec(Model):
    """An in-world role of the scenario: played by a trainee, or simulated."""

    played_by: Literal["trainee", "simulated"]
    role: str = Field(description="A role concept (case_worker, supervisor, service_provider, "
                                   "manager, administrator), or a role id of the bundle.")
    name: str | None = Field(default=None, description="Name in the world (simulated actors).")
    agency: str | None = Field(default=None, description="An agency concept (lead, tracing, ...).")
    user_groups: list[str] = Field(default_factory=list,
                                   description="User group concepts (lead_office, ...).")


class ChildSpec(Model):
    sex: str | None = Field(default=None, description="An option concept of sex (female, male).")
    #: The person's age: a child (CP) or, in a GBV scenario, an adult survivor.
    age: int | None = Field(default=None, ge=0, le=100, description=(
        "The person's age: a child, or an adult survivor in a scenario of the GBV module."))
    name_first: str | None = None
    name_last: str | None = None
    location: str | None = Field(default=None, description="A location concept (city_centre, ...).")


class HistoryStep(Model):
    """Something that happened before the trainee arrived, executed through the
    case services at a time before the start, so the log holds it as an event."""

    at: SimTime
    do: str
    as_: str | None = Field(default=None, alias="as")
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")


class FocalCase(Model):
    ref: Ident
    owner: str = Field(description="The scenario role that owns the case.")
    registration: Literal["identified", "registered"] = "registered"
    child: ChildSpec = Field(default_factory=ChildSpec)
    risk: str | None = Field(default=None, description="A risk concept: high, medium or low.")
    data: dict[str, Any] = Field(default_factory=dict, description=(
        "Field concepts and their values (option concepts for lookups); what the bundle has "
        "no field for is left out there, with a note."))
    history: list[HistoryStep] = Field(default_factory=list)


class BackgroundSpec(Model):
    count: int = Field(ge=0, le=2000)
    owner: str
    risk: dict[str, float] = Field(default_factory=dict)
    stage: dict[Literal["identified", "registered", "assessed", "planned", "closed"], float] = Field(
        default_factory=dict)
    overdue: float = Field(default=0.0, ge=0, le=1)


class WorldSpec(Model):
    seed: int = 1
    cases: list[FocalCase] = Field(default_factory=list)
    background: BackgroundSpec | None = None


class TriggerSpec(Model):
    action: str
    case: Ident | None = None
    delay: Duration | None = None


class CaseUpdate(Model):
    case: Ident
    data: dict[str, Any]


class Inject(Model):
    """Something that happens during the exercise, at a time or after an action."""

    id: Ident
    at: SimTime | None = None
    after: TriggerSpec | None = None
    sender: TranslatedText | None = None
    message: TranslatedText | None = None
    update: CaseUpdate | None = None
    new_case: FocalCase | None = None


class Decision(Model):
    decision: Literal["approve", "accept", "reject", "reject_first"] = "approve"
    comment: TranslatedText | None = None
    #: With reject_first: the comment that comes with the later approval.
    approve_comment: TranslatedText | None = None
    delay: Duration = "1h"


class PartnerSpec(Model):
    """A simulated partner system (an NGO's case management tool): referrals to the
    actor's agency leave over the signed exchange, and it answers by these rules."""

    name: TranslatedText | None = Field(default=None, description="The system's name.")
    needs: list[str] = Field(default_factory=list, description=(
        "Fields of the referral message's child it needs (sex, age, name_first, name_last, "
        "date_of_birth, location, risk_level...): it declines when one is missing."))
    decision: Literal["accept", "decline"] = "accept"
    comment: TranslatedText | None = None
    missing_comment: TranslatedText | None = Field(
        default=None, description="Its reason when it declines for missing fields.")
    done_after: Duration | None = Field(default=None, description=(
        "After accepting, it marks the referral done this much simulated time later."))
    done_comment: TranslatedText | None = None


class ActorSpec(Model):
    partner: PartnerSpec | None = None
    approvals: dict[Literal["assessment", "case_plan", "closure"], Decision] = Field(
        default_factory=dict)
    referrals: Decision | None = None
    transfers: Decision | None = None


class SolutionStep(Model):
    as_: str | None = Field(default=None, alias="as")
    do: str | None = None
    case: Ident | None = None
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    advance: Duration | None = None


class Scenario(Model):
    id: Ident
    version: int = Field(ge=1)
    module: str = "cp"
    config: str = Field(description=(
        "The configuration bundle the scenario is seeded on by default; it runs on any bundle "
        "whose mapping.yaml maps the concepts it names."))
    names_locale: str = "en_US"
    languages: list[str] = Field(min_length=1)
    title: TranslatedText
    brief: TranslatedText
    objectives: list[TranslatedText] = Field(default_factory=list)
    difficulty: Literal["beginner", "intermediate", "advanced"]
    duration_minutes: int = Field(ge=5, le=600)
    start: str = Field(default="2026-03-02T08:00",
                       pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
    roles: dict[Ident, RoleSpec]
    world: WorldSpec
    timeline: list[Inject] = Field(default_factory=list)
    actors: dict[Ident, ActorSpec] = Field(default_factory=dict)
    expected: list[Rule] = Field(default_factory=list)
    pass_mark: int = Field(default=70, ge=0, le=100)
    solution: list[SolutionStep] = Field(default_factory=list)
    sloppy: Sloppy | None = None
    discussion: list[TranslatedText] = Field(default_factory=list, description=(
        "Questions for the debrief after the exercise, in every language of the scenario: "
        "the trainer reads them out to the group (2 to 4 are enough)."))


class Sloppy(Model):
    """A plausible but careless attempt, and the score (percent) it must get."""

    solution: list[SolutionStep]
    score: int = Field(ge=0, le=100)


Scenario.model_rebuild()


def json_schema() -> dict[str, Any]:
    return Scenario.model_json_schema(by_alias=True)
