"""Finding real-looking personal data in text: pure functions, no database.

The sandbox holds invented data only. What looks real is flagged:

- phone numbers that a phone-number library (phonenumbers) holds valid: written in
  international form for any country, and in national form for the bundle's country;
- national ID numbers, by the patterns the bundle's country declares;
- e-mail addresses, except on the domains reserved for examples (RFC 2606/6761);
- payment card numbers (13 to 19 digits passing the Luhn check).

Invented data follows conventions that no real data can match, declared per bundle
(see `GuardSettings`): the fictional Lorendia's numbers use the calling code +000,
which no country has; Kenyan training numbers have 000 as the first three digits of
the subscriber number (0711 000 482), a block that is not assigned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
#: Domains reserved for documentation and tests: an address there is invented.
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = (".test", ".example", ".invalid", ".localhost")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")


@dataclass(frozen=True)
class Finding:
    kind: str  # phone, national_id, email, card
    masked: str  # what was found, with most characters hidden

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "masked": self.masked}


@dataclass(frozen=True)
class GuardSettings:
    """What the guard knows of a bundle's country."""

    country: str | None = None  # ISO 3166 code of a real country, or None (fictional)
    national_id_patterns: tuple[str, ...] = ()
    invented_patterns: tuple[str, ...] = ()  # numbers matching these are training ones
    compiled: dict[str, list[re.Pattern[str]]] = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> GuardSettings:
        data = data or {}
        return cls(country=data.get("country") or None,
                   national_id_patterns=tuple(data.get("national_id_patterns", ())),
                   invented_patterns=tuple(data.get("invented_patterns", ())))

    def patterns(self, which: str) -> list[re.Pattern[str]]:
        if which not in self.compiled:
            self.compiled[which] = [re.compile(p) for p in getattr(self, which)]
        return self.compiled[which]


def mask(text: str) -> str:
    """Keep the first two and last two characters: enough for a trainer to find the
    entry, too little to be the data itself."""
    text = text.strip()
    if len(text) <= 4:
        return "•" * len(text)
    return text[:2] + "".join("•" if c.isalnum() else c for c in text[2:-2]) + text[-2:]


def _invented(text: str, guard: GuardSettings) -> bool:
    return any(p.search(text) for p in guard.patterns("invented_patterns"))


def phones(text: str, guard: GuardSettings) -> list[Finding]:
    found: list[Finding] = []
    # Region None matches only numbers written with their country code (+254 ...).
    for region in dict.fromkeys([guard.country, None]):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if _invented(match.raw_string, guard):
                continue
            finding = Finding("phone", mask(match.raw_string))
            if finding not in found:
                found.append(finding)
    return found


def national_ids(text: str, guard: GuardSettings) -> list[Finding]:
    return [Finding("national_id", mask(m.group(0)))
            for p in guard.patterns("national_id_patterns") for m in p.finditer(text)
            if not _invented(m.group(0), guard)]


def emails(text: str) -> list[Finding]:
    found = []
    for match in EMAIL.finditer(text):
        domain = match.group(1).lower()
        if domain in RESERVED_DOMAINS or domain.endswith(RESERVED_DOMAINS) \
                or domain.endswith(RESERVED_TLDS):
            continue
        found.append(Finding("email", mask(match.group(0))))
    return found


def luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def cards(text: str) -> list[Finding]:
    found = []
    for match in CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        # All-same digits and the zero blocks of invented numbers pass Luhn by chance.
        if 13 <= len(digits) <= 19 and luhn(digits) and len(set(digits)) > 1 and digits[0] != "0":
            found.append(Finding("card", mask(match.group(0))))
    return found


def scan_text(text: str, guard: GuardSettings) -> list[Finding]:
    if not text or len(text) < 5:
        return []
    return [*phones(text, guard), *national_ids(text, guard), *emails(text), *cards(text)]


def scan(values: Any, guard: GuardSettings) -> dict[str, list[Finding]]:
    """Every string in a (nested) value, scanned: {path: findings} for those with any."""
    result: dict[str, list[Finding]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str):
            found = scan_text(value, guard)
            if found:
                result[path] = found
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(values, "")
    return result
