"""Finding a child who may already have a record, although the name is written differently.

People write a child's name as they hear it: "Maryam Koné" for "Mariam Kone", "Aminah" for
"Amina", a family name first, an Arabic name in Arabic script or in one of its Latin
transliterations, a nickname. The duplicate search before registration (and the matching of
tracing requests to cases) compares names the way a careful case worker would:

1. **Fold** each name: transliterate any script to Latin (anyascii), drop accents, case and
   punctuation, split into words.
2. **Compare words**, each word of the query with its best partner among the record's
   first and family names, in any order (swapped names match):
   the same word scores 1; a known short or familiar form of the same name (nickname lists
   in seed_data/names/nicknames.yaml) 0.95; the same sound (Metaphone key, jellyfish) 0.9;
   the same consonant skeleton (vowels dropped, as Arabic transliterations differ in
   their vowels) 0.85; otherwise the closer of the edit-distance ratio (rapidfuzz) and the
   Jaro-Winkler similarity (jellyfish), which forgives a typo ("Perrox" for "Perrot"):
   0.9 times it from 0.86, 0.6 times it below (different names sharing letters).
3. **Score a record**: the name similarity (the mean of the query words' best scores) weighs
   70%; sex 10%, age 10% (full within a year, half within three) and place 10% (the same
   place or one inside the other) when the search gives them — a criterion left empty gives
   its weight to the name. A record is a candidate from 0.70, and results come best first,
   each with the reasons of its score.

The comparison is done in Python on every case of the space (not in SQL), so it gives the
same results on SQLite and PostgreSQL; `make bench` measures it on 10,000 cases.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jellyfish
import yaml
from anyascii import anyascii
from django.conf import settings
from rapidfuzz import fuzz

#: A record at or above this score is shown as a possible duplicate.
THRESHOLD = 0.70
WEIGHTS = {"name": 0.7, "sex": 0.1, "age": 0.1, "place": 0.1}
#: Below this edit-distance / Jaro-Winkler similarity, two words are different names.
SPELLING = 0.86

_NOT_LETTERS = re.compile(r"[^a-z ]+")
_VOWELS = re.compile(r"[aeiouyhw]")


@lru_cache(maxsize=65536)
def fold(name: str) -> tuple[str, ...]:
    """'Élise  KONÉ-Diallo' -> ('elise', 'kone', 'diallo'); 'محمد' -> ('mhmd',)."""
    text = anyascii(name or "").lower().replace("-", " ").replace("'", "").replace("`", "")
    return tuple(w for w in _NOT_LETTERS.sub(" ", text).split() if w)


@lru_cache(maxsize=65536)
def _keys(word: str) -> tuple[str, str]:
    """(Metaphone key, consonant skeleton with doubled letters collapsed)."""
    skeleton = re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", word[1:]))
    return jellyfish.metaphone(word), word[:1] + skeleton


@cache
def nicknames() -> dict[str, frozenset[str]]:
    """Every folded name -> the folded names of its groups (all languages together)."""
    path = Path(settings.SEED_DATA_DIR) / "names" / "nicknames.yaml"
    groups: dict[str, set[str]] = {}
    if path.is_file():
        for lists in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            for group in lists:
                folded = {" ".join(fold(str(name))) for name in group}
                for name in folded:
                    groups.setdefault(name, set()).update(folded)
    return {name: frozenset(same) for name, same in groups.items()}


@lru_cache(maxsize=262144)
def word_similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two folded words are (0..1), and why."""
    if a == b:
        return 1.0, "same"
    if b in nicknames().get(a, ()):
        return 0.95, "nickname"
    (meta_a, skel_a), (meta_b, skel_b) = _keys(a), _keys(b)
    if meta_a and meta_a == meta_b:
        return 0.9, "sound"
    if len(skel_a) > 1 and skel_a == skel_b:
        return 0.85, "consonants"
    typo = max(fuzz.ratio(a, b) / 100, jellyfish.jaro_winkler_similarity(a, b))
    # A typo leaves most of a name in place ("perrox" / "perrot" 0.93); two different names
    # that share letters ("zainab" / "amina" 0.82) must not pass for one.
    return (typo * 0.9 if typo >= SPELLING else typo * 0.6), "spelling"


class Record(NamedTuple):
    """What the comparison reads of a case: a plain row, cheaper than a model instance."""

    pk: int
    display_id: str
    name_first: str
    name_last: str
    sex: str
    age: int | None
    location: str


