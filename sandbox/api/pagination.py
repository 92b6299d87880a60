"""Paging of API lists, with bounds that hold on every database.

A `limit` or `offset` beyond what a database integer holds used to reach PostgreSQL
and fail there (SQLite accepted it). Limits are capped and offsets bounded here,
before any query, so both databases answer the same.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

#: The largest offset accepted: far beyond any list the sandbox holds.
MAX_OFFSET = 10_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500

    def get_offset(self, request: Request) -> int:
        offset = super().get_offset(request)
        if offset > MAX_OFFSET:
            raise ValidationError({"offset": [f"Ensure this value is less than or equal to {MAX_OFFSET}."]})
        return offset
