"""The shape of each file of a configuration bundle (format version 2), as pydantic models.

These models check structure and types only; cross-references between files
(a field's lookup, a role's form sections, the policy's risk levels...) and the
rules that need several keys at once (a condition's operator, a default valid
for its field) are checked by the validator, where every file is known, so that
one item with a semantic slip still has its other problems reported.

Format version 2 keeps every file and key of version 1 and adds what real
Primero v2 configurations say: Primero-style ids, option ids as free text,
hidden / read-only / default-valued / validated fields, date with time,
separators, uploads, richer skip logic, agencies without a type, user groups with
0..n agencies, optional system lookups and deadlines, consent as tick box or
yes/no, and approval rights per approval type.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

#: Ids of lookups, form sections, fields, agencies, user groups, roles and modules.
IDENT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Ident = Annotated[str, StringConstraints(pattern=IDENT_PATTERN, max_length=100)]
#: Option ids (the values case data stores): any text without control characters and
#: without leading or trailing white space.
OPTION_ID_PATTERN = r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"
OptionId = Annotated[
    str, StringConstraints(pattern=OPTION_ID_PATTERN, min_length=1, max_length=200)
]
#: The bundle id stays lower case: it is used in URLs.
BundleIdent = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_\-]*$", max_length=80)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
TranslatedText = dict[str, str]
Duration = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]*(h|d)$")]
FileExtension = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,10}$")]

STEPS = ("registration", "consent", "assessment", "case_plan", "services", "closure")
Step = Literal["registration", "consent", "assessment", "case_plan", "services", "closure"]
FIELD_TYPES = (
    "text", "textarea", "select", "multi_select", "radio", "tick_box",
    "number", "date", "datetime", "location", "subform", "separator", "upload",
)
FieldType = Literal[
    "text", "textarea", "select", "multi_select", "radio", "tick_box",
    "number", "date", "datetime", "location", "subform", "separator", "upload",
]
#: Field types whose options come from a lookup (or from `options_from`).
LOOKUP_TYPES = frozenset({"select", "multi_select", "radio"})
#: Field types that never hold a value in case data.
VALUELESS_TYPES = frozenset({"separator"})
#: Where `options_from` takes a field's options from, instead of a lookup.
OPTIONS_FROM = ("agencies", "user_groups", "users")
OptionsFrom = Literal["agencies", "user_groups", "users"]
UPLOAD_DEFAULT_MAX_SIZE_KB = 2048
UPLOAD_MAX_SIZE_KB = 10240
Scope = Literal["own", "group", "agency", "all"]
#: Form access: read, read and write, none (a section a wider "*" would open), or read
#: only where the survivor consented (`read_if_consented:KIND`, KIND a key of the
#: module policy's `consent.providers`) to share with the role's `provider`.
ACCESS_PATTERN = r"^(read|read_write|none|read_if_consented:[A-Za-z0-9][A-Za-z0-9_.\-]*)$"
Access = Annotated[str, StringConstraints(pattern=ACCESS_PATTERN)]
CONSENTED_PREFIX = "read_if_consented:"
TASKS = ("assessment", "case_plan", "followup", "service")
Task = Literal["assessment", "case_plan", "followup", "service"]
APPROVAL_TYPES = ("assessment", "case_plan", "closure", "action_plan", "gbv_closure")
ApprovalType = Literal["assessment", "case_plan", "closure", "action_plan", "gbv_closure"]
#: Permissions that may name one approval type: `approval.decide:case_plan`.
PER_APPROVAL_PERMISSIONS = ("approval.decide", "approval.request")
SYSTEM_LOOKUPS = (
    "service_type", "referral_reason", "followup_type", "closure_reason",
    "consent_type", "need", "urgency",
)


def permission_parts(permission: str) -> tuple[str, str | None]:
    """Split a permission into its action and approval kind: `approval.decide:closure`."""
    action, sep, kind = permission.partition(":")
    return action, (kind if sep else None)


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class AdminLevelSpec(Spec):
    level: int = Field(ge=0, le=9)
    name: TranslatedText


class RealDataSpec(Spec):
    """What real personal data looks like in this bundle's country, for the guard that
    refuses it: the country (ISO 3166 alpha-2, for phone numbers written the national
    way; none for a fictional country), national ID patterns, and the patterns of the
    invented numbers trainees are given (never flagged); and the fields that identify a
    person besides the module's core name and date of birth fields (left out of
    de-identified exports)."""

    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    national_id_patterns: list[str] = Field(default_factory=list)
    invented_patterns: list[str] = Field(default_factory=list)
    identifying_fields: list[Ident] = Field(default_factory=list)


class BundleSpec(Spec):
    id: BundleIdent
    version: int = Field(ge=1)
    name: TranslatedText
    description: TranslatedText | None = None
    languages: list[LanguageCode] = Field(min_length=1)
    admin_levels: list[AdminLevelSpec] = Field(min_length=1)
    real_data: RealDataSpec | None = None


class CoreFieldsSpec(Spec):
    name_first: Ident
    name_last: Ident
    sex: Ident
    date_of_birth: Ident
    age: Ident
    location: Ident
    risk_level: Ident


class SystemLookupsSpec(Spec):
    """The lookups the case system's own actions use; each is optional (format v2)."""

    service_type: Ident | None = None
    referral_reason: Ident | None = None
    followup_type: Ident | None = None
    closure_reason: Ident | None = None
    consent_type: Ident | None = None
    need: Ident | None = None
    urgency: Ident | None = None

    def get(self, key: str) -> str | None:
        """The lookup id of system lookup `key`, or None when the bundle has none."""
        value = getattr(self, key, None)
        return value if isinstance(value, str) else None


