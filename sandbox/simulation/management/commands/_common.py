"""Shared helpers of the simulation commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from sandbox.spaces.models import Space


def get_space(slug: str) -> Space:
    space = Space.objects.filter(slug=slug).first()
    if space is None:
        raise CommandError(f"no space '{slug}'", returncode=1)
    return space
