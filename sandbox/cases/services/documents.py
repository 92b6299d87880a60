"""Documents of upload fields: checking a file, storing it with its space and case.

A file is accepted when its extension is in the field's `accept` list, its declared
content type (when the browser or client gives one) is that extension's, its first
bytes match the kind for the common formats, and it is no larger than the field's
`max_size_kb`. It is stored in the database with its space: resets and copies of a
space take it along, and no other space can reach it.
"""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import FieldDef
from sandbox.spaces.models import Member

from ..models import Case, Document
from ..permissions import require_section_write
from ._core import Action, require_open

#: The first bytes of common formats: a renamed file is refused.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
#: Content types clients send when they do not know better.
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
DEFAULT_MAX_SIZE_KB = 2048


class UploadedFile(Protocol):
    """What Django's uploaded files offer (and what tests may pass)."""

    name: str
    size: int
    content_type: str | None

    def read(self, *args: Any) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


def _error(fdef: FieldDef, message: str) -> ValidationFailed:
    return ValidationFailed(message, code="upload_refused", details={"fields": {fdef.code: [message]}})


def check_file(fdef: FieldDef, upload: UploadedFile) -> CheckedFile:
    """The file, checked against the field's rules; or ValidationFailed saying what is wrong."""
    name = PurePath(str(upload.name or "")).name.strip()[:255]
    label = pick(fdef.label) or fdef.code
    limit_kb = fdef.max_size_kb or DEFAULT_MAX_SIZE_KB
    if getattr(upload, "size", None) is not None and upload.size > limit_kb * 1024:
        raise _error(fdef, _("%(file)s is too large for %(field)s: at most %(limit)d KB.")
                     % {"file": name, "field": label, "limit": limit_kb})
    content = upload.read(limit_kb * 1024 + 1)
    if len(content) > limit_kb * 1024:
        raise _error(fdef, _("%(file)s is too large for %(field)s: at most %(limit)d KB.")
                     % {"file": name, "field": label, "limit": limit_kb})
    if not name or not content:
        raise _error(fdef, _("The file is empty or has no name."))
    extension = PurePath(name).suffix.lower().lstrip(".")
    accepted = [a.lower() for a in fdef.accept]
    if accepted and extension not in accepted:
        raise _error(fdef, _("%(file)s is not accepted for %(field)s: accepted types are %(types)s.")
                     % {"file": name, "field": label, "types": ", ".join(accepted)})
    expected = mimetypes.guess_type(f"x.{extension}")[0] or "application/octet-stream"
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    signatures = SIGNATURES.get(extension)
    if (declared not in GENERIC_TYPES and declared != expected) or (
            signatures and not content.startswith(signatures)):
        raise _error(fdef, _("%(file)s does not look like a %(type)s file: its content does "
                             "not match its name.") % {"file": name, "type": extension.upper()})
    return CheckedFile(name=name, content_type=expected, content=content)


def upload_field(act: Action, field: str) -> FieldDef:
    fdef = act.module.fields.get(field)
    if fdef is None or fdef.type != "upload":
        raise ValidationFailed(_("'%(field)s' is not a document field.") % {"field": field},
                               details={"fields": {"field": [_("Unknown field.")]}})
    return fdef


def writable_section(act: Action, fdef: FieldDef) -> str:
    """A section of the field the actor may edit (a field may be on several)."""
    sections = act.module.sections_of(fdef.code)
    role = act.role
    for code in sections:
        if role is None or role.section_access(code) == "read_write":
            return code
    require_section_write(act.actor, sections[0] if sections else fdef.section, act.config)
    return fdef.section


def store(act: Action, case: Case, fdef: FieldDef, checked: CheckedFile) -> Document:
    return Document.objects.create(
        space=act.space, case=case, key=secrets.token_hex(16), field=fdef.code,
        name=checked.name, content_type=checked.content_type, size=len(checked.content),
        content=checked.content, created_by=None if act.system else act.actor, created_at=act.now)


@transaction.atomic
def document_upload(*, actor: Member, case: Case, field: str, upload: UploadedFile) -> Document:
    """Add a document to an upload field of the case (recorded as a form save)."""
    act = Action(actor, "case.update", case)
    require_open(case)
    fdef = upload_field(act, field)
    section = writable_section(act, fdef)
    if fdef.readonly or fdef.hidden:
        raise ValidationFailed(_("%(field)s is read-only.") % {"field": pick(fdef.label) or field},
                               details={"fields": {field: [_("This field is read-only.")]}})
    document = store(act, case, fdef, check_file(fdef, upload))
    case.data = {**case.data, field: [*(case.data.get(field) or []), document.as_value()]}
    case.updated_at = act.now
    case.save()
    act.record(case=case, details={"section": section, "document": document.name})
    return document


@transaction.atomic
def document_remove(*, actor: Member, case: Case, key: str) -> None:
    """Remove a document from its field (and from the space)."""
    act = Action(actor, "case.update", case)
    require_open(case)
    document = Document.objects.filter(space=act.space, case=case, key=key).first()
    if document is None:
        from sandbox.common.errors import NotFound

        raise NotFound(_("No such document."))
    fdef = upload_field(act, document.field)
    section = writable_section(act, fdef)
    case.data = {**case.data, fdef.code: [d for d in case.data.get(fdef.code) or []
                                          if d.get("id") != key]}
    if not case.data[fdef.code]:
        del case.data[fdef.code]
    case.updated_at = act.now
    case.save()
    document.delete()
    act.record(case=case, details={"section": section, "document": document.name})


def forget_unused(case: Case) -> None:
    """Delete the case's documents no upload field refers to any more."""
    used = {d.get("id") for value in case.data.values() if isinstance(value, list)
            for d in value if isinstance(d, dict)}
    Document.objects.filter(space_id=case.space_id, case=case).exclude(key__in=used).delete()