class PersonSpec(Spec):
    """What the module calls the person a case is about ("child" in child protection,
    "survivor" in GBV), in the forms the pages need: a label on its own (`one`: "Survivor")
    and the noun as the object of a sentence (`a`: "a survivor", `the`: "the survivor"),
    each with the article each language needs."""

    one: TranslatedText
    a: TranslatedText
    the: TranslatedText


class ModuleSpec(Spec):
    id: Ident
    name: TranslatedText
    record_type: Literal["case"] = "case"
    core_fields: CoreFieldsSpec
    system_lookups: SystemLookupsSpec = Field(default_factory=SystemLookupsSpec)
    #: What the pages call the person of a case; "child" when absent.
    person: PersonSpec | None = None


class OptionSpec(Spec):
    id: OptionId
    label: TranslatedText
    description: TranslatedText | None = None


class LookupSpec(Spec):
    id: Ident
    name: TranslatedText
    options: list[OptionSpec] = Field(min_length=1)


def _iso(value: Any) -> Any:
    """Dates written without quotes (YAML reads them as dates) as the text case data holds."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


ShowIfValue = Annotated[str | bool | int | float, BeforeValidator(_iso)]
Comparable = Annotated[int | float | str, BeforeValidator(_iso)]
#: The keys of a condition that compare a field with a value.
COMPARISONS = ("equals", "in", "not_equals", "gt", "ge", "lt", "le", "exists")
#: The keys of a condition that combine other conditions.
COMBINATORS = ("all", "any", "not")


class ShowIfSpec(Spec):
    """A skip-logic condition: one field compared with a value, or a combination.

    Exactly one of the forms below is meant; which keys go together is checked
    by the validator (so that the rest of the form is still checked):

    - `{field: F, equals: V}`, `{field: F, in: [V, ...]}`, `{field: F, not_equals: V}`
    - `{field: F, gt|ge|lt|le: N}` (numbers; dates as `YYYY-MM-DD` strings)
    - `{field: F, exists: true|false}`
    - `{all: [COND, ...]}`, `{any: [COND, ...]}`, `{not: COND}`
    """

    field: Ident | None = None
    equals: ShowIfValue | None = None
    in_: list[ShowIfValue] | None = Field(default=None, alias="in")
    not_equals: ShowIfValue | None = None
    gt: Comparable | None = None
    ge: Comparable | None = None
    lt: Comparable | None = None
    le: Comparable | None = None
    exists: bool | None = None
    all_: list[ShowIfSpec] | None = Field(default=None, alias="all", min_length=1)
    any_: list[ShowIfSpec] | None = Field(default=None, alias="any", min_length=1)
    not_: ShowIfSpec | None = Field(default=None, alias="not")

    def operators(self) -> list[str]:
        """The comparison and combination keys given (by their YAML name)."""
        given = self.model_dump(by_alias=True, exclude_none=True)
        return [key for key in (*COMPARISONS, *COMBINATORS) if key in given]

    def children(self) -> list[ShowIfSpec]:
        """The nested conditions of `all`, `any` and `not`."""
        return [*(self.all_ or []), *(self.any_ or []), *([self.not_] if self.not_ else [])]

    def fields_named(self) -> set[str]:
        """Every field id this condition (and its nested conditions) refers to."""
        names = {self.field} if self.field else set()
        for child in self.children():
            names |= child.fields_named()
        return names


#: Format v2 name for a skip-logic condition.
ConditionSpec = ShowIfSpec


class ValidationRuleSpec(Spec):
    """Input rules of a field: text patterns and lengths, or dates not in the future."""

    pattern: str | None = None
    message: TranslatedText | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    not_future: bool | None = None


FieldDefault = Annotated[bool | int | float | str | list[str], BeforeValidator(_iso)]


class FieldSpec(Spec):
    id: Ident
    type: FieldType
    label: TranslatedText
    help: TranslatedText | None = None
    required: bool = False
    lookup: Ident | None = None
    options_from: OptionsFrom | None = None
    min: int | None = None
    max: int | None = None
    admin_level: int | None = None
    show_if: ShowIfSpec | None = None
    fields: list[FieldSpec] | None = None
    hidden: bool = False
    readonly: bool = False
    default: FieldDefault | None = None
    validation: ValidationRuleSpec | None = None
    accept: list[FileExtension] | None = Field(default=None, min_length=1)
    max_size_kb: int | None = Field(default=None, ge=1, le=UPLOAD_MAX_SIZE_KB)

    @property
    def upload_max_size_kb(self) -> int:
        """The size limit of an upload field, in KB (2048 unless given)."""
        return self.max_size_kb if self.max_size_kb is not None else UPLOAD_DEFAULT_MAX_SIZE_KB

    @property
    def has_value(self) -> bool:
        """Whether case data holds a value for this field (separators hold none)."""
        return self.type not in VALUELESS_TYPES


#: The records a form section belongs to: the case (the default), or the tracing request
#: (an inquirer looking for a child: Primero's `parent_form: tracing_request`).
RECORD_TYPES = ("case", "tracing_request")
RecordType = Literal["case", "tracing_request"]
#: The fixed fields of a tracing request (the inquirer, the child sought, the separation:
#: what the matching reads). A tracing request section adds fields beside them, under
#: other ids.
TRACING_REQUEST_FIELDS = (
    "inquirer_name", "inquirer_relationship", "inquirer_contact", "name_first", "name_last",
    "other_names", "sex", "age_from", "age_to", "description", "separation_date",
    "separation_place", "circumstances", "data",
)


class FormSectionSpec(Spec):
    """A form section. A case section sits under one SOP step (`step`, required there); a
    tracing request section (`record_type: tracing_request`) has no step: it is shown on
    the tracing request, after its fixed fields, in the order of `order`."""

    id: Ident
    module: Ident
    record_type: RecordType = "case"
    step: Step | None = None
    order: int = 0
    name: TranslatedText
    help: TranslatedText | None = None
    fields: list[FieldSpec] = Field(min_length=1)


class AgencySpec(Spec):
    id: Ident
    name: TranslatedText
    short_name: str | None = Field(default=None, min_length=1, max_length=20)
    type: Literal["government", "ngo", "un"] | None = None
    services: list[OptionId] = Field(default_factory=list)
    #: The kind(s) of service provider the agency is (options of the providers fields of
    #: a policy's `consent.providers`, GBV): what consent per provider is checked against
    #: when a referral goes to the agency rather than to one of its members.
    provider: OptionId | list[OptionId] | None = None

    @property
    def providers(self) -> list[str]:
        """The agency's provider kinds, whichever way they were written."""
        if self.provider is None:
            return []
        return [self.provider] if isinstance(self.provider, str) else list(self.provider)

    @property
    def display_short_name(self) -> str:
        """The short name, or the id cut to 20 characters when none is given."""
        return self.short_name or self.id[:20]


