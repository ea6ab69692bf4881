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


def row_id(raw: str) -> int | None:
    """A form field's value as a row id, or None: the converter's rule for POSTed ids.

    ``str.isdigit`` is not enough: it accepts digits ``int`` refuses (``"²"``) and numbers
    beyond 64 bits, both of which end in a server error once they reach a query.
    """
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


register_converter(RowIdConverter, "id")
