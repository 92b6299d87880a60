"""Errors the sandbox raises on purpose, with a stable code for machines."""

from __future__ import annotations

from typing import Any


class SandboxError(Exception):
    """An error meant for the user: a message, a code and an HTTP status."""

    code = "error"
    status = 400

    def __init__(self, message: Any, *, code: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class ValidationFailed(SandboxError):
    code = "invalid"
    status = 400


class NotAllowed(SandboxError):
    code = "forbidden"
    status = 403


class NotFound(SandboxError):
    code = "not_found"
    status = 404


class Conflict(SandboxError):
    code = "conflict"
    status = 409
