"""Fail when a shipped language has an untranslated or fuzzy UI string.

Usage: python -m sandbox.common.check_messages locale
Prints `PATH:LINE: message` for each gap and exits with status 1 if there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po


def problems_in(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    found = []
    if catalog.fuzzy:
        found.append(f"{po_path}:1: the catalog header is marked fuzzy, so it would not be compiled")
    for message in catalog:
        if not message.id:
            continue
        line = message.lineno or 1
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            found.append(f"{po_path}:{line}: fuzzy translation of {msgid!r}")
        elif isinstance(message.string, tuple | list):
            if not all(message.string):
                found.append(f"{po_path}:{line}: untranslated plural {msgid!r}")
        elif not message.string:
            found.append(f"{po_path}:{line}: untranslated {msgid!r}")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "locale")
    catalogs = sorted(root.glob("*/LC_MESSAGES/django.po"))
    shipped = [c for c in catalogs if c.parts[-3] != "en"]
    if not shipped:
        print(f"{root}:1: no translation catalogs found", file=sys.stderr)
        return 1
    problems = [p for catalog in shipped for p in problems_in(catalog)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} untranslated or fuzzy string(s)", file=sys.stderr)
        return 1
    print(f"Translations complete: {', '.join(c.parts[-3] for c in shipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
