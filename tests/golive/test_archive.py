"""Uploads are hostile until proven otherwise: nothing outside the target folder,
no links, bounded sizes; and the kind of configuration is recognised."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from sandbox.common.errors import ValidationFailed
from sandbox.golive import archive


def _zip(files: dict[str, bytes], *, links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            out.writestr(info, target)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["../evil.yaml", "a/../../evil.yaml", "/etc/evil.yaml",
                                  "C:/evil.yaml", "a\\..\\evil.yaml"])
def test_paths_outside_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValidationFailed, match="outside its folder"):
        archive.unpack("c.zip", _zip({name: b"x", "bundle.yaml": b"id: x"}), tmp_path)
    assert not (tmp_path.parent / "evil.yaml").exists()


def test_links_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="link"):
        archive.unpack("c.zip", _zip({"bundle.yaml": b"id: x"}, links={"forms": "/etc"}), tmp_path)


def test_too_many_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    files = {f"f{i}.yaml": b"x" for i in range(4)}
    with pytest.raises(ValidationFailed, match="more than 3 files"):
        archive.unpack("c.zip", _zip(files), tmp_path)


def test_a_zip_bomb_stops_at_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_EXTRACTED_BYTES", 1024 * 1024)
    bomb = _zip({"bundle.yaml": b"id: x", "lookups.yaml": b"\0" * (3 * 1024 * 1024)})
    assert len(bomb) < 20 * 1024  # small on the wire, large once expanded
    with pytest.raises(ValidationFailed, match="expands to more than 1 MB"):
        archive.unpack("c.zip", bomb, tmp_path)


def test_not_a_zip_nor_json(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match=r"Upload a \.zip file"):
        archive.unpack("c.yaml", b"id: x", tmp_path)


def test_broken_json(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="not a valid JSON file"):
        archive.unpack("c.json", b'{"form_sections": [', tmp_path)


def test_kinds_are_recognised(tmp_path: Path) -> None:
    bundle = archive.unpack("b.zip", _zip({"mine/bundle.yaml": b"id: x", "mine/forms/a.yaml": b""}),
                            _mk(tmp_path / "1"))
    assert (bundle.kind, bundle.path.name) == ("bundle", "mine")
    tree = archive.unpack("p.zip", _zip({"primero/db/configuration/lookups/a.rb": b""}), _mk(tmp_path / "2"))
    assert (tree.kind, tree.path.name) == ("primero_tree", "primero")
    export = archive.unpack("config.json", b'{"lookups": []}', _mk(tmp_path / "3"))
    assert export.kind == "primero_json" and export.path.read_bytes() == b'{"lookups": []}'
    with pytest.raises(ValidationFailed, match="neither a configuration bundle"):
        archive.unpack("x.zip", _zip({"notes.txt": b"hello", "other/readme.md": b""}), _mk(tmp_path / "4"))


def test_mac_metadata_is_skipped(tmp_path: Path) -> None:
    found = archive.unpack("b.zip", _zip({"bundle.yaml": b"id: x", "__MACOSX/._bundle.yaml": b"junk"}),
                           tmp_path)
    assert found.kind == "bundle" and not (tmp_path / "__MACOSX").exists()


def _mk(path: Path) -> Path:
    path.mkdir()
    return path
