"""Hooks run after every action, so that layers above can react without the case
system knowing them (the simulation schedules its injects and actors here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Event

_hooks: list[Callable[[Event], None]] = []


def register(hook: Callable[[Event], None]) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def after_action(event: Event) -> None:
    for hook in _hooks:
        hook(event)
