"""Synthetic people and form values, from Faker in the scenario's locale.

factory_boy factories, shared with the tests. Every value comes from the
`faker` and `rng` passed in, both seeded by the scenario's seed, so that the
same scenario and seed give the same world, field for field.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import factory
from faker import Faker

from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef


def seeded(locale: str, seed: int) -> tuple[Faker, random.Random]:
    faker = Faker(locale)
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
