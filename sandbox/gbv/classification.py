"""The GBVIMS classification rule, as taught in GBVIMS training: answer, in order, whether
each of the six core types applies; the incident's type is the first that does. So an
incident with rape and a beating is classified as rape, and the beating is not lost: the
acts that applied are kept with the incident.

Pure functions, no database.
"""

from __future__ import annotations

from collections.abc import Iterable

from .vocabulary import AgeGroup, GbvType

#: The order in which the classification questions are asked.
ORDER: tuple[str, ...] = tuple(GbvType.values)


def classify(acts: Iterable[str]) -> str:
    """The GBVIMS type of an incident: the first core type, in ORDER, among `acts`.

    Raises ValueError when `acts` holds no core type (an incident must have one) or
    something that is not a core type.
    """
    acts = set(acts)
    unknown = acts - set(ORDER)
    if unknown:
        raise ValueError(f"not a GBVIMS core type: {', '.join(sorted(unknown))}")
    for gbv_type in ORDER:
        if gbv_type in acts:
            return gbv_type
    raise ValueError("an incident needs at least one GBVIMS core type")


def ordered(acts: Iterable[str]) -> list[str]:
    """The acts in the classification order, without repeats."""
    acts = set(acts)
    return [t for t in ORDER if t in acts]


def age_group(age: int | None) -> str:
    """The GBVIMS age group of an age in years (`unknown` when there is none)."""
    if age is None:
        return AgeGroup.UNKNOWN.value
    for group, upper in (("0-11", 11), ("12-17", 17), ("18-25", 25), ("26-40", 40), ("41-60", 60)):
        if age <= upper:
            return group
    return AgeGroup.AGE_61.value
