"""An implementer's configuration under review before go-live.

A review keeps the uploaded file itself (a bundle as a zip, a Primero seed tree as a
zip, or a Primero configuration JSON) and what was found in it: the import report,
every validation problem and the go-live report of the scenario library. The
configuration that running workshops use is never touched: a trial loads the
reviewed bundle under a code of its own (`trial-<id>`) and opens a space on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.configuration.models import Bundle
from sandbox.spaces.models import Space


class ConfigurationReview(models.Model):
    class Kind(models.TextChoices):
        BUNDLE = "bundle", _("Configuration bundle")
        PRIMERO_TREE = "primero_tree", _("Primero configuration (seed files)")
        PRIMERO_JSON = "primero_json", _("Primero configuration (JSON export)")

    class Status(models.TextChoices):
        INVALID = "invalid", _("Has problems that block loading")
        VALID = "valid", _("Valid; the scenario library has problems on it")
        READY = "ready", _("Valid; the scenario library runs on it")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="configuration_reviews", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    content = models.BinaryField(_("uploaded file"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    bundle_id_in_file = models.CharField(_("bundle id in the file"), max_length=100, blank=True)
    bundle_name = models.JSONField(_("bundle name"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    import_report = models.JSONField(_("import report"), default=dict, blank=True)
    validation = models.JSONField(_("validation problems"), default=list, blank=True)
    golive = models.JSONField(_("go-live report"), default=dict, blank=True)
    seconds = models.FloatField(_("time to review (s)"), default=0)
    trial_bundle = models.OneToOneField(Bundle, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("trial configuration"))
    trial_space = models.OneToOneField(Space, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("trial space"))

    class Meta:
        verbose_name = _("configuration review")
        verbose_name_plural = _("configuration reviews")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def trial_code(self) -> str:
        return f"trial-{self.pk}"

    @property
    def errors(self) -> list[dict]:
        return [p for p in self.validation if p.get("severity", "error") == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [p for p in self.validation if p.get("severity", "error") != "error"]
