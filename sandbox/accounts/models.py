"""People who use the sandbox: administrators (implementers), trainers and trainees."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A real person using the sandbox (never a person in a scenario's world)."""

    class Kind(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Implementer / administrator")
        TRAINER = "trainer", _("Trainer")
        TRAINEE = "trainee", _("Trainee")

    kind = models.CharField(_("kind of user"), max_length=20, choices=Kind.choices,
                            default=Kind.TRAINEE)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, blank=True,
                                choices=settings.LANGUAGES)

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
