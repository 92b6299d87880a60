"""The case system's world, for the Help link of its pages."""

from tests.cases.conftest import world  # noqa: F401
