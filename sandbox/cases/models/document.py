"""Documents uploaded to a case's `upload` fields, stored in the database per space.

The case data holds only a list of `{id, name, size, content_type}` per field; the
bytes live here, with the space, the case and the field they belong to. Keeping
them in a table of the space (not in files on disk) means a space reset or copy
takes them along like every other row, and no other space can reach them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Member, Space

from .case import Case


class Document(models.Model):
    """One uploaded file. `key` is the id case data stores: random, and unique in its
    space (a copied space keeps the same keys, so its case data stays right)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    key = models.CharField(_("document id"), max_length=32)
    field = models.CharField(_("field"), max_length=100)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content = models.BinaryField(_("content"))
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded (simulated time)"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint("space", "key", name="document_unique_key")]

    def __str__(self) -> str:
        return self.name

    def as_value(self) -> dict[str, object]:
        """What the case data stores for this document."""
        return {"id": self.key, "name": self.name, "size": self.size,
                "content_type": self.content_type}
