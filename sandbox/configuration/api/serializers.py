"""Serializers of the configuration API: the runtime configuration objects as JSON.

Texts stay `{language: text}` maps, as configured: a client shows the user's
language and falls back as it sees fit.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sandbox.configuration.bundle.schema import APPROVAL_TYPES
from sandbox.configuration.runtime import BundleConfig, LookupDef, ModuleDef, RoleDef


def translated(help_text: Any = "") -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(), help_text=help_text or _(
        "A text in each language: {language code: text}."))


class OptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = translated()
    description = translated()


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = translated()
    options = serializers.SerializerMethodField(help_text=_("In the configured order."))

    @extend_schema_field(OptionSerializer(many=True))
    def get_options(self, lookup: LookupDef) -> list[dict[str, Any]]:
        return OptionSerializer(list(lookup.options.values()), many=True).data


class ColumnSerializer(serializers.Serializer):
    """A field of a form section, or a column of a subform."""

    code = serializers.CharField()
    type = serializers.CharField(help_text=_(
        "text, textarea, select, multi_select, radio, tick_box, number, date, datetime, location, "
        "subform, separator (a heading: no value) or upload (documents)."))
    label = translated()
    help = translated()
    required = serializers.BooleanField()
    lookup = serializers.CharField(allow_null=True, help_text=_(
        "The lookup whose option codes are the allowed values (select, multi_select, radio)."))
    min_value = serializers.IntegerField(allow_null=True)
    max_value = serializers.IntegerField(allow_null=True)
    admin_level = serializers.IntegerField(allow_null=True, help_text=_(
        "For a location field: the admin level of the places it accepts."))
    show_if = serializers.JSONField(allow_null=True, help_text=_(
        'Skip logic: {"field": code, "equals"|"not_equals"|"gt"|"ge"|"lt"|"le": value}, '
        '{"field": code, "in": [values]}, {"field": code, "exists": true}, or '
        '{"all"|"any": [conditions]}, {"not": condition}; the field shows (and its value is '
        "kept) only when the condition holds."))
    hidden = serializers.BooleanField(help_text=_(
        "Never shown to users nor returned in case data; set by its default or the system."))
    readonly = serializers.BooleanField(help_text=_("Shown, but users cannot change it."))
    default = serializers.JSONField(allow_null=True, help_text=_(
        'The value of a new record; "today" / "now" for dates.'))
    validation = serializers.JSONField(help_text=_(
        "Text: pattern (full match), message, min_length, max_length; dates: not_future."))
    options_from = serializers.CharField(help_text=_(
        "agencies, user_groups or users (the space's members) instead of a lookup; empty if none."))
    accept = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Upload fields: the file extensions accepted."))
    max_size_kb = serializers.IntegerField(allow_null=True, help_text=_(
        "Upload fields: the largest file, in KB."))


class FieldSerializer(ColumnSerializer):
    columns = ColumnSerializer(many=True, help_text=_("The columns of a subform's rows."))


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    module = serializers.CharField()
    step = serializers.CharField(help_text=_(
        "The SOP step: registration, consent, assessment, case_plan, services or closure."))
    record_type = serializers.CharField(help_text=_(
        "case, or tracing_request: a section of the tracing request (no step; its values are "
        "the tracing request's data)."))
    order = serializers.IntegerField()
    name = translated()
    help = translated()
    fields = FieldSerializer(many=True)


class PolicySerializer(serializers.Serializer):
    deadlines = serializers.DictField(child=serializers.DictField(child=serializers.CharField()),
                                      help_text=_("Per task type, per risk level: 24h, 5d..."))
    upcoming_days = serializers.IntegerField()
    approvals = serializers.JSONField()
    consent_fields = serializers.DictField(child=serializers.CharField(), help_text=_(
        "Per consent type, the field of the consent form that records it."))
    consent_given = serializers.DictField(child=serializers.JSONField(), help_text=_(
        'Per consent type, the value meaning "given": true for a tick box, an option code '
        "for a yes/no field."))
    consent_required = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Per action, the consent types it needs."))


class ModuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = translated()
    core_fields = serializers.DictField(child=serializers.CharField(), help_text=_(
        "The case columns copied from form fields: {column: field code}."))
    system_lookups = serializers.DictField(child=serializers.CharField(), help_text=_(
        "The lookups the case system's own actions use: {purpose: lookup code}."))
    sections = serializers.SerializerMethodField(help_text=_("Codes of the form sections, in order."))
    policy = PolicySerializer()

    def get_sections(self, module: ModuleDef) -> list[str]:
        return [section.code for section in module.sections]


class AgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = translated()
    short_name = serializers.CharField()
    type = serializers.CharField(allow_blank=True, help_text=_(
        "government, ngo or un; empty when the configuration gives none."))
    services = serializers.ListField(child=serializers.CharField())


class UserGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = translated()
    agency = serializers.CharField(allow_null=True, help_text=_(
        "The first of the group's agencies, or null when it has none."))
    agencies = serializers.ListField(child=serializers.CharField(), help_text=_(
        "The group's agencies (none, one or several)."))


class BundleSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = translated()
    languages = serializers.ListField(child=serializers.CharField())
    admin_levels = serializers.JSONField(help_text=_('[{"level": 0, "name": {language: text}}, ...]'))
    modules = serializers.SerializerMethodField()
    agencies = serializers.SerializerMethodField()
    user_groups = serializers.SerializerMethodField()

    @extend_schema_field(ModuleSerializer(many=True))
    def get_modules(self, config: BundleConfig) -> list[dict[str, Any]]:
        return ModuleSerializer(list(config.modules.values()), many=True).data

    @extend_schema_field(AgencySerializer(many=True))
    def get_agencies(self, config: BundleConfig) -> list[dict[str, Any]]:
        return AgencySerializer(list(config.agencies.values()), many=True).data

    @extend_schema_field(UserGroupSerializer(many=True))
    def get_user_groups(self, config: BundleConfig) -> list[dict[str, Any]]:
        return UserGroupSerializer(list(config.user_groups.values()), many=True).data


class LocationSerializer(serializers.Serializer):
    code = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    admin_level = serializers.IntegerField()
    name = translated()
    path = serializers.CharField(help_text=_("Codes from the country down, joined by '/'."))


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = translated()
    scope = serializers.CharField(help_text=_("own, group, agency or all."))
    permissions = serializers.SerializerMethodField(help_text=_(
        "Action names (see the action names reference), sorted."))
    form_access = serializers.DictField(child=serializers.CharField(), help_text=_(
        'Per form section ("*" for the others): read or read_write.'))
    referral_recipient = serializers.BooleanField()
    approvals_decided = serializers.SerializerMethodField(help_text=_(
        "The approval types this role may decide (approval.decide, or approval.decide:TYPE)."))
    approvals_requested = serializers.SerializerMethodField(help_text=_(
        "The approval types this role may ask for."))

    def get_permissions(self, role: RoleDef) -> list[str]:
        return sorted(role.permissions)

    def get_approvals_decided(self, role: RoleDef) -> list[str]:
        return [kind for kind in APPROVAL_TYPES if role.can_decide(kind)]

    def get_approvals_requested(self, role: RoleDef) -> list[str]:
        return [kind for kind in APPROVAL_TYPES if role.can_request(kind)]
