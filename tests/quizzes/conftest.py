"""The workshops' fixed cast, shared with the knowledge checks and certificates tests."""

from tests.workshops.conftest import cast, other_trainer, scenarios  # noqa: F401
