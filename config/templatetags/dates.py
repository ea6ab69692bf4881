"""Dates for machines: the one way a template writes ``<time datetime="...">``.

HTML allows one to three digits of a second's fraction; ``|date:'c'`` (``isoformat``) writes
six. Every ``<time>`` element of the site goes through :func:`html_datetime`.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value: object) -> str:
    """A valid HTML ``datetime`` attribute: whole seconds, in UTC (``Z``) for an aware
    datetime, a local date and time for a naive one, ``YYYY-MM-DD`` for a date, and nothing
    for anything else (an empty attribute rather than a server error on a missing date)."""
    if isinstance(value, datetime.datetime):
        value = value.replace(microsecond=0)
        if timezone.is_aware(value):
            # isoformat, not strftime: years before 1000 keep their four digits.
            return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat() + "Z"
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
