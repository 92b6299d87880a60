"""The case system's test world, for the guard's tests in the write path."""

from tests.cases.conftest import world  # noqa: F401  (a fixture)
