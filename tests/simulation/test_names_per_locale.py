"""Synthetic names and places per locale: Faker where it has the locale, the shipped lists
of seed_data/names/ where it does not (Khmer) or lacks places (Swahili)."""

from __future__ import annotations

import re

import pytest

from sandbox.simulation.factories import ChildFactory, name_list, seeded

KHMER = re.compile(r"^[\u1780-\u17FF]+$")


def test_khmer_names_come_from_the_shipped_list_in_khmer_script() -> None:
    faker, rng = seeded("km_KH", 11)
    lists = name_list("km_KH")
    assert lists is not None
    children = [ChildFactory(faker=faker, rng=rng) for _ in range(8)]
    for child in children:
        assert KHMER.match(child["name_first"]) and KHMER.match(child["name_last"])
        expected = lists["first_names_female" if child["sex"] == "female" else "first_names_male"]
        assert child["name_first"] in expected and child["name_last"] in lists["last_names"]
    assert faker.city() in lists["places"]


def test_swahili_uses_faker_with_kenyan_places_on_top() -> None:
    faker, _rng = seeded("sw_KE", 3)
    lists = name_list("sw")
    assert lists is not None and faker.city() in lists["places"]
    assert faker.last_name() in lists["last_names"]


@pytest.mark.parametrize("locale", ["fr_FR", "es_MX", "ar_AA", "en_KE"])
def test_faker_locales_are_used_as_they_are(locale: str) -> None:
    assert name_list(locale) is None
    faker, _rng = seeded(locale, 5)
    assert faker.first_name_female()


def test_the_same_seed_gives_the_same_names() -> None:
    first = [ChildFactory(faker=f, rng=r) for f, r in [seeded("km_KH", 42)] for _ in range(3)]
    again = [ChildFactory(faker=f, rng=r) for f, r in [seeded("km_KH", 42)] for _ in range(3)]
    assert first == again


def test_an_unknown_locale_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="names_locale 'xx_YY': Faker has no such locale"):
        seeded("xx_YY", 1)
