"""Reading an uploaded configuration safely: a zip of a bundle or of a Primero seed
tree, or a Primero configuration JSON.

An upload comes from a browser and is treated as hostile: member names that
climb out of the target folder, absolute paths, links, too many files and zip
bombs are refused before anything is written, and sizes are counted while
extracting rather than trusted from the zip's own headers.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_EXTRACTED_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Unpacked:
    """Where the uploaded configuration is, once on disk, and what kind it is."""

    kind: str  # ConfigurationReview.Kind value
    path: Path  # the bundle folder, the Primero tree root, or the JSON file


def _member_path(name: str) -> PurePosixPath | None:
    """The member's relative path, or None when it must not be extracted."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    path = PurePosixPath(name)
    if any(part in ("..", "") for part in path.parts):
        return None
    return path


def unpack(filename: str, content: bytes, target: Path) -> Unpacked:
    """Write the upload under `target` (an empty folder) and find what it holds."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("The file is larger than %(size)d MB.")
                               % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    if filename.lower().endswith(".json"):
        try:
            json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationFailed(_("%(file)s is not a valid JSON file: %(error)s")
                                   % {"file": filename, "error": exc}) from exc
        path = target / "configuration.json"
        path.write_bytes(content)
        return Unpacked("primero_json", path)
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise ValidationFailed(_("Upload a .zip file (a bundle folder or a Primero configuration) "
                                 "or a Primero configuration .json file."))
    _extract(content, target)
    return _detect(target)


def _extract(content: bytes, target: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ValidationFailed(_("The zip file holds more than %(count)d files.")
                                   % {"count": MAX_MEMBERS})
        written = 0
        for info in members:
            relative = _member_path(info.filename)
            if relative is None:
                raise ValidationFailed(_("The zip file holds a path outside its folder: %(name)s")
                                       % {"name": info.filename})
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ValidationFailed(_("The zip file holds a link, which is not allowed: %(name)s")
                                       % {"name": info.filename})
            if relative.parts[0] == "__MACOSX" or relative.name.startswith("._"):
                continue
            destination = target.joinpath(*relative.parts)
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, destination.open("wb") as sink:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    if written > MAX_EXTRACTED_BYTES:
                        raise ValidationFailed(
                            _("The zip file expands to more than %(size)d MB.")
                            % {"size": MAX_EXTRACTED_BYTES // (1024 * 1024)})
                    sink.write(chunk)


def _candidates(root: Path) -> list[Path]:
    """The folder itself and, when it holds a single folder, that one (zips made
    from a folder usually wrap everything in it)."""
    found = [root]
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        found.append(entries[0])
    return found


def _detect(root: Path) -> Unpacked:
    for folder in _candidates(root):
        if (folder / "bundle.yaml").is_file():
            return Unpacked("bundle", folder)
        if (folder / "db" / "configuration").is_dir() or (folder.name == "configuration" and any(
                (folder / name).is_dir() for name in ("forms", "lookups", "roles"))):
            return Unpacked("primero_tree", folder)
        jsons = sorted(folder.glob("*.json"))
        if len(jsons) == 1 and not any(p.is_dir() for p in folder.iterdir()):
            return Unpacked("primero_json", jsons[0])
    raise ValidationFailed(_("The zip file holds neither a configuration bundle (bundle.yaml) nor a "
                             "Primero configuration (db/configuration/ or a .json export)."))
