"""Refuse to run a deployment that still has the demo accounts.

Demo accounts have published passwords. An account is a demo account when it has a
demo user name or when its password is one of the published ones (renaming the
account does not make it safe): the marker `has_demo_password` is kept up to date
whenever a password is set, and privileged accounts are checked against the hashes
too, since they are few and the most dangerous. `manage.py check --deploy` reports them,
and the WSGI entry point refuses to start with production settings while any
exists (see `refuse_unsafe_start`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.db.models import Q


def demo_accounts_present() -> list[str]:
    from .models import User

    try:
        found = set(User.objects.filter(Q(username__in=settings.DEMO_USERNAMES) | Q(has_demo_password=True))
                    .values_list("username", flat=True))
        privileged = User.objects.filter(Q(is_superuser=True) | Q(is_staff=True)
                                         | Q(kind=User.Kind.ADMINISTRATOR)).exclude(username__in=found)
        for user in privileged.only("username", "password"):
            if any(check_password(raw, user.password) for raw in settings.DEMO_PASSWORDS):
                found.add(user.username)
        return sorted(found)
    except DatabaseError:
        # No tables yet (before the first migration): nothing to refuse.
        return []


@register(Tags.security, deploy=True)
def check_demo_accounts(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "REFUSE_DEMO_ACCOUNTS", False):
        return []
    found = demo_accounts_present()
    if not found:
        return []
    return [Error(
        f"The demo accounts {', '.join(sorted(found))} exist (a demo user name or a published "
        "demo password); remove them before deploying.",
        hint="Delete them in the admin (Users, action 'Delete the demo accounts'), "
             "or run `manage.py remove_demo_accounts`.",
        id="sandbox.E001",
    )]


def refuse_unsafe_start() -> None:
    """Called by the WSGI entry point: production never serves with demo accounts."""
    if getattr(settings, "REFUSE_DEMO_ACCOUNTS", False):
        found = demo_accounts_present()
        if found:
            raise ImproperlyConfigured(
                f"Refusing to start: demo accounts present ({', '.join(sorted(found))})."
            )
