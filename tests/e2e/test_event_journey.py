"""Registering for an event on a phone-sized screen: register until it is full, the next
registrant waits, a cancellation promotes them, and both are mailed in their own language.
Then axe checks the calendar (list and month) and the event page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from events.models import Registration
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe, run_axe, signed_in_cookie
from tests.events import conftest as event_fixtures

calendar_page = event_fixtures.calendar_page
make_event = event_fixtures.make_event

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(new_page, user, base_url: str):
    page = new_page()
    page.context.add_cookies([signed_in_cookie(user, base_url)])
    return page


def test_a_cancellation_promotes_the_waiting_registrant_and_both_get_mail_in_their_language(
    live_server, new_page, browser, make_event, make_user
):
    madrid = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=10),
        datetime.time(10),
        tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Madrid"),
    )
    event = make_event(
        title="Terrace walk",
        capacity=1,
        time_zone="Europe/Madrid",
        starts_at=madrid,
        ends_at=madrid + datetime.timedelta(hours=2),
    )
    alice = make_user(display_name="Alice")
    bruno = make_user(display_name="Bruno")

    # Alice, in English, takes the only place.
    phone = _signed_in(new_page, alice, live_server.url)
    phone.goto(f"{live_server.url}{event.url}")
    expect(phone.get_by_text("1 of 1 place left")).to_be_visible()
    phone.get_by_role("button", name="Register").click()
    expect(phone.get_by_text("You are registered.").first).to_be_visible()

    # Bruno, on the Spanish site, finds it full and joins the waiting list.
    other_phone = _signed_in(new_page, bruno, live_server.url)
    other_phone.goto(f"{live_server.url}/es{event.url}")
    expect(other_phone.locator("html")).to_have_attribute("lang", "es")
    other_phone.locator(".event-actions form[action*='/register/'] button").click()
    expect(other_phone.locator(".event-actions form[action*='/cancel/']")).to_be_visible()
    assert Registration.objects.get(user=bruno).status == "waiting"
    assert mail.outbox == []

    # Alice cancels: Bruno gets her place.
    phone.get_by_role("button", name="Cancel my registration").click()
    expect(phone.get_by_text("Your registration is cancelled.")).to_be_visible()
    # The place went to Bruno: the event is full again for anyone else.
    expect(phone.get_by_role("button", name="Join the waiting list")).to_be_visible()
    assert Registration.objects.get(user=bruno).status == "confirmed"
    other_phone.reload()
    expect(other_phone.locator(".event-actions strong")).to_have_count(1)
    expect(other_phone.locator(".event-actions form[action*='/register/']")).to_have_count(0)

    # Both are told, each in the language they registered in, with the event's Madrid time.
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {alice.email, bruno.email}
    local_start = timezone.localtime(event.starts_at, event.zone)
    for recipient, language in ((alice, "en"), (bruno, "es")):
        with translation.override(language):
            expected = formats.date_format(local_start, "DATETIME_FORMAT")
        assert expected in by_recipient[recipient.email].body, (language, expected)
    assert "Terrace walk" in by_recipient[alice.email].subject
    assert "Terrace walk" in by_recipient[bruno.email].subject

    # The calendar and the event page pass axe (no serious or critical WCAG violation).
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    try:
        context.add_cookies([signed_in_cookie(bruno, live_server.url)])
        page = context.new_page()
        blocking = []
        month = local_start.strftime("%Y-%m")
        for path in (
            "/calendar/",
            f"/calendar/?view=month&month={month}",
            event.url,
            f"/es{event.url}",
        ):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.ok, path
            found = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
            if found:
                blocking.append(describe(path, found))
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}/calendar/?view=month&month={month}")
        found = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        if found:
            blocking.append(describe("month view, desktop", found))
    finally:
        context.close()
    assert blocking == [], "\n\n".join(blocking)
