"""Demo events: the calendar page (in every language), a workshop in Madrid, a field visit that
is full with someone waiting, a call only the Mount Kenya partnership's members see, and a past
live dialogue. Idempotent: pages are found by slug, registrations by their natural key; dates
are set relative to the day the seed first runs."""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.management.base import OutputWrapper
from django.utils import timezone

from events.models import EventIndexPage, EventPage, Registration
from events.services import registration_create
from library.demo import ensure_locales, ensure_translations
from library.models import HomePage, Theme
from network.models import LandscapePartnership, User


def _at(days: int, hour: int, zone: str) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), zoneinfo.ZoneInfo(zone))


def _events() -> list[dict]:
    return [
        {
            "slug": "agroforestry-design-workshop",
            "title": "Agroforestry design workshop",
            "summary": "A morning of drawing farm layouts that mix trees, crops and water.",
            "kind": "workshop",
            "format": "in_person",
            "place": "Real Jardín Botánico, Plaza de Murillo 2, Madrid",
            "time_zone": "Europe/Madrid",
            "starts_at": _at(14, 10, "Europe/Madrid"),
            "ends_at": _at(14, 13, "Europe/Madrid"),
            "language": "es",
            "capacity": 12,
            "region": "europe",
            "themes": ["agroforestry"],
        },
        {
            "slug": "field-visit-nyeri-terraces",
            "title": "Field visit: the terraces above the Nyeri springs",
            "summary": "Walk the terraces with the water users' association (places are few).",
            "kind": "field_visit",
            "format": "in_person",
            "place": "Nyeri Smallholder Water Users' office, Nyeri",
            "time_zone": "Africa/Nairobi",
            "starts_at": _at(10, 8, "Africa/Nairobi"),
            "ends_at": _at(10, 15, "Africa/Nairobi"),
            "language": "en",
            "capacity": 2,
            "region": "africa",
            "themes": ["restoration"],
            "registrants": ["trainer", "moderator", "editor"],  # full, and one waiting
        },
        {
            "slug": "mount-kenya-planning-call",
            "title": "Mount Kenya partners' planning call",
            "summary": "The partnership plans next season's nursery work (members only).",
            "kind": "dialogue",
            "format": "online",
            "joining_link": "https://meet.example.org/mount-kenya-planning",
            "time_zone": "Africa/Nairobi",
            "starts_at": _at(5, 16, "Africa/Nairobi"),
            "ends_at": _at(5, 17, "Africa/Nairobi"),
            "language": "en",
            "capacity": 30,
            "region": "africa",
            "partnership": "mount-kenya-landscape",
            "members_only": True,
        },
        {
            "slug": "live-dialogue-paying-for-restoration",
            "title": "Live dialogue: paying for restoration",
            "summary": "Partnerships compared how they finance restoration.",
            "kind": "dialogue",
            "format": "online",
            "joining_link": "https://meet.example.org/paying-for-restoration",
            "time_zone": "UTC",
            "starts_at": _at(-20, 14, "UTC"),
            "ends_at": _at(-20, 15, "UTC"),
            "language": "en",
            "capacity": 100,
            "themes": ["restoration"],
        },
    ]


def seed(out: OutputWrapper) -> None:
    home = HomePage.objects.filter(locale__language_code="en").first()
    if home is None:
        return
    locales = ensure_locales()
    calendar = EventIndexPage.objects.child_of(home).first()
    if calendar is None:
        calendar = home.add_child(
            instance=EventIndexPage(
                title="Events",
                slug="calendar",
                intro="<p>Workshops, field visits and live dialogues across the network.</p>",
                show_in_menus=True,
            )
        )
        calendar.save_revision().publish()
    ensure_translations(calendar, locales, {"es": "Eventos", "fr": "Événements", "pt": "Eventos"})
    created = 0
    for data in _events():
        data = dict(data)
        registrants = data.pop("registrants", [])
        themes = data.pop("themes", [])
        partnership = data.pop("partnership", None)
        event = EventPage.objects.child_of(calendar).filter(slug=data["slug"]).first()
        if event is None:
            event = EventPage(**data)
            if partnership:
                event.partnership = LandscapePartnership.objects.get(slug=partnership)
            event.themes = list(Theme.objects.filter(slug__in=themes))
            calendar.add_child(instance=event)
            event.save_revision().publish()
            created += 1
        for username in registrants:
            user = User.objects.filter(username=username).first()
            if (
                user is None
                or Registration.objects.filter(event_key=event.translation_key, user=user).exists()
            ):
                continue
            registration_create(event=event, user=user, language="en")
    out.write(f"Demo events: {created} new, calendar at {calendar.url or '/calendar/'}.")
