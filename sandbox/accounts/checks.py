"""Refuse to run a deployment that still has the demo accounts.

Demo accounts have published passwords. `manage.py check --deploy` reports them,
and the WSGI entry point refuses to start with production settings while any
exists (see `refuse_unsafe_start`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def demo_accounts_present() -> list[str]:
    from .models import User

    try:
        return list(User.objects.filter(username__in=settings.DEMO_USERNAMES)
                    .values_list("username", flat=True))
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
        f"The demo accounts {', '.join(sorted(found))} exist; remove them before deploying.",
        hint="Delete them in the admin, or run the deployment on a fresh database.",
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
