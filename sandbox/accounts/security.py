"""Response headers for pages and API answers that may show case data.

Case pages and API answers are never kept by a browser or a shared proxy cache: a
workshop often runs on shared computers, and the next person must not find the last
one's cases in the back button or the cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

#: Paths whose answers are public and may be cached (static files, the built guide).
CACHEABLE_PREFIXES = ("/static/", "/help/")


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer except static files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(CACHEABLE_PREFIXES):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
