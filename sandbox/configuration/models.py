"""The case system's configuration, loaded from a bundle and read-only afterwards.

Rows belong to a `Bundle`; loading a bundle again replaces its rows in one
transaction. Every text shown to users is a `{language: text}` map (JSON), so
one configuration serves every language the bundle declares.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.common.i18n import pick

#: Ids of lookups, sections, fields, agencies, groups, roles and modules (Primero-style).
ID_LENGTH = 100
#: Option ids: the values case data stores.
OPTION_LENGTH = 200


class TranslatedNameMixin:
    name: dict[str, str]

    def __str__(self) -> str:
        return pick(self.name) or getattr(self, "code", "")


class Bundle(TranslatedNameMixin, models.Model):
    """A loaded configuration bundle (e.g. `default`, `kenya_dcs`)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    version = models.PositiveIntegerField(_("version"))
    name = models.JSONField(_("name"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    languages = models.JSONField(_("languages"))
    admin_levels = models.JSONField(_("admin levels"))
    source_path = models.CharField(_("source path"), max_length=500)
    #: `mapping.yaml`: the SOP concepts that portable scenarios name -> this bundle's ids.
    mapping = models.JSONField(_("scenario vocabulary mapping"), default=dict, blank=True)
    #: `bundle.yaml`'s `real_data`: the country and patterns the real-data guard uses.
    real_data = models.JSONField(_("real personal data patterns"), default=dict, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("configuration bundle")
        verbose_name_plural = _("configuration bundles")


class Module(TranslatedNameMixin, models.Model):
    """A kind of record with its own forms and policy: child protection, GBV..."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    name = models.JSONField(_("name"))
    record_type = models.CharField(_("record type"), max_length=20, default="case")
    core_fields = models.JSONField(_("core fields"))
    system_lookups = models.JSONField(_("system lookups"))
    #: What the pages call the person of a case: {form: {language: text}}; {} for "child".
    person = models.JSONField(_("person"), default=dict, blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [models.UniqueConstraint("bundle", "code", name="module_unique_code")]


class Lookup(TranslatedNameMixin, models.Model):
    """A translated option list (sex, risk level, protection concerns...)."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="lookups")
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    name = models.JSONField(_("name"))

    class Meta:
        verbose_name = _("lookup")
        verbose_name_plural = _("lookups")
        constraints = [models.UniqueConstraint("bundle", "code", name="lookup_unique_code")]


class LookupOption(models.Model):
    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=OPTION_LENGTH)
    label = models.JSONField(_("label"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("lookup option")
        verbose_name_plural = _("lookup options")
        ordering = ["lookup", "order"]
        constraints = [models.UniqueConstraint("lookup", "code", name="option_unique_code")]

    def __str__(self) -> str:
        return pick(self.label) or self.code


class Step(models.TextChoices):
    """The SOP steps of case management, in order."""

    REGISTRATION = "registration", _("Identification and registration")
    CONSENT = "consent", _("Consent")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    SERVICES = "services", _("Services and follow-up")
    CLOSURE = "closure", _("Closure")


class RecordType(models.TextChoices):
    """The records form sections belong to."""

    CASE = "case", _("Case")
    TRACING_REQUEST = "tracing_request", _("Tracing request")


class FormSection(TranslatedNameMixin, models.Model):
    """A form of the case record, shown under one SOP step; or a form of the tracing
    request (`record_type`), which has no step."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="form_sections")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="form_sections")
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices,
                                   default=RecordType.CASE)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, blank=True)
    order = models.IntegerField(_("order"), default=0)
    name = models.JSONField(_("name"))
    help = models.JSONField(_("help text"), default=dict, blank=True)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        constraints = [models.UniqueConstraint("bundle", "code", name="section_unique_code")]


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    TEXTAREA = "textarea", _("Long text")
    SELECT = "select", _("Select")
    MULTI_SELECT = "multi_select", _("Multi-select")
    RADIO = "radio", _("Radio buttons")
    TICK_BOX = "tick_box", _("Tick box")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    LOCATION = "location", _("Location")
    SUBFORM = "subform", _("Subform (repeating rows)")
    DATETIME = "datetime", _("Date and time")
    SEPARATOR = "separator", _("Separator (a heading)")
    UPLOAD = "upload", _("Documents (uploads)")


class Field(models.Model):
    """A field of a form section, or a column of a subform (`parent` set)."""

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="columns"
    )
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    label = models.JSONField(_("label"))
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    lookup = models.ForeignKey(
        Lookup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    min_value = models.IntegerField(_("minimum"), null=True, blank=True)
    max_value = models.IntegerField(_("maximum"), null=True, blank=True)
    admin_level = models.PositiveSmallIntegerField(_("admin level"), null=True, blank=True)
    show_if = models.JSONField(_("show if"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    readonly = models.BooleanField(_("read-only"), default=False)
    #: The value a new record gets (`today` / `now` for dates), or null for none.
    default = models.JSONField(_("default value"), null=True, blank=True)
    #: {pattern, message, min_length, max_length} for text, {not_future} for dates.
    validation = models.JSONField(_("validation"), default=dict, blank=True)
    options_from = models.CharField(_("options from"), max_length=20, blank=True)
    accept = models.JSONField(_("accepted file types"), default=list, blank=True)
    max_size_kb = models.PositiveIntegerField(_("largest file (kB)"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["section", "order"]

    def __str__(self) -> str:
        return pick(self.label) or self.code


class Location(TranslatedNameMixin, models.Model):
    """A place in the location hierarchy (country, province, district...)."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="locations")
    code = models.CharField(_("code"), max_length=40)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    admin_level = models.PositiveSmallIntegerField(_("admin level"))
    name = models.JSONField(_("name"))
    #: Codes from the root down, joined by "/", for "this place and everything under it".
    path = models.CharField(_("path"), max_length=500, db_index=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["path"]
        constraints = [models.UniqueConstraint("bundle", "code", name="location_unique_code")]


class AgencyType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    NGO = "ngo", _("Non-governmental organisation")
    UN = "un", _("United Nations agency")


class Agency(TranslatedNameMixin, models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="agencies")
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    name = models.JSONField(_("name"))
    short_name = models.CharField(_("short name"), max_length=20)
    #: Optional: Primero's agencies have no type.
    type = models.CharField(_("type"), max_length=20, choices=AgencyType.choices, blank=True)
    services = models.JSONField(_("services provided"), default=list)
    #: The kinds of service provider the agency is (GBV consent per provider).
    providers = models.JSONField(_("provider types"), default=list, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint("bundle", "code", name="agency_unique_code")]


class UserGroup(TranslatedNameMixin, models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="user_groups")
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    name = models.JSONField(_("name"))
    #: The first of `agencies` (None when the group has none), kept for older readers.
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="user_groups")
    #: The codes of the group's agencies (0..n), in file order.
    agencies = models.JSONField(_("agencies"), default=list, blank=True)

    class Meta:
        verbose_name = _("user group")
        verbose_name_plural = _("user groups")
        constraints = [models.UniqueConstraint("bundle", "code", name="group_unique_code")]


class Scope(models.TextChoices):
    OWN = "own", _("Own cases")
    GROUP = "group", _("Cases of my user groups")
    AGENCY = "agency", _("Cases of my agency")
    ALL = "all", _("All cases")


class Role(TranslatedNameMixin, models.Model):
    """An in-world role: the actions it may take, on which cases, with which forms."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="roles")
    code = models.CharField(_("code"), max_length=ID_LENGTH)
    name = models.JSONField(_("name"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    permissions = models.JSONField(_("permissions"), default=list)
    form_access = models.JSONField(_("form access"), default=dict)
    referral_recipient = models.BooleanField(_("receives referrals"), default=False)
    #: The kind of service provider (GBV: health, psychosocial...), "" for other roles.
    provider = models.CharField(_("provider type"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint("bundle", "code", name="role_unique_code")]


class Policy(models.Model):
    """The SOP policy of a module: deadlines per risk level, approvals, consent."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="policies")
    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="policy")
    deadlines = models.JSONField(_("deadlines"))
    upcoming_days = models.PositiveSmallIntegerField(_("upcoming window (days)"), default=7)
    approvals = models.JSONField(_("approvals"), default=dict)
    consent = models.JSONField(_("consent"), default=dict)
    #: The information-sharing protocol's rules for statistics: {min_cell_count}.
    statistics = models.JSONField(_("statistics"), default=dict, blank=True)

    class Meta:
        verbose_name = _("SOP policy")
        verbose_name_plural = _("SOP policies")

    def __str__(self) -> str:
        return str(self.module)
