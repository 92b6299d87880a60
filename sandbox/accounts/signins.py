"""The sign-in log: who signed in, when, from where and how, and who failed to.

Every sign-in through the login page, the administration's login or the API's token
endpoint writes one row, and so does every failed attempt: the username that was
typed, never the password. Writing it is one INSERT and nothing read, so it costs a
sign-in nothing noticeable.

Administrators read the whole log in the administration; supervisors and managers
read the rows of the people of their space whose cases they oversee (`signins_for`).
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import SignIn, User


def _via(request: HttpRequest | None) -> str:
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return SignIn.Via.API
    if path.startswith("/admin/"):
        return SignIn.Via.ADMIN
    return SignIn.Via.PAGE if request is not None else SignIn.Via.OTHER


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    # The address django-axes throttles on: the same proxy settings apply.
    return get_client_ip_address(request) or None


def record_sign_in(request: HttpRequest | None, *, username: str, user: User | None,
                   succeeded: bool) -> None:
    """One INSERT. `username` is what was typed; the password is never passed here."""
    SignIn.objects.create(user=user if succeeded else None, username=(username or "")[:150],
                          succeeded=succeeded, via=_via(request), ip_address=_ip(request))


def signed_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    record_sign_in(request, username=user.get_username(), user=user, succeeded=True)


def sign_in_failed(sender: object, credentials: dict[str, object], request: HttpRequest | None = None,
                   **kwargs: object) -> None:
    # Django has already masked the password in `credentials`; only the username is kept.
    record_sign_in(request, username=str(credentials.get("username") or ""), user=None,
                   succeeded=False)
