"""Synthetic people and form values, from Faker in the scenario's locale.

factory_boy factories, shared with the tests. Every value comes from the
`faker` and `rng` passed in, both seeded by the scenario's seed, so that the
same scenario and seed give the same world, field for field.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from pathlib import Path
from typing import Any

import factory
import yaml
from faker import Faker
from faker.config import AVAILABLE_LOCALES
from faker.providers import BaseProvider

from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef

#: Small lists of names and places for the languages Faker lacks or knows only in part
#: (seed_data/names/<language>.yaml).
NAME_LISTS = Path(__file__).resolve().parents[2] / "seed_data" / "names"


@cache
def name_list(locale: str) -> dict[str, list[str]] | None:
    """The shipped list for a locale ("km_KH" -> km.yaml), or None when there is none."""
    for name in (locale, locale.split("_")[0]):
        path = NAME_LISTS / f"{name}.yaml"
        if path.is_file():
            return yaml.safe_load(path.read_text(encoding="utf-8"))
    return None


class ListProvider(BaseProvider):
    """Names and places drawn from a shipped list, with the Faker's own seeded random."""

    def __init__(self, generator: Any, lists: dict[str, list[str]]) -> None:
        super().__init__(generator)
        self.lists = lists

    def first_name_female(self) -> str:
        return self.random_element(self.lists["first_names_female"])

    def first_name_male(self) -> str:
        return self.random_element(self.lists["first_names_male"])

    def first_name(self) -> str:
        return self.random_element(self.lists["first_names_female"] + self.lists["first_names_male"])

    def last_name(self) -> str:
        return self.random_element(self.lists["last_names"])

    def city(self) -> str:
        return self.random_element(self.lists["places"])


def seeded(locale: str, seed: int) -> tuple[Faker, random.Random]:
    """A Faker for the scenario's `names_locale`: Faker's own locale when it has it, with
    the names and places of a shipped list on top where there is one (Khmer, Swahili)."""
    lists = name_list(locale)
    if locale in AVAILABLE_LOCALES:
        faker = Faker(locale)
    elif lists is not None:
        faker = Faker("en_US")  # sentences and numbers only: names come from the list
    else:
        raise ValueError(f"names_locale '{locale}': Faker has no such locale and "
                         f"seed_data/names/ has no list for it")
    if lists is not None:
        faker.add_provider(ListProvider(faker, lists))
    faker.seed_instance(seed)
    return faker, random.Random(seed)


class ChildFactory(factory.DictFactory):
    """A synthetic child: names fitting the locale, sex, age and date of birth."""

    class Params:
        faker: Faker = None
        rng: random.Random = None
        today: dt.date = dt.date(2026, 3, 2)

    sex = factory.LazyAttribute(lambda o: o.rng.choice(["female", "male"]))
    age = factory.LazyAttribute(lambda o: o.rng.randint(2, 17))
    name_first = factory.LazyAttribute(
        lambda o: o.faker.first_name_female() if o.sex == "female" else o.faker.first_name_male())
    name_last = factory.LazyAttribute(lambda o: o.faker.last_name())
    date_of_birth = factory.LazyAttribute(
        lambda o: (o.today - dt.timedelta(days=365 * o.age + o.rng.randint(0, 364))).isoformat())


class CaregiverFactory(factory.DictFactory):
    class Params:
        faker: Faker = None
        rng: random.Random = None
        last_name: str = ""

    name = factory.LazyAttribute(
        lambda o: f"{o.faker.first_name_female()} {o.last_name or o.faker.last_name()}")
    phone = factory.LazyAttribute(lambda o: o.faker.numerify("+000 ## ### ####"))


def option_for(field: FieldDef, config: BundleConfig, rng: random.Random) -> str:
    return rng.choice(list(config.lookups[field.lookup or ""].options))


def value_for(field: FieldDef, config: BundleConfig, faker: Faker, rng: random.Random,
              today: dt.date) -> Any:
    """A plausible value for a configured field, whatever the bundle."""
    kind = field.type
    if kind == "text":
        return faker.sentence(nb_words=3).rstrip(".")
    if kind == "textarea":
        return faker.paragraph(nb_sentences=2)
    if kind in ("select", "radio"):
        return option_for(field, config, rng)
    if kind == "multi_select":
        options = list(config.lookups[field.lookup or ""].options)
        return rng.sample(options, k=min(len(options), rng.randint(1, 2)))
    if kind == "tick_box":
        return rng.random() < 0.5
    if kind == "number":
        low = field.min_value if field.min_value is not None else 0
        high = field.max_value if field.max_value is not None else low + 10
        return rng.randint(low, high)
    if kind == "date":
        return (today - dt.timedelta(days=rng.randint(0, 5))).isoformat()
    if kind == "location":
        return location_for(field, config, rng)
    if kind == "subform":
        return [{c.code: value_for(c, config, faker, rng, today)
                 for c in field.columns if c.required}]
    raise ValueError(kind)


def location_for(field: FieldDef | None, config: BundleConfig, rng: random.Random) -> str:
    level = field.admin_level if field and field.admin_level is not None else max(
        loc.admin_level for loc in config.locations.values())
    codes = sorted(code for code, loc in config.locations.items() if loc.admin_level == level)
    return rng.choice(codes)


def fill_required(module: ModuleDef, config: BundleConfig, step: str, given: dict[str, Any],
                  faker: Faker, rng: random.Random, today: dt.date) -> dict[str, Any]:
    """The given values plus a value for every required, visible field of the step."""
    from sandbox.cases.formdata import is_visible

    values = dict(given)
    for section in module.sections:
        if section.step != step:
            continue
        for field in section.fields:
            if field.code in values or not field.required:
                continue
            if is_visible(field, values):
                values[field.code] = value_for(field, config, faker, rng, today)
    return values
