"""The calendar, the event page and its forms, the feeds and the feed address, as visitors
meet them (without JavaScript)."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from events.models import EventPage, Registration
from events.services import registration_create
from library.models import Theme
from network.models import LandscapePartnership
from network.services import partnership_membership_add
from tests.events.conftest import madrid

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(db):
    return LandscapePartnership.objects.create(
        name="Kijabe", slug="kijabe", country="KE", region="africa"
    )


def test_a_members_only_event_is_missing_for_everyone_but_the_members(
    client, make_event, make_user, partnership
):
    event = make_event(title="Partners' call", partnership=partnership, members_only=True)
    outsider, member = make_user(), make_user()
    partnership_membership_add(partnership=partnership, user=member)
    assert client.get(event.url).status_code == 404
    assert client.get(reverse("events:event_ics", args=[event.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(event.url).status_code == 404
    assert "Partners&#x27; call" not in client.get("/calendar/").content.decode()
    assert client.post(reverse("events:register", args=[event.pk])).status_code == 404
    client.force_login(member)
    assert client.get(event.url).status_code == 200
    assert "Partners&#x27; call" in client.get("/calendar/").content.decode()


def test_registering_on_a_full_event_puts_the_member_on_the_waiting_list(
    client, make_event, make_user
):
    event = make_event(capacity=1)
    registration_create(event=event, user=make_user(), language="en")
    member = make_user()
    client.force_login(member)
    page = client.get(event.url).content.decode()
    assert "Join the waiting list" in page
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert response.redirect_chain[-1][0] == event.url
    assert "You are on the waiting list" in response.content.decode()
    assert Registration.objects.get(user=member).status == "waiting"


def test_the_registration_language_is_the_page_language(client, make_event, learner):
    event = make_event()
    client.force_login(learner)
    client.post("/es" + reverse("events:register", args=[event.pk]))
    assert Registration.objects.get(user=learner).language == "es"


def test_a_refused_registration_comes_back_on_the_event_page_with_the_reason(
    client, make_event, learner
):
    event = make_event()
    client.force_login(learner)
    with translation.override("en"):  # the English address, whatever language a test left on
        address = reverse("events:register", args=[event.pk])
    client.post(address)
    response = client.post(address)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "already registered" in body
    assert event.title in body


def test_cancelling_frees_the_place_for_the_next_in_line(client, make_event, make_user):
    event = make_event(capacity=1)
    holder, waiting = make_user(), make_user()
    registration_create(event=event, user=holder, language="en")
    registration_create(event=event, user=waiting, language="en")
    client.force_login(holder)
    response = client.post(reverse("events:cancel", args=[event.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(user=waiting).status == "confirmed"


def test_the_event_page_shows_the_local_time_and_utc(client, make_event):
    event = make_event(
        time_zone="Europe/Madrid",
        starts_at=madrid(2026, 10, 31, 10),
        ends_at=madrid(2026, 10, 31, 12),
    )
    body = client.get(event.url).content.decode()
    assert 'datetime="2026-10-31T09:00:00Z"' in body  # the instant, for the viewer's clock
    assert "Europe/Madrid" in body
    assert "9 a.m. UTC" in body


def test_the_calendar_lists_upcoming_then_past_and_filters(client, make_event):
    restoration = Theme.objects.get_or_create(slug="restoration", defaults={"name": "Restoration"})[
        0
    ]
    make_event(title="Coming soon", region="africa", themes=[restoration])
    make_event(title="Elsewhere", region="asia", language="fr")
    make_event(title="Long ago", starts_in=datetime.timedelta(days=-30))
    body = client.get("/calendar/").content.decode()
    assert body.index("Coming soon") < body.index("Long ago")
    assert body.index("Upcoming events") < body.index("Coming soon")
    assert body.index("Past events") < body.index("Long ago")
    filtered = client.get("/calendar/?region=africa&theme=restoration").content.decode()
    assert "Coming soon" in filtered and "Elsewhere" not in filtered
    by_language = client.get("/calendar/?language=fr").content.decode()
    assert "Elsewhere" in by_language and "Coming soon" not in by_language
    # A filter the form does not know is ignored, not an error page.
    assert client.get("/calendar/?region=atlantis").status_code == 200


def test_the_month_view_puts_an_event_on_its_local_day(client, make_event):
    # 00:30 on 1 November in Madrid is still 31 October in UTC.
    make_event(
        title="Just after midnight",
        time_zone="Europe/Madrid",
        starts_at=madrid(2026, 11, 1, 0) + datetime.timedelta(minutes=30),
        ends_at=madrid(2026, 11, 1, 2),
    )
    november = client.get("/calendar/?view=month&month=2026-11").content.decode()
    october = client.get("/calendar/?view=month&month=2026-10").content.decode()
    assert "Just after midnight" in november
    assert "Just after midnight" not in october


def test_the_calendar_costs_the_same_number_of_queries_for_more_events(client, make_event):
    counts = []
    for _round in range(2):
        for _ in range(3):
            make_event()
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/calendar/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_member_feed_lives_at_a_secret_address_until_revoked(client, make_event, learner):
    event = make_event(title="Mine")
    make_event(title="Not mine")
    registration_create(event=event, user=learner, language="en")
    client.force_login(learner)
    assert client.post(reverse("events:my_calendar"), {"action": "create"}).status_code == 302
    token = learner.calendar_feed_token.token
    assert token in client.get(reverse("events:my_calendar")).content.decode()
    client.logout()
    feed = client.get(reverse("events:member_feed", args=[token]))
    summaries = {
        str(item["summary"]) for item in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    }
    assert summaries == {"Mine"}
    client.force_login(learner)
    client.post(reverse("events:my_calendar"), {"action": "revoke"})
    client.logout()
    assert client.get(reverse("events:member_feed", args=[token])).status_code == 404


def test_editors_type_the_event_time_in_the_event_zone(make_event, make_user):
    """The admin form reads 10:00 as 10:00 in Madrid, and shows it back as 10:00."""
    from network.roles import Role

    editor = make_user(Role.EDITOR, is_staff=True)
    event = make_event(time_zone="Europe/Madrid", starts_at=madrid(2026, 10, 31, 10))
    form_class = EventPage.get_edit_handler().get_form_class()
    form = form_class(instance=event, for_user=editor)
    assert form.initial["starts_at"] == datetime.datetime(2026, 10, 31, 10, 0)
    data = {
        "title": event.title,
        "slug": event.slug,
        "summary": event.summary,
        "kind": "workshop",
        "format": "in_person",
        "place": "Madrid",
        "language": "es",
        "capacity": "10",
        "time_zone": "Europe/Madrid",
        "starts_at": "2026-10-24 10:00",
        "ends_at": "2026-10-24 12:00",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    form = form_class(data, instance=event, for_user=editor, parent_page=event.get_parent())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime.datetime(2026, 10, 24, 8, tzinfo=datetime.UTC)


def test_signing_in_to_register_leads_back_to_the_event_page(client, make_event, learner):
    event = make_event()
    address = reverse("events:register", args=[event.pk])
    response = client.post(address)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('account_login')}?next=")
    client.force_login(learner)
    # The sign-in page comes back with a GET: the event page answers, with the form.
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == event.url
    assert not Registration.objects.exists()
