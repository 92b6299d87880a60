"""The documentation stays in step with the code."""

from __future__ import annotations

from django.conf import settings

from sandbox.common.actions import ACTIONS


def test_every_action_name_is_published() -> None:
    page = (settings.BASE_DIR / "docs" / "reference" / "actions.md").read_text(encoding="utf-8")
    for action in ACTIONS:
        assert f"| `{action.name}` |" in page, action.name
