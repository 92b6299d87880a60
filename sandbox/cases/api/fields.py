"""Serializer fields of the case API."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class NamedEnum:
    """A field whose values are the codes of a `TextChoices`, documented as a named enum.

    drf-spectacular names enums after field names, and several records have a
    `status` with different values; naming each set after its choices avoids that.
    """

    def __init__(self, enum: type[models.TextChoices], *args: Any, **kwargs: Any) -> None:
        self.enum = enum
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


class EnumCode(NamedEnum, serializers.CharField):
    """A read-only code of an answer."""

    def __init__(self, enum: type[models.TextChoices], **kwargs: Any) -> None:
        super().__init__(enum, read_only=True, **kwargs)


class EnumChoice(NamedEnum, serializers.ChoiceField):
    """A code in a request body, one of `choices`."""

    def __init__(self, enum: type[models.TextChoices], **kwargs: Any) -> None:
        super().__init__(enum, choices=enum.choices, **kwargs)


class NamedEnumExtension(OpenApiSerializerFieldExtension):
    target_class = NamedEnum
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        choices = self.target.enum
        # The case's `Status` is the one set without a prefix; "StatusEnum" would say too little.
        name = {"Status": "CaseStatus"}.get(choices.__name__, choices.__name__)
        component = ResolvedComponent(name=f"{name}Enum", type=ResolvedComponent.SCHEMA,
                                      object=choices,
                                      schema={"type": "string", "enum": list(choices.values)})
        auto_schema.registry.register_on_missing(component)
        return component.ref
