"""Fail when a shipped language has an untranslated or fuzzy UI string, or no catalogue.

Usage: python -m sandbox.common.check_messages locale [LANGUAGE...]
The languages are those the interface ships (the Makefile passes them: fr ar es sw km);
without them, every catalogue found under `locale`. Prints `PATH:LINE: message` for
each gap, naming the language, and exits with status 1 if there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po


def problems_in(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    found = []
    language = po_path.parts[-3] if len(po_path.parts) >= 3 else "?"
    if catalog.fuzzy:
        found.append(f"{po_path}:1: [{language}] the catalog header is marked fuzzy, "
                     "so it would not be compiled")
    for message in catalog:
        if not message.id:
            continue
        line = message.lineno or 1
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            found.append(f"{po_path}:{line}: [{language}] fuzzy translation of {msgid!r}")
        elif isinstance(message.string, tuple | list):
            if not all(message.string):
                found.append(f"{po_path}:{line}: [{language}] untranslated plural {msgid!r}")
        elif not message.string:
            found.append(f"{po_path}:{line}: [{language}] untranslated {msgid!r}")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "locale")
    required = argv[2:]
    catalogs = sorted(root.glob("*/LC_MESSAGES/django.po"))
    shipped = [c for c in catalogs if c.parts[-3] != "en" and (not required or c.parts[-3] in required)]
    problems = [f"{root / lang / 'LC_MESSAGES' / 'django.po'}:1: [{lang}] no catalogue for a shipped language"
                for lang in required if not (root / lang / "LC_MESSAGES" / "django.po").is_file()]
    if not shipped and not problems:
        print(f"{root}:1: no translation catalogs found", file=sys.stderr)
        return 1
    problems += [p for catalog in shipped for p in problems_in(catalog)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} translation gap(s): untranslated, fuzzy or missing catalogues",
              file=sys.stderr)
        return 1
    print(f"Translations complete: {', '.join(c.parts[-3] for c in shipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
