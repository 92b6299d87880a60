"""Translated texts and option lists as Primero stores them, and the import context.

Primero spells one translated property several ways: `display_name_i18n: {en:
..., es: ...}` (the database and the JSON export), `display_name_en:` /
`display_name_es:` (seed files), or a plain `name:` (roles, user groups, not
translated at all). `texts()` reads all of them into one `{language: text}` map;
a plain string is stored under `ANY` ("the same text in every language", which
is how Primero shows it) and expanded when the bundle is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..report import ImportReport
from .values import Arr, Obj

ANY = "*"
LANGUAGE = r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?"
Text = dict[str, str]


def texts(obj: Obj, prop: str) -> Text:
    """Every translation of `prop` on `obj` (empty when there is none)."""
    out: Text = {}
    plain = obj.get(prop)
    if isinstance(plain, str) and plain.strip():
        out[ANY] = plain
    elif isinstance(plain, dict):
        out.update({str(k): v for k, v in plain.items() if isinstance(v, str) and v.strip()})
    i18n = obj.get(f"{prop}_i18n")
    if isinstance(i18n, dict):
        out.update({str(k): v for k, v in i18n.items() if isinstance(v, str) and v.strip()})
    pattern = re.compile(rf"^{re.escape(prop)}_({LANGUAGE})$")
    for key, value in obj.items():
        match = pattern.match(key)
        if match and isinstance(value, str) and value.strip():
            out[match.group(1).replace("_", "-")] = value
    if ANY in out and len(out) > 1:
        # A plain value next to translations is the default locale's text.
        out.setdefault("en", out[ANY])
        del out[ANY]
    return out


@dataclass
class Option:
    id: str
    label: Text
    line: int
    disabled: bool = False


def options(obj: Obj, prop: str) -> list[Option]:
    """The options of `prop` (`lookup_values`, `option_strings_text`) in every language."""
    found: dict[str, Option] = {}

    def add(value: Any, lang: str | None, line: int) -> None:
        if isinstance(value, Obj):
            raw_id = value.get("id")
            if raw_id is None:
                return
            option_id = str(raw_id).lower() if isinstance(raw_id, bool) else str(raw_id)
            text = value.get("display_text")
            labels: Text = {}
            if isinstance(text, dict):
                labels = {str(k): v for k, v in text.items() if isinstance(v, str) and v.strip()}
            elif isinstance(text, str) and text.strip():
                labels = {lang or ANY: text}
            option = found.setdefault(option_id, Option(option_id, {}, value.line))
            option.label.update(labels)
            option.disabled = option.disabled or value.get("disabled") is True
        elif isinstance(value, str) and value.strip():  # old style: one option per line
            for text in value.splitlines():
                if text.strip():
                    option = found.setdefault(text.strip(), Option(text.strip(), {}, line))
                    option.label[lang or ANY] = text.strip()

    pattern = re.compile(rf"^{re.escape(prop)}(?:_(i18n|{LANGUAGE}))?$")
    for key, value in obj.items():
        match = pattern.match(key)
        if not match:
            continue
        lang = None if match.group(1) in (None, "i18n") else match.group(1).replace("_", "-")
        if isinstance(value, Arr):
            for index, item in enumerate(value):
                add(item, lang, value.line_of(index))
        elif isinstance(value, str):
            add(value, lang, obj.line_of(key))
    for option in found.values():
        if ANY in option.label and len(option.label) > 1:
            option.label.setdefault("en", option.label.pop(ANY))
            option.label.pop(ANY, None)
    return list(found.values())


def has_options(obj: Obj, prop: str) -> bool:
    pattern = re.compile(rf"^{re.escape(prop)}(?:_(i18n|{LANGUAGE}))?$")
    return any(pattern.match(key) and value for key, value in obj.items())


@dataclass
class Context:
    """What the converter knows while it works: the report and every text it produced."""

    report: ImportReport
    #: Every translated text that goes into the bundle (for coverage and languages).
    all_texts: list[Text] = field(default_factory=list)

    def text(self, value: Text) -> Text:
        self.all_texts.append(value)
        return value

    def add(self, group: str, path: str, line: int, message: str) -> None:
        self.report.add(group, path, line, message)

    def languages_found(self) -> list[str]:
        found = {lang for text in self.all_texts for lang in text if lang != ANY}
        ordered = sorted(found)
        if "en" in found:
            ordered.remove("en")
            ordered.insert(0, "en")
        return ordered or ["en"]


def first_text(text: Text) -> str:
    return text.get("en") or text.get(ANY) or next(iter(text.values()), "")
