from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Sandbox"), {"fields": ("kind", "organisation", "language")}),
    )
