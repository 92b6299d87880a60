"""The sandbox's own error pages: 400, 403, 404, 500 and a refused form (CSRF).

They keep the site's layout and the training banner, speak the page's language and
never show a URL list or a traceback, whatever DEBUG says for the other pages.
A 500 may come from a broken database: the page is then drawn without the context
processors (which read the database), rather than failing a second time.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: Title and explanation of each error page, by status code.
ERRORS = {
    400: (_("The request could not be understood"),
          _("Something in the request was malformed. Go back, reload the page and try again.")),
    403: (_("You cannot open this page"),
          _("Your account or your role in this space does not give access to this page. "
            "If you think it should, ask your trainer.")),
    404: (_("Page not found"),
          _("There is nothing at this address. The link may be old, or the case or space may "
            "belong to someone else.")),
    500: (_("Something went wrong on our side"),
          _("The sandbox could not finish this request. Nothing you typed is lost if the "
            "previous page was saved; try again in a moment, and tell your trainer if it "
            "happens again.")),
}
CSRF_TITLE = _("The form has expired")
CSRF_TEXT = _("The form was refused because the page had expired or cookies are blocked. "
              "Reload the page and send it again.")


def error_page(request: HttpRequest, status: int, *, title: str = "", text: str = "",
               detail: str = "") -> HttpResponse:
    """The error page of `status`; `detail` is the sandbox's own reason, when it gave one."""
    default_title, default_text = ERRORS[status]
    context = {"status": status, "title": title or default_title, "text": text or default_text,
               "detail": detail if detail != text else "",
               "home_url": reverse("home")}
    try:
        body = render_to_string("errors/error.html", context, request=request)
    except Exception:  # the page must come out even when the database is down
        logger.exception("Error page drawn without the request's context")
        body = render_to_string("errors/error.html", {**context, "plain": True})
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The sandbox's own refusals say why (PermissionDenied("...")); Django's bare ones do not.
    reason = str(exception.args[0]) if exception is not None and exception.args else ""
    return error_page(request, 403, detail=reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, 403, title=str(CSRF_TITLE), text=str(CSRF_TEXT))
