"""People who use the sandbox: administrators (implementers), trainers and trainees."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager):
    def _create_user_object(self, username, email, password, **extra_fields):  # type: ignore[no-untyped-def]
        # Django hashes the password without `set_password`; keep the raw one until
        # the save so that a published demo password is recognised (accounts.signals).
        user = super()._create_user_object(username, email, password, **extra_fields)
        user._raw_password_for_checks = password
        return user


class User(AbstractUser):
    """A real person using the sandbox (never a person in a scenario's world)."""

    objects = UserManager()

    class Kind(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Implementer / administrator")
        TRAINER = "trainer", _("Trainer")
        TRAINEE = "trainee", _("Trainee")

    kind = models.CharField(_("kind of user"), max_length=20, choices=Kind.choices,
                            default=Kind.TRAINEE)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, blank=True,
                                choices=settings.LANGUAGES)
    # Set whenever the password is set to one of the published demo passwords (see
    # accounts.signals), so that a renamed demo account is still known as one.
    has_demo_password = models.BooleanField(_("has a published demo password"), default=False,
                                            editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.kind == self.Kind.ADMINISTRATOR or self.is_superuser

    @property
    def is_trainer(self) -> bool:
        return self.kind == self.Kind.TRAINER


#: The version of the terms of use; raise it when their text changes and every
#: user accepts them again at their next visit.
TERMS_VERSION = 1


class TermsAcceptance(models.Model):
    """A user's acceptance of the sandbox's terms of use (no real personal data)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [models.UniqueConstraint("user", "version", name="terms_once_per_version")]

    def __str__(self) -> str:
        return f"{self.user} v{self.version}"


class SignIn(models.Model):
    """One sign-in, or one failed attempt: the username typed (never the password), when,
    from which address and how (see `sandbox.accounts.signins`)."""

    class Via(models.TextChoices):
        PAGE = "page", _("Sign-in page")
        API = "api", _("API token")
        ADMIN = "admin", _("Administration")
        OTHER = "other", _("Other")

    #: The account, when the sign-in succeeded (failed attempts keep only the username).
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    username = models.CharField(_("username typed"), max_length=150, db_index=True)
    succeeded = models.BooleanField(_("succeeded"))
    via = models.CharField(_("how"), max_length=10, choices=Via.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"
