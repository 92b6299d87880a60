"""The configuration in Django admin, read-only: changes come through bundles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Bundle)
class BundleAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "version", "languages", "loaded_at"]


@admin.register(m.Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "bundle"]
    list_filter = ["bundle"]


class OptionInline(ReadOnlyInline):
    model = m.LookupOption
    fields = ["code", "label", "order"]


@admin.register(m.Lookup)
class LookupAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "bundle"]
    list_filter = ["bundle"]
    search_fields = ["code"]
    inlines = [OptionInline]


class FieldInline(ReadOnlyInline):
    model = m.Field
    fields = ["code", "type", "required", "lookup", "show_if", "parent"]


@admin.register(m.FormSection)
class FormSectionAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "step", "order", "module", "bundle"]
    list_filter = ["bundle", "step"]
    inlines = [FieldInline]


@admin.register(m.Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "admin_level", "path", "bundle"]
    list_filter = ["bundle", "admin_level"]
    search_fields = ["code", "path"]


@admin.register(m.Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "short_name", "__str__", "type", "bundle"]
    list_filter = ["bundle", "type"]


@admin.register(m.UserGroup)
class UserGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "agencies", "bundle"]
    list_filter = ["bundle"]


@admin.register(m.Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "scope", "referral_recipient", "bundle"]
    list_filter = ["bundle", "scope"]


@admin.register(m.Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "upcoming_days", "bundle"]