class UserGroupSpec(Spec):
    """A user group: 0..n agencies (`agencies`), or the v1 form `agency: ID`."""

    id: Ident
    name: TranslatedText
    agencies: list[Ident] | None = None
    agency: Ident | None = None

    @model_validator(mode="after")
    def _one_way_of_naming_agencies(self) -> UserGroupSpec:
        if self.agencies is not None and self.agency is not None:
            raise ValueError("give either 'agencies' (a list) or 'agency' (one id), not both")
        return self

    @property
    def agency_ids(self) -> list[str]:
        """The group's agencies, whichever way they were written."""
        if self.agencies is not None:
            return list(self.agencies)
        return [self.agency] if self.agency is not None else []

    @property
    def first_agency(self) -> str | None:
        ids = self.agency_ids
        return ids[0] if ids else None


class RoleSpec(Spec):
    id: Ident
    name: TranslatedText
    scope: Scope
    #: Action names; `approval.decide:KIND` / `approval.request:KIND` for one approval type.
    permissions: list[str]
    #: Form section id (or "*") -> access.
    forms: dict[str, Access]
    referral_recipient: bool = False
    #: The kind of service provider the role is (an option of the lookup of the fields
    #: in the policy's `consent.providers`): what `read_if_consented` checks consent for.
    provider: OptionId | None = None


