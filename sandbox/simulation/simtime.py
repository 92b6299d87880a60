"""Simulated times and durations as scenario files write them."""

from __future__ import annotations

import datetime as dt
import re

_OFFSET = re.compile(r"^(?P<sign>[+-])(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?$")
_DURATION = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?$")
_DAY = re.compile(r"^day (?P<day>\d+) (?P<hh>\d\d):(?P<mm>\d\d)$")


def parse_duration(text: str) -> dt.timedelta:
    match = _DURATION.match(text or "")
    if not match or not any(match.groupdict().values()):
        raise ValueError(f"invalid duration {text!r} (e.g. 2h, 1d, 1d4h, 30m)")
    return dt.timedelta(days=int(match["d"] or 0), hours=int(match["h"] or 0),
                        minutes=int(match["m"] or 0))


def resolve(text: str, start: dt.datetime) -> dt.datetime:
    """A scenario time ("day 2 09:00", "+2h", "-3d") as a datetime, from the start."""
    day = _DAY.match(text)
    if day:
        base = start.replace(hour=0, minute=0, second=0, microsecond=0)
        return base + dt.timedelta(days=int(day["day"]) - 1, hours=int(day["hh"]),
                                   minutes=int(day["mm"]))
    match = _OFFSET.match(text)
    if not match or not any(match[g] for g in ("d", "h", "m")):
        raise ValueError(f"invalid time {text!r} (e.g. 'day 2 09:00', '+2h', '-3d')")
    delta = dt.timedelta(days=int(match["d"] or 0), hours=int(match["h"] or 0),
                         minutes=int(match["m"] or 0))
    return start + delta if match["sign"] == "+" else start - delta


def parse_start(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
