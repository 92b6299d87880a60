"""A reset and a live action take the space's lock in the same order.

Before, a reset deleted the space's rows first and took the space row last: an action
holding the space could write its event after the purge, numbered beyond the counter
the reset then restored, and every later action in that space failed on a duplicate
event number (PostgreSQL; SQLite serialises whole transactions).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import F

from sandbox.cases.models import Event
from sandbox.cases.services._core import Action
from sandbox.simulation import snapshot
from sandbox.simulation.models import SpaceSeed
from sandbox.spaces.models import Member, Space

from .conftest import seed


@pytest.mark.django_db(transaction=True)
def test_a_reset_waits_for_the_action_that_holds_the_space(default_config: object,
                                                           scenario_path: Path) -> None:
    space = seed(scenario_path, "practice")
    seed_row = SpaceSeed.objects.get(space=space)
    actor = Member.objects.filter(space=space).first()
    assert actor is not None
    locked, problems = threading.Event(), []

    def action() -> None:
        try:
            with transaction.atomic():
                act = Action(actor, "note.add", check=False)
                locked.set()
                time.sleep(0.5)  # the reset arrives meanwhile
                act.record(changes={})
        except Exception as exc:
            problems.append(exc)
        finally:
            connection.close()

    def reset() -> None:
        try:
            locked.wait(5)
            for _try in range(200):
                try:
                    snapshot.restore(SpaceSeed.objects.select_related("space").get(pk=seed_row.pk))
                    break
                except OperationalError as exc:
                    # SQLite's shared in-memory test database refuses a second writer
                    # instead of waiting for it: wait here, as PostgreSQL's lock does.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.05)
        except Exception as exc:
            problems.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=action), threading.Thread(target=reset)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert problems == []
    space.refresh_from_db()
    assert not Event.objects.filter(space=space, sequence__gt=F("space__event_counter")).exists()
    assert space.event_counter == seed_row.seeded_events
    # And the next action numbers its event without a collision.
    with transaction.atomic():
        Action(actor, "note.add", check=False).record(changes={})
    assert Space.objects.get(pk=space.pk).event_counter == seed_row.seeded_events + 1