@dataclass
class Candidate:
    case: Any
    score: float
    name_score: float
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _words(record: tuple[str, ...]) -> tuple[str, ...]:
    """A record's words, and two neighbours joined when one is short (a particle or a short
    name: "abd allah" / "abdallah", "ben ali" / "benali", "srey mom" / "sreymom"), so that
    names written in one or two words meet either way."""
    joined = tuple(a + b for a, b in itertools.pairwise(record) if min(len(a), len(b)) <= 4)
    return record + joined


def name_similarity(query: tuple[str, ...],
                    record: tuple[str, ...]) -> tuple[float, list[tuple[str, str, str]]]:
    """The mean of each query word's best match among the record's words (any order), with
    the matched pairs and why: [(query word, record word, why)]."""
    if not query or not record:
        return 0.0, []
    total, pairs = 0.0, []
    for word in query:
        best, partner, why = 0.0, "", ""
        for other in _words(record):
            score, reason = word_similarity(word, other)
            if score > best:
                best, partner, why = score, other, reason
        total += best
        pairs.append((word, partner, why))
    return total / len(query), pairs


def _best_name_scores(query: tuple[str, ...], records: list[tuple[str, ...]]) -> list[float]:
    """name_similarity's score for many records at once: every distinct word is compared
    with the query's words once, then each record only looks its words up."""
    table: dict[str, list[float]] = {}
    scores = []
    for record in records:
        if not record:
            scores.append(0.0)
            continue
        best = [0.0] * len(query)
        for other in _words(record):
            row = table.get(other)
            if row is None:
                row = table[other] = [word_similarity(word, other)[0] for word in query]
            for i, score in enumerate(row):
                if score > best[i]:
                    best[i] = score
        scores.append(sum(best) / len(query))
    return scores


def rank(cases: list[Any], *, name: str = "", sex: str = "", age: int | None = None,
         place_path: str | None = None, paths: dict[str, str] | None = None,
         threshold: float = THRESHOLD) -> list[Candidate]:
    """Score `cases` (objects with name_first, name_last, sex, age, location) against what the
    worker knows; the candidates above `threshold`, best first."""
    query = fold(name)
    weights = dict(WEIGHTS)
    for key, given in (("sex", bool(sex)), ("age", age is not None), ("place", place_path is not None)):
        if not given:
            weights["name"] += weights.pop(key)
    if not query:
        # No name: age, sex and place alone decide (used to list possible matches).
        weights.pop("name")
        total = sum(weights.values()) or 1.0
        weights = {k: v / total for k, v in weights.items()}
    paths = paths or {}
    found = []
    names = [fold(f"{case.name_first} {case.name_last}") for case in cases] if query else []
    quick = _best_name_scores(query, names) if query else []
    # The most a record can add besides its name: below the threshold with it, it is out.
    others = sum(v for k, v in weights.items() if k != "name")
    for index, case in enumerate(cases):
        reasons: list[tuple[str, dict[str, Any]]] = []
        score = 0.0
        name_score = 0.0
        if query:
            if round(weights["name"] * quick[index] + others, 6) < threshold:
                continue
            name_score, pairs = name_similarity(query, names[index])
            score += weights["name"] * name_score
            for word, partner, why in pairs:
                reasons.append((why, {"asked": word, "found": partner}))
        if "sex" in weights:
            if case.sex == sex:
                score += weights["sex"]
                reasons.append(("sex", {}))
        if "age" in weights and case.age is not None and age is not None:
            gap = abs(case.age - age)
            part = 1.0 if gap <= 1 else 0.5 if gap <= 3 else 0.0
            score += weights["age"] * part
            if part:
                reasons.append(("age", {"age": case.age}))
        if "place" in weights and place_path is not None:
            path = paths.get(case.location, "")
            if path and (path == place_path or path.startswith(place_path + "/")
                         or place_path.startswith(path + "/")):
                score += weights["place"]
                reasons.append(("place", {}))
        score = round(score, 6)  # weights summed in floating point: 0.7 + 0.1 * 3 < 1
        if score >= threshold:
            found.append(Candidate(case=case, score=round(score, 3), name_score=round(name_score, 3),
                                   reasons=reasons))
    found.sort(key=lambda c: (-c.score, -c.name_score, str(getattr(c.case, "display_id", ""))))
    return found
