"""Resets during `make bench-load`: the trainer resets trainees' spaces at random.

A reset while a trainee works must cost that trainee at most one clear answer (409
`space_reset`, or a 4xx of a step that no longer fits the reset world), after which
the trainee starts the scenario again; it must cost nobody else anything. After the
load, `verify` (run in a subprocess with Django) counts what a reset must never leave:
orphan rows (records of a case that no longer exists, events beyond the space's
counter, duplicate event numbers), and compares every reset space, reset once more at
the end, with its snapshot, row for row.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

VERIFY_MARK = "VERIFY-RESULT "


@dataclass
class ResetLog:
    """When each space was last reset (monotonic seconds, from the request's start)."""

    times: dict[str, list[float]] = field(default_factory=dict)
    done: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, slug: str) -> None:
        with self.lock:
            self.times.setdefault(slug, []).append(time.monotonic())

    def reset_since(self, slug: str, since: float) -> bool:
        with self.lock:
            return any(t >= since for t in self.times.get(slug, []))

    def slugs(self) -> list[str]:
        with self.lock:
            return sorted(self.times)


def csrf_of(session: Any) -> str:
    return session.cookies.get("csrftoken", "")


def reset_one(c: Any, world: dict[str, Any], target: dict[str, Any], log: ResetLog,
              sample: Any) -> bool:
    """POST the board's reset control for one trainee, as the trainer's browser does."""
    path = f"/workshops/{world['workshop']}/exercises/{world['exercise']}/reset/"
    log.begin(target["slug"])
    t0 = time.monotonic()
    response = c.web.post(c.base + path, data={"attempt": target["attempt"],
                                               "csrfmiddlewaretoken": csrf_of(c.web)},
                          headers={"Referer": c.base + path}, timeout=(5, c.timeout),
                          allow_redirects=False)
    ok = response.status_code == 302
    c.recorder.add(sample("page:reset", "reset", (time.monotonic() - t0) * 1000, ok,
                          response.status_code, t0 - c.recorder.started),
                   "" if ok else f"page:reset POST {path}: {response.status_code}")
    with log.lock:
        log.done += ok
        log.failed += not ok
    return ok


def resetter(c: Any, world: dict[str, Any], count: int, window: tuple[float, float], log: ResetLog,
             rng: random.Random, sample: Any) -> None:
    """`count` resets of random trainees' spaces at random moments of the window."""
    try:
        c.sign_in(world["trainer"])
        page = c.web.get(c.base + f"/workshops/{world['workshop']}/exercises/{world['exercise']}/board/",
                         timeout=(5, c.timeout))
        if not csrf_of(c.web):
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if match:
                c.web.cookies.set("csrftoken", match.group(1))
        moments = sorted(rng.uniform(*window) for _ in range(count))
        for moment in moments:
            time.sleep(max(0.0, moment - time.monotonic()))
            if time.monotonic() >= c.deadline:
                break
            reset_one(c, world, rng.choice(world["trainees"]), log, sample)
    except Exception as exc:  # counted, never hidden
        c.recorder.note(f"resetter: {type(exc).__name__}: {exc}"[:300])


def verify(slugs: list[str]) -> None:
    """Orphans and snapshot equality; prints VERIFY_MARK + JSON. Runs with Django set up."""
    import pickle

    from django.db.models import Count, F

    from sandbox.cases import models as cm
    from sandbox.simulation import snapshot
    from sandbox.simulation.models import SpaceSeed
    from sandbox.spaces.models import Space

    orphans = 0
    spaces = Space.objects.filter(slug__startswith="ws")
    for model in snapshot.TABLES:
        if any(f.attname == "case_id" for f in model._meta.concrete_fields) and model is not cm.Case:
            orphans += (model.objects.filter(space__in=spaces, case_id__isnull=False)
                        .exclude(case_id__in=cm.Case.objects.values("pk")).count())
    beyond = cm.Event.objects.filter(space__in=spaces, sequence__gt=F("space__event_counter")).count()
    duplicates = (cm.Event.objects.filter(space__in=spaces).values("space", "sequence")
                  .annotate(n=Count("pk")).filter(n__gt=1).count())
    equal = 0
    for slug in slugs:
        seed = SpaceSeed.objects.select_related("space").get(space__slug=slug)
        snapshot.restore(seed)
        now = pickle.loads(snapshot.capture(seed.space))
        then = snapshot.state_of(seed)
        equal += now["rows"] == then["rows"] and now["space"] == then["space"]
    print(VERIFY_MARK + json.dumps({"orphan_rows": orphans + beyond, "duplicate_event_numbers": duplicates,
                                    "spaces_reset": len(slugs), "spaces_equal_to_snapshot": equal}),
          flush=True)
