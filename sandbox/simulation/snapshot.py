"""Snapshots of a space's rows, and restoring them: the instant reset.

After seeding, every row of the space (members, cases and their records, tasks,
events, injects, messages) is captured as plain values in one pickled blob.
Resetting deletes the space's rows table by table (one DELETE each, children
first) and inserts the captured rows again with their ids, in one transaction.
No other space's rows are touched: every statement is filtered by the space.
"""

from __future__ import annotations

import pickle
from typing import Any

from django.db import connection, models, transaction

from sandbox.cases import models as cm
from sandbox.spaces.models import Member, Space

from .models import Inject, Message, SpaceSeed

#: Parents before children: the order of inserts (deletes run in reverse).
TABLES: list[type[models.Model]] = [
    Member, cm.Case, cm.Service, cm.Referral, cm.Transfer, cm.Approval, cm.FollowUp, cm.Note,
    cm.Flag, cm.Task, cm.Event, Inject, Message,
]
SPACE_FIELDS = ("clock", "case_counter", "event_counter")

_cache: dict[tuple[int, Any], dict[str, Any]] = {}


def capture(space: Space) -> bytes:
    space.refresh_from_db()
    rows = {model._meta.label: list(model.objects.filter(space=space).order_by("pk").values())
            for model in TABLES}
    state = {"space": {f: getattr(space, f) for f in SPACE_FIELDS}, "rows": rows}
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def purge(space: Space) -> None:
    """Delete every row of the space's world (not the space, nor anything outside it)."""
    with transaction.atomic():
        for model in reversed(TABLES):
            if model is cm.Event:
                cm.Event.objects.purge_space(space)
                continue
            models.QuerySet(model).filter(space=space)._raw_delete(connection.alias)


def restore(seed: SpaceSeed) -> None:
    """Put the space back exactly as it was seeded."""
    key = (seed.pk, seed.seeded_at)
    state = _cache.get(key)
    if state is None:
        state = pickle.loads(bytes(seed.snapshot))
        _cache.clear()
        _cache[key] = state
    space = seed.space
    with transaction.atomic():
        purge(space)
        for model in TABLES:
            rows = state["rows"].get(model._meta.label, [])
            if rows:
                model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        Space.objects.filter(pk=space.pk).update(**state["space"])
    for field, value in state["space"].items():
        setattr(space, field, value)
