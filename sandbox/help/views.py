"""The guide, served by the sandbox itself so that it works offline and in every language.

The built site is static files only: a path is resolved inside settings.HELP_SITE_DIR
(never outside it), a directory answers with its index.html, and a directory asked for
without its trailing slash is redirected so that the pages' relative links work.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from csp.decorators import csp_replace
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils._os import safe_join
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

# The documentation theme runs small inline scripts of its own (colour scheme, search
# configuration); the guide holds no user data and no form, so they are allowed here only.
_GUIDE_CSP = {"script-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]}


def site_dir() -> Path:
    return Path(settings.HELP_SITE_DIR)


@require_safe
@csp_replace(_GUIDE_CSP)
def guide(request: HttpRequest, path: str = "") -> HttpResponse:
    root = site_dir()
    if not (root / "index.html").is_file():
        response = render(request, "help/not_built.html", status=503)
        add_never_cache_headers(response)
        return response
    try:
        target = Path(safe_join(root, path))
    except SuspiciousFileOperation as exc:
        raise Http404(path) from exc
    if target.is_dir():
        if path and not path.endswith("/"):
            return HttpResponseRedirect(request.path + "/")
        target = target / "index.html"
    if not target.is_file():
        return _not_found(request, root)
    content_type, encoding = mimetypes.guess_type(target.name)
    response = FileResponse(target.open("rb"), content_type=content_type or "application/octet-stream")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    # The guide changes only when the sandbox is updated: let browsers keep it an hour.
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _not_found(request: HttpRequest, root: Path) -> HttpResponse:
    page = root / "404.html"
    if page.is_file():
        return HttpResponse(page.read_bytes(), status=404, content_type="text/html; charset=utf-8")
    raise Http404(request.path)

