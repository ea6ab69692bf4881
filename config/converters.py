"""URL converters: ``<id:pk>`` for a row id in a path.

Django's ``<int:...>`` takes any run of digits, and a number beyond 64 bits then reaches the
database: SQLite raises ``OverflowError`` (a server error) and PostgreSQL an out-of-range error.
No row id of ours has more than 18 digits (a signed 64-bit integer holds 19), so ``<id:...>``
matches at most 18 and a longer one answers 404 like any other path that names nothing.
"""

from __future__ import annotations

from django.urls import register_converter


class RowIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowIdConverter, "id")
