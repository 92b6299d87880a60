from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_BUNDLE


def zip_folder(folder: Path, *, prefix: str = "", edit: dict[str, str] | None = None) -> bytes:
    """A zip of a folder as an implementer would make it, with some files replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                data = (edit or {}).get(name)
                out.writestr(prefix + name, data if data is not None else path.read_bytes())
    return buffer.getvalue()


@pytest.fixture
def default_zip() -> bytes:
    return zip_folder(DEFAULT_BUNDLE, prefix="my-config/")


@pytest.fixture(autouse=True)
def _one_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    """The go-live report runs the whole library in its own tests; here one scenario is enough."""
    from django.conf import settings

    from sandbox.golive import adapters

    monkeypatch.setattr(adapters, "LIBRARY",
                        [Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"])
