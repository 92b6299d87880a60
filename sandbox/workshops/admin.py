"""Workshops in Django admin. Trainers run them from the workshop pages; here an
administrator can look everything up, and correct a workshop's details (title,
dates, trainer, joining). Exercises and attempts are read-only: starting, resetting,
submitting and closing go through the services, which keep spaces and reports right."""

from __future__ import annotations

from django.contrib import admin

from sandbox.configuration.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attempt, Enrolment, Exercise, Observation, Pair, QueuedStatement, Workshop


class EnrolmentInline(ReadOnlyInline):
    model = Enrolment
    fields = ["user", "organisation", "joined_at"]
    readonly_fields = ["joined_at"]


class ExerciseInline(ReadOnlyInline):
    model = Exercise
    fields = ["title", "scenario_id", "mode", "status", "started_at", "closed_at"]
    show_change_link = True


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "trainer", "starts_on", "ends_on", "language", "join_code", "joining_open"]
    list_filter = ["language", "joining_open"]
    list_select_related = ["trainer"]
    search_fields = ["title", "organisations", "join_code", "trainer__username"]
    fields = ["title", "trainer", "language", "starts_on", "ends_on", "organisations", "join_code",
              "joining_open", "created_at"]
    readonly_fields = ["join_code", "created_at"]
    raw_id_fields = ["trainer"]
    inlines = [EnrolmentInline, ExerciseInline]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "workshop", "organisation", "joined_at"]
    list_select_related = ["user", "workshop"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "workshop__title"]


@admin.register(Pair)
class PairAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "workshop"]
    list_select_related = ["workshop", "first__user", "second__user"]


class AttemptInline(ReadOnlyInline):
    model = Attempt
    fields = ["enrolment", "number", "status", "space", "started_at", "submitted_at", "report"]
    readonly_fields = ["started_at"]


@admin.register(Exercise)
class ExerciseAdmin(ReadOnlyAdmin):
    list_display = ["title", "workshop", "scenario_id", "mode", "status", "started_at"]
    list_filter = ["status", "mode"]
    list_select_related = ["workshop"]
    search_fields = ["title", "scenario_id", "workshop__title"]
    inlines = [AttemptInline]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "exercise", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["enrolment__user", "exercise"]
    search_fields = ["enrolment__user__username", "exercise__title"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["at", "observer", "attempt", "exercise"]
    list_filter = ["exercise__workshop"]


@admin.register(QueuedStatement)
class QueuedStatementAdmin(ReadOnlyAdmin):
    """The xAPI outbox, to look up what waits and what the store said."""

    list_display = ["statement_id", "verb", "step", "exercise", "status", "tries", "next_try_at",
                    "sent_at"]
    list_filter = ["status", "verb"]
    list_select_related = ["exercise"]
    search_fields = ["statement_id", "step", "last_error"]