class ApprovalSpec(Spec):
    required: bool = True


class ConsentFieldSpec(Spec):
    """Consent recorded on a radio/select: the field and the option meaning "given"."""

    field: Ident
    given: OptionId


class ConsentPolicySpec(Spec):
    #: Consent kind (an option of the consent_type lookup) -> a tick box id, or
    #: `{field, given}` for a radio/select.
    fields: dict[str, Ident | ConsentFieldSpec]
    #: Action name -> consent kinds it requires.
    required: dict[str, list[str]] = Field(default_factory=dict)
    #: Consent kind -> a multi-select of the providers the consent covers (GBV: the
    #: survivor agrees per provider). Roles with a `provider` read `read_if_consented`
    #: sections only where that kind is given and their provider is selected.
    providers: dict[str, Ident] = Field(default_factory=dict)

    def field_ids(self) -> dict[str, str]:
        """Consent kind -> field id, whichever way the field was given."""
        return {
            kind: value if isinstance(value, str) else value.field
            for kind, value in self.fields.items()
        }

    def given_values(self) -> dict[str, str | bool]:
        """Consent kind -> the value meaning "given" (True for a tick box)."""
        return {
            kind: True if isinstance(value, str) else value.given
            for kind, value in self.fields.items()
        }


class StatisticsSpec(Spec):
    """The information-sharing protocol's rule for aggregate statistics."""

    #: A cell of a statistics table counting fewer incidents than this is suppressed.
    min_cell_count: int = Field(default=1, ge=1, le=100)


class PolicySpec(Spec):
    module: Ident
    #: Task -> risk level (an option id of the risk field's lookup) -> duration.
    #: Optional (format v2): a missing deadline means no due date.
    deadlines: dict[Task, dict[str, Duration]] = Field(default_factory=dict)
    upcoming_days: int = Field(default=7, ge=0, le=60)
    approvals: dict[ApprovalType, ApprovalSpec] = Field(default_factory=dict)
    consent: ConsentPolicySpec
    #: Optional: the rules of de-identified statistics (GBV incident data).
    statistics: StatisticsSpec = Field(default_factory=StatisticsSpec)


#: The files of a bundle: for each, the top-level keys and the model of their items.
LIST_FILES: dict[str, dict[str, type[Spec]]] = {
    "modules.yaml": {"modules": ModuleSpec},
    "lookups.yaml": {"lookups": LookupSpec},
    "agencies.yaml": {"agencies": AgencySpec, "user_groups": UserGroupSpec},
    "roles.yaml": {"roles": RoleSpec},
    "policy.yaml": {"policies": PolicySpec},
}


def dump_show_if(condition: ShowIfSpec | None) -> dict[str, Any] | None:
    """A condition as stored and evaluated at run time (YAML key names, no empty keys)."""
    return condition.model_dump(by_alias=True, exclude_none=True) if condition else None
