"""Side effects of account changes that security depends on, and the sign-in log.

A changed password ends every API token of the user: whoever had the token (a shared
computer, a script left behind) must sign in again with the new password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import User
from .signins import sign_in_failed, signed_in

# The sign-in log (accounts.signins): every sign-in and every failed attempt.
user_logged_in.connect(signed_in, dispatch_uid="sign-in-log")
user_login_failed.connect(sign_in_failed, dispatch_uid="sign-in-failed-log")


@receiver(pre_save, sender=User)
def drop_tokens_on_password_change(sender: type[User], instance: User, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    old = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()


@receiver(pre_save, sender=User)
def mark_demo_password(sender: type[User], instance: User, **kwargs: Any) -> None:
    # `set_password` keeps the raw password until the save, which is the only moment
    # it can be compared without hashing every published password again.
    raw = getattr(instance, "_password", None) or getattr(instance, "_raw_password_for_checks", None)
    if raw is not None:
        instance.has_demo_password = raw in settings.DEMO_PASSWORDS
        instance._raw_password_for_checks = None
