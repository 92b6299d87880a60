"""Write docs/reference/actions.md from sandbox/common/actions.py (run: make docs-actions)."""

from pathlib import Path

from sandbox.common.actions import ACTIONS

HEADER = """# Action names

Every action in the case system has a name. The names appear in the event log,
in the `permissions` of roles in configuration bundles, and in scenario files. They
are a contract: names are added, never renamed or removed. The list lives in
`sandbox/common/actions.py`; a test keeps this page in step with it.

Names marked *permission only* grant a permission and never appear as events.

| action | what it does |
|---|---|
"""


def main() -> None:
    rows = [
        f"| `{a.name}` | {a.summary}{' *(permission only)*' if a.permission_only else ''} |"
        for a in ACTIONS
    ]
    target = Path(__file__).resolve().parent.parent / "docs" / "reference" / "actions.md"
    target.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
