"""What a space's top bar shows of the exercise: is there one, the clock's next event, and
how many messages the viewer has not read yet.

"Read" is kept in the session (the highest message id seen on the Exercise page, per
space): the count clears when the trainee opens their messages, with no write to the
database on every page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .engine import next_due
from .models import Message, SpaceSeed


def read_key(space_id: int) -> str:
    return f"messages-read:{space_id}"


def exercise(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("space") if match else None
    if not slug or not request.user.is_authenticated:
        return {}
    seed = SpaceSeed.objects.filter(space__slug=slug, space__members__user=request.user) \
        .select_related("space").first()
    if seed is None:
        return {}
    messages = Message.objects.filter(space_id=seed.space_id)
    seen = request.session.get(read_key(seed.space_id), 0)
    return {"exercise": {"messages": messages.count(),
                         "unread": messages.filter(pk__gt=seen).count(),
                         "next_due": next_due(seed.space)}}
