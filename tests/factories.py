"""factory_boy factories shared by the tests (and, later, by the scenario engine)."""

from __future__ import annotations

import factory

from sandbox.accounts.models import User
from sandbox.spaces.models import Member, Space
from sandbox.spaces.services import DEFAULT_START


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    kind = User.Kind.TRAINEE
    password = factory.django.Password("pw-test-123")


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    slug = factory.Sequence(lambda n: f"space-{n}")
    title = factory.Sequence(lambda n: f"Practice space {n}")
    bundle = factory.LazyFunction(lambda: __import__(
        "sandbox.configuration.models", fromlist=["Bundle"]).Bundle.objects.get(code="default"))
    module = "cp"
    clock = DEFAULT_START


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    space = factory.SubFactory(SpaceFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda m: m.user.display_name if m.user else "Simulated")
    role = "caseworker"
    agency = "dsw"
    user_groups = factory.LazyFunction(lambda: ["dsw_north"])
