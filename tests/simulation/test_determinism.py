"""The same scenario and seed give the same world, field for field; another seed,
another world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox.cases.models import Case, Event, Task
from sandbox.spaces.models import Member, Space

from .conftest import WriteScenario, seed

pytestmark = pytest.mark.django_db

BACKGROUND = """\
  background:
    count: 12
    owner: caseworker
    risk: {high: 0.3, medium: 0.4, low: 0.3}
    stage: {identified: 0.1, registered: 0.3, assessed: 0.2, planned: 0.2, closed: 0.2}
    overdue: 0.2"""

#: Columns that name the space or rows of it by id: compared through names instead.
ID_COLUMNS = {"id", "space_id", "owner_id"}


@pytest.fixture
def path(write_scenario: WriteScenario) -> Path:
    return write_scenario("determinism", background=BACKGROUND)


def names(space: Space) -> dict[int, str]:
    return dict(Member.objects.filter(space=space).values_list("pk", "name"))


def cases(space: Space) -> list[dict[str, Any]]:
    members = names(space)
    result = []
    for case in Case.objects.filter(space=space).order_by("display_id"):
        row = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields
               if f.attname not in ID_COLUMNS}
        row["owner"] = members.get(case.owner_id)
        result.append(row)
    return result


def events(space: Space) -> list[tuple[Any, ...]]:
    members = names(space)

    def changes(value: dict[str, Any]) -> dict[str, Any]:
        # A change of owner names members by id: compare their names.
        return {k: [members.get(v) for v in pair] if k == "owner_id" else pair
                for k, pair in value.items()}

    return [(e.sequence, e.action, e.sim_time, e.actor_name, e.role, changes(e.changes), e.details,
             e.case.display_id if e.case else None)
            for e in Event.objects.filter(space=space).select_related("case").order_by("sequence")]


def members(space: Space) -> list[tuple[Any, ...]]:
    return list(Member.objects.filter(space=space).order_by("pk").values_list(
        "ref", "name", "role", "agency", "user_groups", "is_simulated"))


def tasks(space: Space) -> list[tuple[Any, ...]]:
    return sorted(Task.objects.filter(space=space).values_list(
        "case__display_id", "kind", "started_at", "due_at", "completed_at"))


def test_the_same_seed_gives_the_same_world(default_config: Any, path: Path) -> None:
    one, two = seed(path, "first"), seed(path, "second")
    assert one.pk != two.pk
    first, second = cases(one), cases(two)
    assert len(first) == 14
    for a, b in zip(first, second, strict=True):
        assert a == b, a["display_id"]
    assert events(one) == events(two)
    assert members(one) == members(two)
    assert tasks(one) == tasks(two)
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.clock, one.case_counter, one.event_counter) == (
        two.clock, two.case_counter, two.event_counter)


def test_an_explicit_seed_is_the_same_as_the_scenario_seed(default_config: Any,
                                                           path: Path) -> None:
    one, two = seed(path, "first"), seed(path, "second", seed=1234)
    assert cases(one) == cases(two)
    assert events(one) == events(two)


def test_reseeding_a_slug_gives_the_same_world_again(default_config: Any, path: Path) -> None:
    before = (cases(seed(path, "again")), events(Space.objects.get(slug="again")))
    space = seed(path, "again")
    assert (cases(space), events(space)) == before


def test_another_seed_gives_another_world(default_config: Any, path: Path) -> None:
    one, two = seed(path, "first"), seed(path, "second", seed=99)
    first = [(c["name_first"], c["name_last"]) for c in cases(one)]
    second = [(c["name_first"], c["name_last"]) for c in cases(two)]
    assert first != second
    # Background names differ; the names the scenario gives stay.
    assert len(set(first) & set(second)) < len(first) // 2
    assert {"Amina", "Yusuf"} <= {n for n, _ in second}
    # The simulated members without a name in the scenario are drawn too.
    assert members(one)[0][1] != members(two)[0][1]
