"""Event fixtures: a site with a calendar page, and a factory for events of any kind."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from library.demo import ensure_home, ensure_locales, ensure_section

_numbers = itertools.count(1)


@pytest.fixture
def calendar_page(migrated_rows) -> EventIndexPage:
    ensure_locales()
    home = ensure_home()
    return ensure_section(home, EventIndexPage, "calendar", "Events", "<p>Events.</p>").specific


@pytest.fixture
def make_event(calendar_page):
    """``make_event(capacity=2, starts_in=timedelta(days=3), members_only=True, ...)``: a
    published event (in UTC unless ``time_zone`` and an aware ``starts_at`` say otherwise)."""

    def factory(
        *,
        starts_in: datetime.timedelta = datetime.timedelta(days=7),
        duration: datetime.timedelta = datetime.timedelta(hours=2),
        **fields,
    ) -> EventPage:
        number = next(_numbers)
        fields.setdefault("title", f"Workshop {number}")
        fields.setdefault("slug", f"workshop-{number}")
        fields.setdefault("summary", f"What workshop {number} is about.")
        fields.setdefault("place", "Village hall")
        fields.setdefault("time_zone", "UTC")
        fields.setdefault("capacity", 2)
        if "starts_at" not in fields:
            fields["starts_at"] = (timezone.now() + starts_in).replace(microsecond=0)
        fields.setdefault("ends_at", fields["starts_at"] + duration)
        themes = fields.pop("themes", [])
        event = EventPage(**fields)
        event.themes = themes
        calendar_page.add_child(instance=event)
        event.save_revision().publish()
        event.refresh_from_db()
        return event

    return factory


def madrid(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid"))
