"""Dates for machines: the one way a template writes ``<time datetime="...">``.

HTML allows one to three digits of a second's fraction; ``|date:'c'`` (``isoformat``) writes
six. Every ``<time>`` element of the site goes through :func:`html_datetime`.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

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


@register.filter(expects_localtime=True, is_safe=True)
def when(value: object, style: str = "datetime") -> str:
    """A date or time for people: one ``<time>`` element, its machine value from
    :func:`html_datetime` and its text in the language's own format (``DATETIME_FORMAT``,
    or ``DATE_FORMAT`` with ``|when:"date"`` and for dates), in the reader's time zone. Every
    learner page writes dates through it, so one page never shows two formats of a language.
    Nothing for a missing date."""
    if not isinstance(value, datetime.date):
        return ""
    is_date = style == "date" or not isinstance(value, datetime.datetime)
    text = date_format(value, "DATE_FORMAT" if is_date else "DATETIME_FORMAT", use_l10n=True)
    return format_html('<time datetime="{}">{}</time>', html_datetime(value), text)
