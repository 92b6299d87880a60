"""Practice spaces and their members in Django admin, read-only: spaces are created,
seeded and reset by services and commands, which keep the clock and counters right."""

from __future__ import annotations

from django.contrib import admin

from sandbox.configuration.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Member, Space


class MemberInline(ReadOnlyInline):
    model = Member
    fields = ["name", "role", "agency", "user_groups", "user", "is_simulated", "ref"]


@admin.register(Space)
class SpaceAdmin(ReadOnlyAdmin):
    list_display = ["slug", "title", "bundle", "module", "clock", "created_at"]
    list_filter = ["bundle", "module"]
    list_select_related = ["bundle"]
    search_fields = ["slug", "title"]
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "space", "role", "agency", "user", "is_simulated"]
    list_filter = ["role", "is_simulated", "space"]
    list_select_related = ["space", "user"]
    search_fields = ["name", "ref"]
