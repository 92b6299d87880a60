"""The expected SOP steps of a scenario: the rule kinds the scorer evaluates.

These are data (part of the scenario format); `sandbox.scoring` evaluates them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

TranslatedText = dict[str, str]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
#: A condition on a value: a plain value (equals), or {in: [...]}, {not: v}, {exists: bool}.
Condition = Any
WHERE = ("Conditions on the event: `details.<key>` (the keys each action records are listed in "
         "docs/reference/actions.md), `changes.<column or data.field>`, `actor`, `case`; each a "
         "plain value (equals) or one operator: {in: [..]}, {not: v}, {exists: true|false}")
WHEN = ("Conditions on the case just before the event: a column (status, stage, risk_level, "
        "registration_status, flagged, owner, location, agency) or data.<field>; each a plain "
        "value or {in: [..]}, {not: v}, {exists: true|false}")


class RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    id: Ident
    title: TranslatedText | None = None
    feedback: TranslatedText | None = None
    points: int = Field(default=0, ge=0, le=1000)
    case: str | list[str] | None = None
    by: str | None = None
    #: The announced objective this step serves (1-based, in the scenario's `objectives`).
    objective: int | None = Field(default=None, ge=1, le=100, description=(
        "The objective of the brief this step serves: its number (1-based) in the scenario's "
        "`objectives`. Required (by check_scenarios) on a rule that gives points or a penalty."))
    #: The rule is met before the trainee acts, on purpose (check_scenarios fails it otherwise).
    met_at_start: bool = Field(default=False, description="true when the rule is met before the "
                               "trainee acts on purpose; check_scenarios fails it otherwise")

    def cases(self) -> list[str | None]:
        if self.case is None:
            return [None]
        return [self.case] if isinstance(self.case, str) else list(self.case)


class Happened(RuleBase):
    rule: Literal["happened"]
    action: str
    where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)
    when: dict[str, Condition] = Field(default_factory=dict, description=WHEN)


class Before(RuleBase):
    rule: Literal["before"]
    first: str
    then: str
    #: Conditions on the `then` event (the trainee's), and on the `first` event.
    where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)
    first_where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)


class Within(RuleBase):
    rule: Literal["within"]
    action: str
    after: str
    hours: int | None = Field(default=None, ge=0)
    days: int | None = Field(default=None, ge=0)
    working_days: int | None = Field(default=None, ge=0)
    #: Conditions on the follow-up event (`action`), and on the anchor event (`after`).
    where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)
    after_where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)
    #: Every matching anchor needs its own follow-up in time (default: the first anchor only).
    every: bool = Field(default=False, description="true: every matching `after` event needs its "
                        "own `action` within the window; false: only the first one")

    @model_validator(mode="after")
    def one_window(self) -> Within:
        given = [v for v in (self.hours, self.days, self.working_days) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of hours, days or working_days")
        return self


class Final(RuleBase):
    rule: Literal["final"]
    field: str
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_equals: Any = None

    @model_validator(mode="after")
    def one_test(self) -> Final:
        given = [v for v in (self.equals, self.in_, self.not_equals) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of equals, in or not_equals")
        return self


class Never(RuleBase):
    rule: Literal["never"]
    action: str
    where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)
    when: dict[str, Condition] = Field(default_factory=dict, description=WHEN)
    penalty: int = Field(default=0, ge=0, le=1000)

    @model_validator(mode="after")
    def no_points(self) -> Never:
        if self.points:
            raise ValueError("a 'never' rule gives no points (they would be ignored): "
                             "use penalty to take points away when it is broken")
        return self


class Count(RuleBase):
    rule: Literal["count"]
    action: str
    where: dict[str, Condition] = Field(default_factory=dict, description=WHERE)
    at_least: int | None = Field(default=None, ge=0)
    at_most: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def bounds(self) -> Count:
        if self.at_least is None and self.at_most is None:
            raise ValueError("give at_least, at_most or both")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError(f"at_least ({self.at_least}) is more than at_most ({self.at_most}): "
                             "no attempt can meet this rule")
        if self.at_most is None and self.at_least == 0:
            raise ValueError("at_least: 0 with no at_most is met by every attempt")
        return self


#: The records a `record` rule can test, their fields, and the values of their final status.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "referral": ("service_type", "to_agency", "urgency", "reason"),
    "service": ("service_type", "provider_agency"),
    "approval": ("kind",),
    "task": ("kind",),
}
RECORD_STATUSES: dict[str, tuple[str, ...]] = {
    "referral": ("pending", "accepted", "rejected", "done"),
    "service": ("planned", "referred", "implemented"),
    "approval": ("pending", "approved", "rejected", "superseded"),
    "task": ("open", "overdue", "done", "done_late"),
}


class Record(RuleBase):
    """A record of the case (referral, service, approval, task) ends in a given state."""

    rule: Literal["record"]
    record: Literal["referral", "service", "approval", "task"]
    where: dict[str, Condition] = Field(default_factory=dict, description=(
        "Conditions on the record's fields (referral: service_type, to_agency, urgency, reason; "
        "service: service_type, provider_agency; approval and task: kind)"))
    status: Condition = Field(description=(
        "The record's final status: a value or {in: [...]}/{not: v}. referral: pending, accepted, "
        "rejected, done; service: planned, referred, implemented; approval: pending, approved, "
        "rejected, superseded; task: open, overdue, done, done_late"))


Rule = Annotated[Happened | Before | Within | Final | Never | Count | Record,
                 Field(discriminator="rule")]

