"""The GBVIMS classification rule (pure): the first core type, in order, that applies."""

from __future__ import annotations

import itertools

import pytest

from sandbox.gbv.classification import ORDER, age_group, classify, ordered


def naive(acts: set[str]) -> str:
    """The rule as the training's decision tree asks it: one question after the other."""
    if "rape" in acts:
        return "rape"
    if "sexual_assault" in acts:
        return "sexual_assault"
    if "physical_assault" in acts:
        return "physical_assault"
    if "forced_marriage" in acts:
        return "forced_marriage"
    if "denial_of_resources" in acts:
        return "denial_of_resources"
    return "psychological_abuse"


def test_the_order_is_the_gbvims_order() -> None:
    assert ORDER == ("rape", "sexual_assault", "physical_assault", "forced_marriage",
                     "denial_of_resources", "psychological_abuse")


def test_every_combination_classifies_as_the_decision_tree_does() -> None:
    for size in range(1, len(ORDER) + 1):
        for acts in itertools.combinations(ORDER, size):
            assert classify(acts) == naive(set(acts)), acts


def test_rape_with_a_beating_is_rape_and_the_beating_is_kept() -> None:
    assert classify(["physical_assault", "rape"]) == "rape"
    assert ordered(["physical_assault", "rape", "rape"]) == ["rape", "physical_assault"]


@pytest.mark.parametrize("acts", [[], ["theft"]])
def test_nothing_or_something_else_is_refused(acts: list[str]) -> None:
    with pytest.raises(ValueError):
        classify(acts)


@pytest.mark.parametrize(("age", "group"), [(None, "unknown"), (0, "0-11"), (11, "0-11"),
                                            (12, "12-17"), (17, "12-17"), (18, "18-25"),
                                            (40, "26-40"), (60, "41-60"), (61, "61+")])
def test_age_groups(age: int | None, group: str) -> None:
    assert age_group(age) == group
