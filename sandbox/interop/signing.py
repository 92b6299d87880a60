"""Signing and checking messages between systems: HMAC-SHA256 over the timestamp and the body.

The signature covers `<timestamp>.<body>` with the secret shared with the partner, so
a captured body cannot be replayed with a new timestamp; the receiver refuses a
timestamp further than `WINDOW` from its own clock (real time) and compares
signatures in constant time. Pure functions: no database, no Django.
"""

from __future__ import annotations

import hashlib
import hmac
import time

#: How far the sender's timestamp may be from the receiver's clock, in seconds.
WINDOW = 300

HEADER_PARTNER = "X-Interop-Partner"
HEADER_TIMESTAMP = "X-Interop-Timestamp"
HEADER_SIGNATURE = "X-Interop-Signature"
HEADER_KEY = "Idempotency-Key"
PREFIX = "sha256="


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return PREFIX + mac.hexdigest()


def sign(secret: str, body: bytes, *, partner: str, key: str,
         now: float | None = None) -> dict[str, str]:
    """The headers of a signed message."""
    timestamp = str(int(time.time() if now is None else now))
    return {"Content-Type": "application/json", HEADER_PARTNER: partner,
            HEADER_TIMESTAMP: timestamp, HEADER_SIGNATURE: signature(secret, timestamp, body),
            HEADER_KEY: key}


class BadSignature(Exception):
    """Why a message is refused: `code` for programs, the text for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def verify(secret: str, body: bytes, timestamp: str | None, given: str | None, *,
           now: float | None = None, window: int = WINDOW) -> None:
    """Raise BadSignature unless `given` signs `body` at `timestamp`, within the window."""
    if not timestamp or not given:
        raise BadSignature("signature_missing", "The message is not signed.")
    try:
        stamp = int(timestamp)
    except ValueError:
        raise BadSignature("timestamp_invalid", "The timestamp is not a number of seconds.") from None
    current = time.time() if now is None else now
    if abs(current - stamp) > window:
        raise BadSignature("timestamp_stale",
                           f"The timestamp is more than {window} seconds from the receiver's clock.")
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), given.encode()):
        raise BadSignature("signature_invalid", "The signature does not match the message.")
