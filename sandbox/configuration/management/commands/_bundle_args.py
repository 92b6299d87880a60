"""Shared argument handling for the bundle commands."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def bundle_directory(value: str | None) -> Path:
    """A bundle directory from the command line: a path, or a bundle name in seed_data/."""
    if not value:
        return Path(settings.SEED_DATA_DIR) / settings.DEFAULT_CONFIG_BUNDLE
    path = Path(value)
    if not path.exists() and (Path(settings.SEED_DATA_DIR) / value).is_dir():
        return Path(settings.SEED_DATA_DIR) / value
    return path
