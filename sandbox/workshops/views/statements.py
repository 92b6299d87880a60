"""An exercise's xAPI statements on their way to the learning record store: the queue,
and "Send now", for the workshop's trainer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import lrs, selectors
from .exercises import _exercise

#: At most this many statements per click, so that the page answers in good time.
SEND_NOW_LIMIT = 500


@login_required
def statements(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    workshop, exercise = _exercise(request, pk, ex)
    return render(request, "workshops/statements.html", {
        "workshop": workshop, "exercise": exercise, "queue": selectors.statement_queue(exercise),
        "configured": lrs.configured(), "store": lrs.store_address()[0],
        "shown": selectors.UNSENT_SHOWN,
    })


@login_required
@require_POST
def statements_send(request: HttpRequest, pk: int, ex: int) -> HttpResponse:
    """Send the exercise's waiting statements now, and the ones the store refused again."""
    _workshop, exercise = _exercise(request, pk, ex)
    back = redirect(reverse("workshops:statements", kwargs={"pk": pk, "ex": ex}))
    if not lrs.configured():
        messages.error(request, _("No learning record store is configured: nothing was sent."))
        return back
    outcome = lrs.send_pending(exercise=exercise, force=True, limit=SEND_NOW_LIMIT)
    if outcome.sent:
        messages.success(request, ngettext("%(count)d statement sent.",
                                           "%(count)d statements sent.",
                                           outcome.sent) % {"count": outcome.sent})
    if outcome.retrying:
        messages.warning(request, ngettext(
            "%(count)d statement could not reach the store: it will be tried again.",
            "%(count)d statements could not reach the store: they will be tried again.",
            outcome.retrying) % {"count": outcome.retrying})
    if outcome.failed:
        messages.error(request, ngettext(
            "%(count)d statement was refused by the store: see the error below.",
            "%(count)d statements were refused by the store: see the error below.",
            outcome.failed) % {"count": outcome.failed})
    if not (outcome.sent or outcome.retrying or outcome.failed):
        messages.info(request, _("Nothing was waiting to be sent."))
    return back
