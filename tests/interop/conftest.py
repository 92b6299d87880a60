"""A space with a partner system, and a partner's server on loopback (http.server in a thread)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sandbox.interop import signing
from sandbox.interop.models import Partner
from sandbox.interop.services import partner_add
from tests.cases.conftest import World, world  # noqa: F401
from tests.factories import MemberFactory

SECRET = "a-secret-shared-with-the-partner"


@dataclass
class Receiver:
    """What a partner's server got: every request, and the messages it kept (once per key)."""

    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Statuses to answer the next requests with (then 200).
    fail_with: list[int] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/referrals"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k: v for k, v in self.headers.items()}
                receiver.requests.append({"headers": headers, "body": body})
                valid = True
                try:
                    signing.verify(SECRET, body, headers.get(signing.HEADER_TIMESTAMP),
                                   headers.get(signing.HEADER_SIGNATURE))
                except signing.BadSignature:
                    valid = False
                status = receiver.fail_with.pop(0) if receiver.fail_with else (200 if valid else 401)
                if valid:
                    # Kept once per idempotency key, even when the answer is an error (lost).
                    receiver.kept.setdefault(headers[signing.HEADER_KEY], json.loads(body))
                answer = json.dumps({"received": valid}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(port=free_port())
    yield found
    found.stop()


@pytest.fixture
def partner(world: World, receiver: Receiver) -> Partner:  # noqa: F811
    """Children First International's own system, reached at the loopback receiver."""
    account = MemberFactory(space=world.space, role="service_provider", agency="cfi",
                            user_groups=[], name="CFI intake", is_simulated=True, user=None)
    return partner_add(space=world.space, code="cfi-tool", name="CFI case tool", agency="cfi",
                       member=account, url=receiver.url, secret=SECRET, receiver=world.worker)
