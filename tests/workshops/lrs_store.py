"""A real learning record store for the tests: ralph (the open-source LRS) on loopback.

Ralph's API (`ralph.api:app`, what `ralph runserver -b fs` serves) with its file system
backend keeps the statements in a file of a temporary folder and checks each statement
it is given against the xAPI specification; the sandbox talks to it with HTTP basic
auth, as it would to a store on the network. One change to the development backend:
it writes its file once ("already exists and overwrite is not allowed" at the second
POST), so here it appends, as a store does. The server runs in one process, without
the reloader `runserver` starts, so that stopping it stops everything.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b64encode
from pathlib import Path
from typing import Any

import bcrypt

USERNAME = "sandbox"
PASSWORD = "lrs-secret-123"


SERVER = """
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RalphStore:
    """A ralph LRS on 127.0.0.1:`port`, started and stopped by the test."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)
        digest = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        (folder / "auth.json").write_text(json.dumps([{
            "agent": {"mbox": "mailto:lrs@example.org"}, "scopes": ["all"],
            "hash": digest, "username": USERNAME}]))

    @property
    def url(self) -> str:
        """What LRS_URL is set to: the store's xAPI address."""
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        env = {**os.environ, "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
               "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder)}
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port)],
            cwd=self.folder, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__",
                                            timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("ralph did not start: " + (self.folder / "ralph.log").read_text()[-2000:])

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.process = None

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the store holds, read back with GET /statements (page by page)."""
        found: list[dict[str, Any]] = []
        path = "/xAPI/statements?limit=100"
        while path:
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={
                "X-Experience-API-Version": "1.0.3",
                "Authorization": "Basic " + b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()})
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.loads(response.read())
            found.extend(page["statements"])
            path = page.get("more") or ""
        return found
