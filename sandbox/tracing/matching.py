"""Which cases may be the child a tracing request looks for, best first, and why.

Names are compared by the duplicate search's engine (`sandbox.cases.matching`: accents,
scripts, sound, consonants, nicknames, typos, swapped names). A case's score adds:

======================  ======  =====================================================
criterion               weight  full marks when
======================  ======  =====================================================
name                    0.6     the mean of the best word scores (the engine's)
sex                     0.1     the case's sex is the one sought
age                     0.1     the case's age is in the age range sought (half
                                within two years of it)
place of separation     0.1     the case's location is the place of separation, or
                                one is inside the other
date of separation      0.1     the child was identified on or after the separation
======================  ======  =====================================================

A criterion the inquirer does not know gives its weight to the name. When the inquirer
gave other names (a nickname, a former name) the best of the names counts. A case is a
candidate from 0.65; the candidates come best first, each with the reasons of its score.

Like the duplicate search, the comparison runs in Python on plain rows of every case of
the space, so it gives the same results on SQLite and PostgreSQL (`manage.py bench`
measures it on 10,000 cases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sandbox.cases import matching as engine

THRESHOLD = 0.65
WEIGHTS = {"name": 0.6, "sex": 0.1, "age": 0.1, "place": 0.1, "date": 0.1}
#: How many candidates a search keeps.
LIMIT = 20


class Row(NamedTuple):
    """What the matching reads of a case (a plain row: cheaper than a model instance)."""

    pk: int
    display_id: str
    name_first: str
    name_last: str
    sex: str
    age: int | None
    location: str
    date_identified: Any = None


#: The core columns of `Row`, as `values_list` reads them: the date the child was identified
#: is in the form data (JSON), read afterwards for the few rows still in the running.
COLUMNS = ("pk", "display_id", "name_first", "name_last", "sex", "age", "location")


@dataclass(frozen=True)
class Sought:
    """What the inquirer knows of the child."""

    names: tuple[str, ...] = ()
    sex: str = ""
    age_from: int | None = None
    age_to: int | None = None
    place_path: str | None = None
    separated_on: dt.date | None = None


@dataclass
class Candidate:
    row: Row
    score: float
    name_score: float
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _age_part(age: int | None, low: int | None, high: int | None) -> float:
    if age is None:
        return 0.0
    low = high if low is None else low
    high = low if high is None else high
    assert low is not None and high is not None
    gap = max(low - age, age - high, 0)
    return 1.0 if gap == 0 else 0.5 if gap <= 2 else 0.0


def _inside(path: str, other: str) -> bool:
    return bool(path) and (path == other or path.startswith(other + "/")
                           or other.startswith(path + "/"))


def rank(rows: list[Row], sought: Sought, *, paths: dict[str, str] | None = None,
         threshold: float = THRESHOLD, limit: int = LIMIT,
         dates: Callable[[Iterable[int]], dict[int, Any]] | None = None) -> list[Candidate]:
    """The rows scoring at least `threshold` against what is sought, best first.

    `dates`, when given, reads the identification dates of the rows that pass the first
    pass on names (by pk), instead of their `date_identified`."""
    queries = [q for q in (engine.fold(n) for n in sought.names) if q]
    has_age = sought.age_from is not None or sought.age_to is not None
    given = {"sex": bool(sought.sex), "age": has_age, "place": sought.place_path is not None,
             "date": sought.separated_on is not None}
    weights = {k: v for k, v in WEIGHTS.items() if k == "name" or given[k]}
    weights["name"] += sum(v for k, v in WEIGHTS.items() if k != "name" and not given[k])
    if not queries:
        weights.pop("name")
        total = sum(weights.values()) or 1.0
        weights = {k: v / total for k, v in weights.items()}
    others = sum(v for k, v in weights.items() if k != "name")
    paths = paths or {}
    names = [engine.fold(f"{row.name_first} {row.name_last}") for row in rows]
    # A first pass on the best word scores only (shared across rows): a row that cannot
    # reach the threshold even with every other criterion is not looked at again.
    quick = [engine._best_name_scores(query, names) for query in queries]
    running: list[tuple[int, int]] = []  # (row index, best query)
    if not queries:
        running = [(index, -1) for index in range(len(rows))]
    else:
        floor = (threshold - others) / weights["name"] - 1e-6
        for q, scores in enumerate(quick):
            running.extend((index, q) for index, score in enumerate(scores) if score >= floor)
        # With several names, a row keeps the query that suits it best.
        best: dict[int, int] = {}
        for index, q in running:
            if index not in best or quick[q][index] > quick[best[index]][index]:
                best[index] = q
        running = sorted(best.items())
    known = dates(rows[i].pk for i, _q in running) if dates is not None and "date" in weights else None
    found = []
    for index, best in running:
        row = rows[index]
        if known is not None:
            row = row._replace(date_identified=known.get(row.pk))
        reasons: list[tuple[str, dict[str, Any]]] = []
        score = name_score = 0.0
        if queries:
            name_score, pairs = engine.name_similarity(queries[best], names[index])
            score += weights["name"] * name_score
            reasons.extend((why, {"asked": word, "found": partner}) for word, partner, why in pairs)
        if "sex" in weights and row.sex == sought.sex:
            score += weights["sex"]
            reasons.append(("sex", {}))
        if "age" in weights:
            part = _age_part(row.age, sought.age_from, sought.age_to)
            score += weights["age"] * part
            if part:
                reasons.append(("age", {"age": row.age}))
        if "place" in weights and sought.place_path is not None \
                and _inside(paths.get(row.location, ""), sought.place_path):
            score += weights["place"]
            reasons.append(("place", {}))
        if "date" in weights:
            identified = _date(row.date_identified)
            if identified is not None and sought.separated_on is not None \
                    and identified >= sought.separated_on:
                score += weights["date"]
                reasons.append(("date", {"identified": identified.isoformat()}))
        score = round(score, 6)  # weights summed in floating point
        if score >= threshold:
            found.append(Candidate(row=row, score=round(score, 3), name_score=round(name_score, 3),
                                   reasons=reasons))
    found.sort(key=lambda c: (-c.score, -c.name_score, c.row.display_id))
    return found[:limit]
