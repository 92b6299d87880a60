"""Matching tracing requests to cases: the corpus of name variants of the duplicate search
(accents, Arabic names in Latin script, swapped names, typos, nicknames, Khmer and Swahili
names), written by an inquirer who knows the sex, an age range and the place and date of
separation. The intended case must be in the top 3 for at least 95% of the corpus."""

from __future__ import annotations

import datetime as dt
import random

from sandbox.tracing import matching
from tests.cases.test_matching import CORPUS, crowd

PATHS = {"A1": "A/A1", "A2": "A/A2", "B1": "B/B1"}


def rows() -> list[matching.Row]:
    intended = [matching.Row(i, f"T-{i:03d}", first, last, sex, 10, "A1", "2026-03-01")
                for i, (first, last, sex, _variants) in enumerate(CORPUS)]
    rng = random.Random(3)
    others = [matching.Row(1000 + i, p.display_id, p.name_first, p.name_last, p.sex, p.age,
                           rng.choice(list(PATHS)), f"2026-0{rng.randint(1, 3)}-1{rng.randint(0, 9)}")
              for i, p in enumerate(crowd(800))]
    return intended + others


def test_the_intended_case_is_in_the_top_three_for_95_percent_of_the_corpus() -> None:
    everyone = rows()
    total, misses = 0, []
    for i, (first, last, sex, variants) in enumerate(CORPUS):
        for written in variants:
            total += 1
            sought = matching.Sought(names=(written,), sex=sex, age_from=9, age_to=12,
                                     place_path="A", separated_on=dt.date(2026, 2, 20))
            top = [c.row.display_id for c in matching.rank(everyone, sought, paths=PATHS)[:3]]
            if f"T-{i:03d}" not in top:
                misses.append(f"{written!r} for {first} {last}: top {top}")
    rate = 1 - len(misses) / total
    assert total >= 100
    assert rate >= 0.95, f"{rate:.1%} of {total}; missed:\n" + "\n".join(misses)


def test_the_name_alone_also_finds_most_of_the_corpus() -> None:
    everyone = rows()
    found = total = 0
    for i, (_first, _last, _sex, variants) in enumerate(CORPUS):
        for written in variants:
            total += 1
            top = [c.row.display_id for c in matching.rank(everyone, matching.Sought(
                names=(written,)))[:3]]
            found += f"T-{i:03d}" in top
    assert found / total >= 0.95


def row(pk: int, first: str, last: str, **kw: object) -> matching.Row:
    values = {"sex": "female", "age": 11, "location": "A1", "date_identified": "2026-03-01", **kw}
    return matching.Row(pk, str(pk), first, last, values["sex"], values["age"],  # type: ignore[arg-type]
                        values["location"], values["date_identified"])  # type: ignore[arg-type]


def test_each_criterion_counts_with_its_weight_and_reason() -> None:
    sought = matching.Sought(names=("Amina Diallo",), sex="female", age_from=10, age_to=12,
                             place_path="A", separated_on=dt.date(2026, 2, 20))
    full = matching.rank([row(1, "Amina", "Diallo")], sought, paths=PATHS)[0]
    assert full.score == 1.0
    assert [why for why, _ in full.reasons] == ["same", "same", "sex", "age", "place", "date"]
    for change, lost in (({"sex": "male"}, 0.1), ({"age": 14}, 0.05), ({"age": 16}, 0.1),
                         ({"location": "B1"}, 0.1), ({"date_identified": "2026-02-01"}, 0.1),
                         ({"date_identified": None}, 0.1)):
        [candidate] = matching.rank([row(1, "Amina", "Diallo", **change)], sought, paths=PATHS)
        assert candidate.score == round(1 - lost, 3), change


def test_what_is_unknown_gives_its_weight_to_the_name() -> None:
    [candidate] = matching.rank([row(1, "Amina", "Diallo")], matching.Sought(names=("Amina Diallo",)))
    assert candidate.score == 1.0
    assert matching.rank([row(1, "Zainab", "Kamara")], matching.Sought(names=("Amina Diallo",))) == []


def test_other_names_are_compared_too() -> None:
    sought = matching.Sought(names=("Mariam Traore", "Mimi"), sex="female")
    [candidate] = matching.rank([row(1, "Mimi", "Traoré")], sought)
    assert candidate.name_score >= 0.9


def test_without_a_name_the_other_criteria_decide() -> None:
    sought = matching.Sought(sex="female", age_from=10, age_to=12, place_path="A",
                             separated_on=dt.date(2026, 2, 20))
    ranked = matching.rank([row(1, "Amina", "Diallo"), row(2, "Zainab", "Kamara", sex="male")],
                           sought, paths=PATHS)
    assert [c.row.pk for c in ranked] == [1, 2]
    assert ranked[0].score == 1.0
