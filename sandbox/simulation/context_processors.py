"""What a space's top bar shows of the exercise: is there one, and how many messages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Message, SpaceSeed


def exercise(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("space") if match else None
    if not slug or not request.user.is_authenticated:
        return {}
    seed = SpaceSeed.objects.filter(space__slug=slug, space__members__user=request.user) \
        .values("space_id").first()
    if seed is None:
        return {}
    return {"exercise": {"messages": Message.objects.filter(space_id=seed["space_id"]).count()}}
