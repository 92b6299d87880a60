"""Starting an exercise copies the seeded world for every trainee at once: the copies are
the same world as copies made one at a time, each bound to its own trainee, and each copy's
own snapshot (what its resets restore) is exactly what capturing it would give."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from sandbox.accounts.models import User
from sandbox.simulation import snapshot
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import reset_space
from sandbox.simulation.world import clone_space, clone_spaces
from sandbox.spaces.models import Member, Space

from .conftest import WORLD_TABLES, WriteScenario, rows, seed


@pytest.fixture
def path(write_scenario: WriteScenario) -> Path:
    return write_scenario("clone")


def shape(space: Space) -> dict[str, list[dict[str, Any]]]:
    """The rows of a space without their ids and foreign keys to copied rows: what must be
    equal between two copies of one world."""
    result = {}
    for label, table in rows(space).items():
        model = next(m for m in WORLD_TABLES if m._meta.label == label)
        ids = {f.attname for f in model._meta.concrete_fields
               if f.primary_key or (f.is_relation and f.related_model in (*WORLD_TABLES, Space))}
        ids |= {"user_id", "name"} if model is Member else set()
        result[label] = [{k: v for k, v in row.items() if k not in ids and k != "real_at"}
                         for row in table]
    return result


@pytest.mark.django_db
def test_copies_made_together_are_the_world_copied_one_by_one(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    users = [User.objects.create_user(f"t{i}", password="pw-t-123456") for i in range(3)]
    one = clone_space(template, slug="one-by-one", trainees={"caseworker": users[0]})
    many = clone_spaces(template, [
        {"slug": f"together-{i}", "title": f"Together {i}", "trainees": {"caseworker": users[i]}}
        for i in (1, 2)])
    assert [s.slug for s in many] == ["together-1", "together-2"]
    assert [s.title for s in many] == ["Together 1", "Together 2"]
    for space in many:
        assert shape(space) == shape(one) == shape(template)
        assert space.clock == template.clock
    # each copy bound to its trainee, its cases and roles mapped to its own rows
    for space, user in zip(many, users[1:], strict=True):
        member = Member.objects.get(space=space, ref="caseworker")
        assert member.user_id == user.pk and member.name == user.display_name
        copy = SpaceSeed.objects.get(space=space)
        assert copy.roles["caseworker"] == member.pk
        assert set(copy.cases.values()) <= set(space.cases.values_list("pk", flat=True))


@pytest.mark.django_db
def test_each_copys_snapshot_is_what_capturing_it_gives(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    for space in clone_spaces(template, [{"slug": f"copy-{i}"} for i in range(2)]):
        written = snapshot.state_of(SpaceSeed.objects.get(space=space))
        captured = pickle.loads(snapshot.capture(space))
        assert written == captured


@pytest.mark.django_db
def test_a_copy_resets_to_its_own_world(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    first, second = clone_spaces(template, [{"slug": "a"}, {"slug": "b"}])
    before = rows(second)
    from sandbox.simulation.services import play_solution

    play_solution(second)
    assert rows(second) != before
    reset_space(second)
    assert rows(second) == before
    assert rows(first) != {} and shape(first) == shape(second)
