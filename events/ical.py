"""iCalendar documents built from events (the ``icalendar`` package): a pure builder.

Times are written in the event's own zone with a TZID and a VTIMEZONE generated from the tz
database (``add_missing_timezones``), so a calendar shows 10:00 in Madrid on both sides of a
daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

PRODUCT_ID = "-//Landscape Commons//Events//EN"


def event_uid(event) -> str:
    return f"{event.translation_key}@landscape-commons"


def build_calendar(events: Iterable, *, name: str, base_url: str | None = None) -> bytes:
    """One VCALENDAR with a VEVENT per event (one per translation key)."""
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    seen = set()
    stamp = timezone.now()
    for event in events:
        if event.translation_key in seen:
            continue
        seen.add(event.translation_key)
        item = icalendar.Event()
        item.add("uid", event_uid(event))
        item.add("dtstamp", stamp)
        item.add("dtstart", event.local_starts_at)
        item.add("dtend", event.local_ends_at)
        item.add("summary", event.title)
        item.add("description", event.summary)
        if event.place:
            item.add("location", event.place)
        elif event.joining_link:
            item.add("location", event.joining_link)
        item.add("url", f"{base_url}{event.url or ''}")
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        if event.last_published_at:
            item.add("last-modified", event.last_published_at)
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
