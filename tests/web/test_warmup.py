"""A web process readies itself before its first request (sandbox.wsgi calls `warm`)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import trans_real

from sandbox.web.warmup import warm


def test_warm_loads_every_language_and_compiles_every_template() -> None:
    trans_real._translations.clear()
    seconds = warm()
    assert seconds > 0
    assert {code for code, _name in settings.LANGUAGES} <= set(trans_real._translations)


def test_the_wsgi_module_warms_the_process(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc
    import importlib
    import sys

    called: list[bool] = []
    monkeypatch.setattr("sandbox.web.warmup.warm", lambda: called.append(True) or 0.0)
    monkeypatch.setattr("sandbox.accounts.checks.refuse_unsafe_start", lambda: None)
    monkeypatch.delitem(sys.modules, "sandbox.wsgi", raising=False)
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    importlib.import_module("sandbox.wsgi")
    assert called == [True] and frozen == [True]  # warmed, then its objects set aside
