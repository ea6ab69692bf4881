"""The iCalendar feeds, parsed with the ``icalendar`` package: times that import right on both
sides of a daylight-saving change, and only the events the reader may see."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from events import ical
from tests.events.conftest import madrid

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def events_by_summary(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


def test_madrid_events_either_side_of_the_october_change_keep_their_wall_clock_time(make_event):
    # Summer time in Madrid ends on 25 October 2026: 10:00 is 08:00 UTC before, 09:00 after.
    before = make_event(
        title="Before the change",
        time_zone="Europe/Madrid",
        starts_at=madrid(2026, 10, 24, 10),
        ends_at=madrid(2026, 10, 24, 12),
    )
    after = make_event(
        title="After the change",
        time_zone="Europe/Madrid",
        starts_at=madrid(2026, 10, 31, 10),
        ends_at=madrid(2026, 10, 31, 12),
    )
    calendar = parse(ical.build_calendar([before, after], name="Test"))
    found = events_by_summary(calendar)

    for summary, utc_hour in (("Before the change", 8), ("After the change", 9)):
        start = found[summary].decoded("dtstart")
        assert start.hour == 10, summary
        assert start.tzinfo is not None
        assert start.astimezone(UTC).hour == utc_hour, summary
        assert found[summary]["dtstart"].params["TZID"] == "Europe/Madrid"
    # The zone travels with the file (VTIMEZONE with both rules), so a client without the tz
    # database still places the events right.
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(zone["tzid"]) for zone in zones] == ["Europe/Madrid"]
    kinds = {component.name for component in zones[0].subcomponents}
    assert {"STANDARD", "DAYLIGHT"} <= kinds


def test_the_feed_carries_cancellations_and_one_entry_per_event(make_event):
    event = make_event(title="Called off", cancelled=True)
    calendar = parse(ical.build_calendar([event, event], name="Test"))
    (item,) = calendar.walk("VEVENT")
    assert str(item["status"]) == "CANCELLED"
    assert str(item["uid"]) == f"{event.translation_key}@landscape-commons"


def test_the_network_feed_over_http_parses_and_hides_members_only_events(
    client, make_event, make_user
):
    from network.models import LandscapePartnership
    from network.services import partnership_membership_add

    partnership = LandscapePartnership.objects.create(
        name="Kijabe", slug="kijabe", country="KE", region="africa"
    )
    make_event(title="Open to all")
    make_event(title="Partners only", partnership=partnership, members_only=True)
    response = client.get("/events/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert set(events_by_summary(parse(response.content))) == {"Open to all"}

    member = make_user()
    partnership_membership_add(partnership=partnership, user=member)
    client.force_login(member)
    response = client.get("/events/partnerships/kijabe/calendar.ics")
    assert set(events_by_summary(parse(response.content))) == {"Partners only"}
