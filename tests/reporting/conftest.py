"""The case system's world (tests/cases/conftest.py) for the tests of exports."""

from tests.cases.conftest import world  # noqa: F401
