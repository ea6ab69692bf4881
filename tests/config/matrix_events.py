"""Permission matrix rules for events: the calendar and event pages, registering and
cancelling, the iCalendar feeds and a member's secret feed address."""

from __future__ import annotations

from tests.config.matrix_base import (
    ALL_200,
    MEMBERS_200,
    MEMBERS_302,
    PRIVATE_200,
    PRIVATE_MEMBERS_302,
    Rule,
    get,
    page,
    post,
    url,
)

EVENT_RULES: tuple[Rule, ...] = (
    Rule(
        "event pages",
        (
            get(page("calendar_page"), ALL_200),
            get(page("calendar_page", "?view=month"), ALL_200),
            get(page("public_event"), ALL_200),
            # Members only: missing for everyone outside the partnership.
            get(page("private_event"), PRIVATE_200),
        ),
        names=(),
    ),
    Rule(
        "registering and cancelling",
        (
            # The learner is registered already: told so on the form.
            post(url("events:register", "public_event.pk"), "login 400 302 302 302 302 302"),
            post(url("events:register", "private_event.pk"), PRIVATE_MEMBERS_302),
            # Only the registered learner cancels; the others see the refusal on the form.
            post(url("events:cancel", "public_event.pk"), "login 302 400 400 400 400 400"),
            post(url("events:cancel", "private_event.pk"), "login 404 404 404 404 400 400"),
            # A GET (back from the sign-in page) leads to the event page, not a dead end.
            get(url("events:register", "public_event.pk"), MEMBERS_302),
            get(url("events:cancel", "private_event.pk"), PRIVATE_MEMBERS_302),
        ),
        names=("events:register", "events:cancel"),
    ),
    Rule(
        "iCalendar feeds",
        (
            get(url("events:event_ics", "public_event.pk"), ALL_200),
            get(url("events:event_ics", "private_event.pk"), PRIVATE_200),
            get(url("events:network_feed"), ALL_200),
            get(url("events:partnership_feed", "home_partnership.slug"), ALL_200),
            # The token is the credential: anyone holding it reads that member's calendar.
            get(url("events:member_feed", "feed_token.token"), ALL_200),
            get(url("events:member_feed", lambda world: "not-a-token"), "404 " * 6 + "404"),
        ),
        names=(
            "events:event_ics",
            "events:network_feed",
            "events:partnership_feed",
            "events:member_feed",
        ),
    ),
    Rule(
        "a member's calendar address",
        (
            get(url("events:my_calendar"), MEMBERS_200),
            post(url("events:my_calendar"), MEMBERS_302, {"action": "create"}),
        ),
        names=("events:my_calendar",),
    ),
    Rule(
        "after the event: notes, photos and the archive",
        (
            # Only the organisers (who may edit the event's page) keep the notes.
            get(url("events:notes_edit", "past_event.pk"), "login 403 403 403 403 403 200"),
            post(
                url("events:notes_edit", "past_event.pk"),
                "login 403 403 403 403 403 302",
                {"body": "What we saw."},
            ),
            get(url("events:notes_edit", "past_private_event.pk"), "login 404 404 404 404 403 200"),
            # Not before the event has ended: back to the event page.
            get(url("events:notes_edit", "public_event.pk"), "login 403 403 403 403 403 302"),
            # A photo is as private as its event.
            get(url("events:photo", "past_event_photo.pk"), ALL_200),
            get(url("events:photo", "past_private_event_photo.pk"), PRIVATE_200),
            get(url("events:archive"), ALL_200),
            get(page("past_private_event"), PRIVATE_200),
        ),
        names=("events:notes_edit", "events:photo", "events:archive"),
    ),
)
