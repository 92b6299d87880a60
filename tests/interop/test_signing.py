"""Signing is pure: no database."""

from __future__ import annotations

import pytest

from sandbox.interop import signing

BODY = b'{"type": "status"}'


def check(body: bytes, headers: dict[str, str], *, secret: str = "s3cret", now: float = 1_000_000) -> None:
    signing.verify(secret, body, headers[signing.HEADER_TIMESTAMP], headers[signing.HEADER_SIGNATURE],
                   now=now)


def test_a_signed_message_verifies() -> None:
    headers = signing.sign("s3cret", BODY, partner="p", key="k", now=1_000_000)
    assert headers[signing.HEADER_SIGNATURE].startswith("sha256=")
    check(BODY, headers)
    check(BODY, headers, now=1_000_000 + signing.WINDOW)


@pytest.mark.parametrize(("change", "code"), [
    ({"body": BODY + b" "}, "signature_invalid"),
    ({"secret": "other"}, "signature_invalid"),
    ({"now": 1_000_000 + signing.WINDOW + 1}, "timestamp_stale"),
    ({"now": 1_000_000 - signing.WINDOW - 1}, "timestamp_stale"),
])
def test_a_changed_body_secret_or_time_is_refused(change: dict[str, object], code: str) -> None:
    headers = signing.sign("s3cret", BODY, partner="p", key="k", now=1_000_000)
    with pytest.raises(signing.BadSignature) as refused:
        check(change.get("body", BODY), headers, secret=str(change.get("secret", "s3cret")),  # type: ignore[arg-type]
              now=float(change.get("now", 1_000_000)))  # type: ignore[arg-type]
    assert refused.value.code == code


def test_a_new_timestamp_on_an_old_signature_is_refused() -> None:
    headers = signing.sign("s3cret", BODY, partner="p", key="k", now=1_000_000)
    headers[signing.HEADER_TIMESTAMP] = "1000100"
    with pytest.raises(signing.BadSignature) as refused:
        check(BODY, headers, now=1_000_100)
    assert refused.value.code == "signature_invalid"


@pytest.mark.parametrize(("stamp", "given", "code"), [
    ("", "sha256=00", "signature_missing"), ("1000000", "", "signature_missing"),
    ("soon", "sha256=00", "timestamp_invalid"),
])
def test_missing_or_malformed_headers(stamp: str, given: str, code: str) -> None:
    with pytest.raises(signing.BadSignature) as refused:
        signing.verify("s3cret", BODY, stamp, given, now=1_000_000)
    assert refused.value.code == code


@pytest.mark.parametrize("kind", ["referral", "status"])
def test_published_schemas_are_up_to_date(kind: str) -> None:
    from pathlib import Path

    from django.conf import settings

    from sandbox.interop.messages import render

    path = Path(settings.BASE_DIR) / "docs" / "reference" / f"interop-{kind}.schema.json"
    assert path.read_text(encoding="utf-8") == render(kind), (
        f"{path} is stale: run DJANGO_SETTINGS_MODULE=sandbox.settings.test .venv/bin/python -m "
        "sandbox.interop.messages docs/reference")
