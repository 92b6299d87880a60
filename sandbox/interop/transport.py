"""How a signed message travels: over HTTP (urllib), or through the sandbox's own WSGI
handler when no server runs (`check_scenarios`).

In process, a message to the sandbox's own address (a simulated partner, or the space's
inbound endpoint) goes through the same URL routing, middleware and views as over the
network; what differs is only that no socket is opened and the request runs in the
caller's thread and database transaction. `in_process()` switches it on.
"""

from __future__ import annotations

import contextlib
import contextvars
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT = 10

_in_process: contextvars.ContextVar[bool] = contextvars.ContextVar("interop_in_process", default=False)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Unreachable(Exception):
    """The receiver could not be reached (refused, timed out, name unknown...)."""


@contextlib.contextmanager
def in_process() -> Iterator[None]:
    token = _in_process.set(True)
    try:
        yield
    finally:
        _in_process.reset(token)


def is_in_process() -> bool:
    return _in_process.get()


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST the body; raise Unreachable on network errors (an HTTP error is an Answer)."""
    site = settings.SITE_URL.rstrip("/")
    if is_in_process() and url.startswith(site + "/"):
        return _wsgi_post(url[len(site):], body, headers)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return Answer(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, dict(exc.headers.items()), exc.read())
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(str(getattr(exc, "reason", exc))) from exc


def _wsgi_post(path: str, body: bytes, headers: dict[str, str]) -> Answer:
    from django.test import Client

    site = urlsplit(settings.SITE_URL)
    client = Client(HTTP_HOST=site.netloc)
    extra = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    # secure: behind HTTPS, production settings redirect plain requests.
    response = client.post(path, data=body, content_type="application/json", headers=extra,
                           secure=site.scheme == "https")
    return Answer(response.status_code, dict(response.items()), response.content)
