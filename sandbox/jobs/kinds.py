"""The registry of job kinds: what each kind runs (a dotted path, imported only when a job
of that kind runs, so that a kind whose module is not installed costs nothing) and how its
outcome reads on the page. Adding a kind is one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class JobKind:
    #: "package.module:function", called as function(job, progress) -> result dict.
    runner: str
    title: Promise
    #: What a finished job says, with its result's "count".
    done: Promise

    def function(self) -> Callable[..., dict[str, Any]]:
        module, _sep, name = self.runner.partition(":")
        return getattr(import_module(module), name)  # type: ignore[no-any-return]


KINDS: dict[str, JobKind] = {
    "exercise.start": JobKind(
        "sandbox.jobs.runners:exercise_start", _("Starting the exercise"),
        ngettext_lazy("Exercise started: %(count)d practice space is ready.",
                      "Exercise started: %(count)d practice spaces are ready.", "count")),
    "exercise.reset": JobKind(
        "sandbox.jobs.runners:exercise_reset", _("Resetting every space"),
        ngettext_lazy("%(count)d attempt reset.", "%(count)d attempts reset.", "count")),
    "trainees.import": JobKind(
        "sandbox.jobs.runners:trainees_import", _("Importing trainees"),
        ngettext_lazy("%(count)d trainee added from the file.",
                      "%(count)d trainees added from the file.", "count")),
    "certificates.issue": JobKind(
        "sandbox.jobs.runners:certificates_issue", _("Issuing certificates"),
        ngettext_lazy("%(count)d certificate issued.", "%(count)d certificates issued.", "count")),
    "xapi.send": JobKind(
        "sandbox.jobs.runners:xapi_send", _("Sending statements to the learning record store"),
        ngettext_lazy("%(count)d statement sent.", "%(count)d statements sent.", "count")),
}


def kind_of(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown job kind {name!r} (known: {', '.join(sorted(KINDS))})") from None
