"""Fill translations into a gettext catalogue from a JSON file {msgid: translation}.

Usage: python scripts/fill_translations.py locale/fr/LC_MESSAGES/django.po fr.json
Plural entries take a list of forms; an entry with a context is keyed
"context\x04msgid". Prints, as JSON, the msgids still untranslated.
Uses Babel's catalogue reader and writer, so the file stays a valid .po file.
"""

from __future__ import annotations

import json
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, table_path: str) -> None:
    with open(table_path, encoding="utf-8") as handle:
        table = json.load(handle)
    language = po_path.split("/")[-3]
    with open(po_path, "rb") as handle:
        catalog = read_po(handle, locale=language)
    catalog.fuzzy = False
    catalog.project, catalog.version = "cp-training-sandbox", "1.0"
    left = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.context:
            # A message with a context is keyed "context\x04msgid", as gettext stores it.
            key = f"{message.context}\x04{key}"
        if key in table:
            value = table[key]
            if isinstance(message.id, tuple | list):
                forms = value if isinstance(value, list) else [value]
                n = catalog.num_plurals
                message.string = tuple((forms + [forms[-1]] * n)[:n])
            else:
                message.string = value
            message.flags.discard("fuzzy")
        elif not message.string or message.fuzzy:
            left.append(key)
    with open(po_path, "wb") as handle:
        write_po(handle, catalog, width=100, no_location=True)
    print(json.dumps(left, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
