"""The case system's world (one space and its cast), with a helper for tracing requests."""

from __future__ import annotations

from typing import Any

from tests.cases.conftest import World, registration_data, world  # noqa: F401 (fixtures)


def request_data(**overrides: Any) -> dict[str, Any]:
    """An aunt looking for her niece, separated at the market a week before she was found."""
    data = {
        "inquirer_name": "Halima Diallo", "inquirer_relationship": "Aunt",
        "inquirer_contact": "+000 555 0101", "name_first": "Aminah", "name_last": "Dialo",
        "sex": "female", "age_from": 10, "age_to": 12, "separation_date": "2026-02-22",
        "separation_place": "LR0101", "description": "Thin, a scar on the left hand.",
        "circumstances": "Lost in the crowd when the market was attacked.",
    }
    data.update(overrides)
    return data
