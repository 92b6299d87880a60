"""The shape of each file of a configuration bundle, as pydantic models.

These models check structure and types only; cross-references between files
(a field's lookup, a role's form sections, the policy's risk levels...) are
checked in `validate.py`, where every file is known.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Ident = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
TranslatedText = dict[str, str]
Duration = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]*(h|d)$")]

STEPS = ("registration", "consent", "assessment", "case_plan", "services", "closure")
Step = Literal["registration", "consent", "assessment", "case_plan", "services", "closure"]
FieldType = Literal[
    "text", "textarea", "select", "multi_select", "radio", "tick_box",
    "number", "date", "location", "subform",
]
LOOKUP_TYPES = frozenset({"select", "multi_select", "radio"})
Scope = Literal["own", "group", "agency", "all"]
Access = Literal["read", "read_write"]
TASKS = ("assessment", "case_plan", "followup", "service")
APPROVAL_TYPES = ("assessment", "case_plan", "closure")


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class AdminLevelSpec(Spec):
    level: int = Field(ge=0, le=9)
    name: TranslatedText


class BundleSpec(Spec):
    id: Ident
    version: int = Field(ge=1)
    name: TranslatedText
    description: TranslatedText | None = None
    languages: list[LanguageCode] = Field(min_length=1)
    admin_levels: list[AdminLevelSpec] = Field(min_length=1)


class CoreFieldsSpec(Spec):
    name_first: Ident
    name_last: Ident
    sex: Ident
    date_of_birth: Ident
    age: Ident
    location: Ident
    risk_level: Ident


class SystemLookupsSpec(Spec):
    service_type: Ident
    referral_reason: Ident
    followup_type: Ident
    closure_reason: Ident
    consent_type: Ident
    need: Ident
    urgency: Ident | None = None


class ModuleSpec(Spec):
    id: Ident
    name: TranslatedText
    record_type: Literal["case"] = "case"
    core_fields: CoreFieldsSpec
    system_lookups: SystemLookupsSpec


class OptionSpec(Spec):
    id: Ident
    label: TranslatedText
    description: TranslatedText | None = None


class LookupSpec(Spec):
    id: Ident
    name: TranslatedText
    options: list[OptionSpec] = Field(min_length=1)


ShowIfValue = str | bool | int


class ShowIfSpec(Spec):
    field: Ident
    equals: ShowIfValue | None = None
    in_: list[ShowIfValue] | None = Field(default=None, alias="in")


class FieldSpec(Spec):
    id: Ident
    type: FieldType
    label: TranslatedText
    help: TranslatedText | None = None
    required: bool = False
    lookup: Ident | None = None
    min: int | None = None
    max: int | None = None
    admin_level: int | None = None
    show_if: ShowIfSpec | None = None
    fields: list[FieldSpec] | None = None


class FormSectionSpec(Spec):
    id: Ident
    module: Ident
    step: Step
    order: int = 0
    name: TranslatedText
    help: TranslatedText | None = None
    fields: list[FieldSpec] = Field(min_length=1)


class AgencySpec(Spec):
    id: Ident
    name: TranslatedText
    short_name: str = Field(min_length=1, max_length=20)
    type: Literal["government", "ngo", "un"]
    services: list[Ident] = Field(default_factory=list)


class UserGroupSpec(Spec):
    id: Ident
    name: TranslatedText
    agency: Ident


class RoleSpec(Spec):
    id: Ident
    name: TranslatedText
    scope: Scope
    permissions: list[str]
    forms: dict[str, Access]
    referral_recipient: bool = False


class ApprovalSpec(Spec):
    required: bool = True


class ConsentPolicySpec(Spec):
    fields: dict[str, Ident]
    required: dict[str, list[str]] = Field(default_factory=dict)


class PolicySpec(Spec):
    module: Ident
    deadlines: dict[Literal["assessment", "case_plan", "followup", "service"], dict[str, Duration]]
    upcoming_days: int = Field(default=7, ge=0, le=60)
    approvals: dict[Literal["assessment", "case_plan", "closure"], ApprovalSpec] = Field(
        default_factory=dict
    )
    consent: ConsentPolicySpec


#: The files of a bundle: for each, the top-level keys and the model of their items.
LIST_FILES: dict[str, dict[str, type[Spec]]] = {
    "modules.yaml": {"modules": ModuleSpec},
    "lookups.yaml": {"lookups": LookupSpec},
    "agencies.yaml": {"agencies": AgencySpec, "user_groups": UserGroupSpec},
    "roles.yaml": {"roles": RoleSpec},
    "policy.yaml": {"policies": PolicySpec},
}
