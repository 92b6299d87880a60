"""Starting an exercise copies the seeded world for every trainee at once: the copies are
the same world as copies made one at a time, each bound to its own trainee, and each copy's
own snapshot (what its resets restore) is exactly what capturing it would give."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from sandbox.accounts.models import User
from sandbox.simulation import snapshot
from sandbox.simulation.models import SeededWorld, SpaceSeed
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


# -- the copies share their world's snapshot and scenario -------------------------------------


def _delete(space: Space) -> None:
    """What replacing or purging a space does to it (seed_space, clone_spaces, golive)."""
    snapshot.purge(space)
    SpaceSeed.objects.filter(space=space).delete()
    space.delete()


@pytest.mark.django_db
def test_a_copys_seed_is_small_and_shares_its_worlds_scenario(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    copies = clone_spaces(template, [{"slug": f"copy-{i}"} for i in range(3)])
    first = SpaceSeed.objects.get(space=template)
    for space in copies:
        copy = SpaceSeed.objects.get(space=space)
        assert copy.world_id == first.world_id is not None
        # ids and bindings only: a fraction of the world's rows, and no scenario of its own
        assert len(bytes(copy.snapshot)) * 4 < len(bytes(first.snapshot))
        assert copy.own_scenario_data == {} and copy.pinned
        assert copy.scenario_data == first.scenario_data != {}
    # one shared world for every batch copied from the same template
    clone_spaces(template, [{"slug": "later"}])
    assert SeededWorld.objects.count() == 1


@pytest.mark.django_db
def test_a_copy_resets_after_its_template_space_is_deleted(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    user = User.objects.create_user("trainee", password="pw-t-123456")
    [copy] = clone_spaces(template, [{"slug": "copy", "trainees": {"caseworker": user}}])
    before = rows(copy)
    scenario = SpaceSeed.objects.get(space=copy).scenario_data
    _delete(template)
    from sandbox.simulation.services import play_solution

    play_solution(copy)
    assert rows(copy) != before
    snapshot._cache.clear()  # as in a new process
    snapshot._worlds.clear()
    reset_space(copy)
    assert rows(copy) == before
    assert Member.objects.get(space=copy, ref="caseworker").user_id == user.pk
    assert SpaceSeed.objects.get(space=copy).scenario_data == scenario


@pytest.mark.django_db
def test_a_copy_of_a_copy_is_the_same_world_and_resets(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    users = [User.objects.create_user(f"t{i}", password="pw-t-123456") for i in range(2)]
    [copy] = clone_spaces(template, [{"slug": "copy", "trainees": {"caseworker": users[0]}}])
    _delete(template)  # a late joiner's space is then copied from a trainee's
    [late] = clone_spaces(copy, [{"slug": "late", "trainees": {"caseworker": users[1]}}])
    assert shape(late) == shape(copy)
    assert Member.objects.get(space=late, ref="caseworker").user_id == users[1].pk
    seed_row = SpaceSeed.objects.get(space=late)
    assert seed_row.world_id == SpaceSeed.objects.get(space=copy).world_id
    assert set(seed_row.cases.values()) <= set(late.cases.values_list("pk", flat=True))
    assert seed_row.roles["caseworker"] == Member.objects.get(space=late, ref="caseworker").pk
    assert snapshot.state_of(seed_row) == pickle.loads(snapshot.capture(late))
    before = rows(late)
    from sandbox.simulation.services import play_solution

    play_solution(late)
    reset_space(late)
    assert rows(late) == before


@pytest.mark.django_db
def test_upgrading_a_copys_scenario_leaves_the_other_copies_alone(default_config: Any,
                                                                 path: Path) -> None:
    from sandbox.simulation.services import upgrade_scenario

    template = seed(path, "template")
    first, second = clone_spaces(template, [{"slug": "a"}, {"slug": "b"}])
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Found alone at the market", "Found alone at the bus station"), encoding="utf-8")
    upgrade_scenario(first)
    assert "bus station" in SpaceSeed.objects.get(space=first).scenario_data["title"]["en"]
    assert "bus station" not in SpaceSeed.objects.get(space=second).scenario_data["title"]["en"]
    # a copy of the upgraded copy keeps the upgraded scenario
    [third] = clone_spaces(first, [{"slug": "c"}])
    assert "bus station" in SpaceSeed.objects.get(space=third).scenario_data["title"]["en"]


@pytest.mark.django_db
def test_copies_with_the_same_slug_are_refused_before_anything_is_written(default_config: Any,
                                                                          path: Path) -> None:
    from sandbox.common.errors import ValidationFailed

    template = seed(path, "template")
    with pytest.raises(ValidationFailed, match="twice"):
        clone_spaces(template, [{"slug": "twice"}, {"slug": "twice"}])
    assert not Space.objects.filter(slug="twice").exists()


@pytest.mark.django_db(transaction=True)
def test_a_seeded_world_goes_with_the_last_space_copied_from_it(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    copies = clone_spaces(template, [{"slug": f"copy-{i}"} for i in range(3)])
    world = SpaceSeed.objects.get(space=template).world_id
    _delete(template)
    _delete(copies[0])
    assert SeededWorld.objects.filter(pk=world).exists()  # two copies still reset from it
    with transaction.atomic():  # the others together: one check after the commit
        for space in copies[1:]:
            _delete(space)
        assert SeededWorld.objects.filter(pk=world).exists()
    assert not SeededWorld.objects.filter(pk=world).exists()


@pytest.mark.django_db(transaction=True)
def test_a_deletion_rolled_back_keeps_the_world(default_config: Any, path: Path) -> None:
    template = seed(path, "template")
    [copy] = clone_spaces(template, [{"slug": "copy"}])
    world, pks = SpaceSeed.objects.get(space=template).world_id, (template.pk, copy.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        _delete(template)
        _delete(copy)
        raise RuntimeError("changed my mind")
    assert SeededWorld.objects.filter(pk=world).exists()
    template, copy = (Space.objects.get(pk=pk) for pk in pks)  # the deletion undone
    [later] = clone_spaces(copy, [{"slug": "later"}])  # still copied, and reset, from it
    reset_space(later)
    for space in (template, copy):
        _delete(space)
        assert SeededWorld.objects.filter(pk=world).exists()
    _delete(later)
    assert not SeededWorld.objects.filter(pk=world).exists()
