"""What happens when a phone that worked offline gets its connection back (issue 20): a lesson
read from the device refreshes there and then, without a page load; Background Sync sends the
answers with no page open; a learner no longer enrolled is told why, and keeps what they
typed; a lesson made private after it was saved leaves the device, and a learner's saved course
leaves a shared phone when someone else signs in on it.

All at 360 px in Chromium. ``context.set_offline`` is Chromium's network emulation, for the
pages and the service worker: pages get the ``online`` event, and headless Chromium fires the
worker's Background Sync ``sync`` event when the emulated connection returns, as a phone does
when its network does; the test watches it through the DevTools protocol's BackgroundService
domain.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import describe
from tests.e2e.test_course_journey import log_in
from tests.e2e.test_offline_reading import (
    COURSE,
    OUTDATED_KNOWN,
    SAVED_COPY_IS_REVISED,
    blocking,
    phone,
    save_the_course_then_republish_a_lesson,
    until,
)
from tests.e2e.test_offline_sync_journey import SYNC, answer_quiz, records, save_course

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["phone"]  # the fixture, shared with the reading journey

QUIZ_LESSON = f"{COURSE}the-landscape-and-its-people/who-has-a-stake/"
PRIVATE_LESSON = f"{COURSE}coming-together/the-first-meeting/"
SAVED_PATHS = """() => caches.keys()
    .then(names => caches.open(names.find(n => n.startsWith("lc-offline-"))))
    .then(store => store.keys()).then(keys => keys.map(r => new URL(r.url).pathname))"""
REFRESHED_AT = """() => caches.keys()
    .then(names => caches.open(names.find(n => n.startsWith("lc-offline-"))))
    .then(store => store.match("/__offline-meta__")).then(r => r.json())
    .then(meta => meta.complete === true ? meta.refreshedAt : null)"""
NO_SAVED_COURSE = (
    """() => caches.keys().then(names => !names.some(n => n.startsWith("lc-offline-")))"""
)
REFRESHED_SINCE = f"""(before) => ({REFRESHED_AT})().then(at => Boolean(at) && at !== before)"""


@pytest.mark.usefixtures("committed_demo")
def test_a_lesson_read_offline_refreshes_when_the_phone_reconnects_on_it(live_server, phone):
    _control, path = save_the_course_then_republish_a_lesson(live_server, phone)
    # The worker learns of the new version (from the course's manifest) but cannot fetch it.
    phone.context.route(f"**{path}", lambda route: route.abort())
    phone.goto(f"{live_server.url}{COURSE}")
    until(phone, OUTDATED_KNOWN, path)
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{path}")
    outdated = phone.locator(".offline-banner__outdated")
    expect(outdated).to_contain_text("A newer version of this lesson has been published")
    phone.context.unroute(f"**{path}")

    # The connection comes back while the learner is on the lesson: no page load (the mark set
    # on this document survives), the worker stores the new version, the banner says so.
    phone.evaluate("window.stillTheSamePage = true")
    phone.context.set_offline(False)
    until(phone, SAVED_COPY_IS_REVISED, path)
    updated = phone.locator(".offline-banner__updated")
    expect(updated).to_contain_text("The newer version of this lesson is now saved")
    expect(outdated).to_have_count(0)
    assert phone.evaluate("window.stillTheSamePage") is True
    violations = blocking(phone)
    assert not violations, describe("a lesson whose saved copy was just refreshed", violations)
    updated.get_by_role("link", name="Read the newer version").click()
    expect(
        phone.get_by_role("heading", name="Why work at landscape scale, revised", exact=True)
    ).to_be_visible()

    # Offline again: the device holds the new version, and does not call it out of date.
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{path}")
    expect(
        phone.get_by_role("heading", name="Why work at landscape scale, revised", exact=True)
    ).to_be_visible()
    expect(phone.locator(".offline-banner")).to_contain_text("Saved on this device on")
    expect(phone.locator(".offline-banner__outdated")).to_have_count(0)


@pytest.mark.usefixtures("committed_demo")
def test_a_learner_no_longer_enrolled_is_told_why_and_keeps_what_they_answered(live_server, phone):
    from courses import services
    from courses.models import CoursePage, QuizAttempt
    from network.models import User

    log_in(phone, live_server.url, "learner")
    save_course(phone, live_server.url)
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{QUIZ_LESSON}")
    answer_quiz(phone, right=False)
    waiting = phone.locator(".offline-outbox__waiting")
    expect(waiting).to_have_text("1 answer waiting to be sent")

    # Meanwhile the learner is withdrawn from the course.
    course = CoursePage.objects.get(
        slug="starting-a-landscape-partnership", locale__language_code="en"
    )
    services.enrolment_withdraw(
        user=User.objects.get(username="learner"), course_key=course.translation_key
    )

    # Back online on the same page: the server refuses, the page says why, beside the answers.
    phone.context.set_offline(False)
    outbox = phone.locator(".offline-outbox")
    refused = outbox.locator(".offline-outbox__refused")
    expect(refused).to_contain_text(
        "Check your understanding: Not accepted: You are no longer enrolled in "
        "“Starting a landscape partnership”, so the answers you made offline for it could not "
        "be recorded. Enrol again to answer its quizzes."
    )
    expect(refused).to_contain_text("What you answered:")
    expect(refused).to_contain_text("Only the people who own land")
    expect(waiting).to_contain_text("Some answers made offline were not accepted.")
    assert records()[0::2] == ([], 0)  # no attempt, no receipt
    assert not QuizAttempt.objects.exists()
    violations = blocking(phone)
    assert not violations, describe("an answer refused for a learner withdrawn", violations)

    # What they typed can be taken away as a file.
    with phone.expect_download() as download:
        outbox.get_by_role("link", name="Download what you answered").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Check your understanding" in text
    assert "You are no longer enrolled in" in text
    assert "Only the people who own land" in text
    assert "True" in text

    # Nothing is dropped behind their back: a later page still shows it, and it is sent no more.
    phone.goto(f"{live_server.url}{COURSE}")
    expect(outbox.locator(".offline-outbox__refused")).to_contain_text("Only the people who own")
    expect(phone.locator(".offline-outbox__waiting")).to_contain_text("were not accepted")
    outbox.get_by_role("button", name="Dismiss").click()
    expect(outbox).to_be_hidden()
    assert records()[0::2] == ([], 0)


@pytest.mark.usefixtures("committed_demo")
def test_background_sync_sends_the_answers_with_no_page_open(live_server, phone):
    log_in(phone, live_server.url, "learner")
    save_course(phone, live_server.url)
    context = phone.context
    context.set_offline(True)
    phone.goto(f"{live_server.url}{QUIZ_LESSON}")
    answer_quiz(phone, right=True)
    expect(phone.locator(".offline-outbox__waiting")).to_have_text("1 answer waiting to be sent")
    assert phone.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.sync))") is True

    # A blank tab (no page of the site, so no script of ours) watches Background Sync through
    # the DevTools protocol; the lesson's page is closed.
    blank = context.new_page()
    cdp = context.new_cdp_session(blank)
    sync_events: list[str] = []
    cdp.on(
        "BackgroundService.backgroundServiceEventReceived",
        lambda event: sync_events.append(event["backgroundServiceEvent"]["eventName"]),
    )
    cdp.send("BackgroundService.setRecording", {"shouldRecord": True, "service": "backgroundSync"})
    cdp.send("BackgroundService.startObserving", {"service": "backgroundSync"})
    phone.close()
    sent: list[tuple[str, bool]] = []
    loads: list[str] = []

    def seen(request) -> None:
        if "/offline/sync/" in request.url:
            sent.append((request.method, request.service_worker is not None))
        elif request.is_navigation_request():
            loads.append(request.url)

    # The database is read once the server has answered, not while it writes.
    answered: list[int] = []

    def finished(request) -> None:
        if "/offline/sync/" in request.url and (response := request.response()) is not None:
            answered.append(response.status)

    context.on("request", seen)
    context.on("requestfinished", finished)
    assert records()[0] == []

    # The connection returns: Chromium fires the worker's sync event, which sends the outbox.
    context.set_offline(False)
    deadline = time.monotonic() + 20
    while not answered:
        assert time.monotonic() < deadline, f"nothing sent; background sync events: {sync_events}"
        blank.wait_for_timeout(100)
    assert answered == [200], answered
    assert records()[0] == [(1, 100, True)]
    assert ("POST", True) in sent, sent  # sent by the service worker
    assert all(from_worker for _method, from_worker in sent), sent
    assert loads == []  # and no page was loaded
    assert any("dispatch" in name.lower() for name in sync_events), sync_events

    # The worker wrote the grade into the device's outbox: a page opened now shows it even
    # though it cannot reach the server itself.
    context.route(SYNC, lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{live_server.url}{COURSE}")
    expect(page.locator(".offline-outbox")).to_contain_text(
        "Check your understanding, attempt 1: 100%, passed."
    )
    expect(page.locator(".offline-outbox__waiting")).to_have_text("")
    assert records()[0] == [(1, 100, True)]


@pytest.mark.usefixtures("committed_demo")
def test_a_lesson_made_private_after_it_was_saved_leaves_the_device(live_server, phone):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from courses.models import LessonPage
    from network.models import User

    log_in(phone, live_server.url, "learner")
    save_course(phone, live_server.url)
    assert PRIVATE_LESSON in phone.evaluate(SAVED_PATHS)
    # The save control on the learner's dashboard, saved: what it says, and axe at 360 px.
    phone.goto(f"{live_server.url}/learning/")
    statuses = phone.locator(".offline-save__status")
    expect(statuses.filter(has_text="Saved on this device on")).to_have_count(1)
    expect(statuses.filter(has_text="Not saved on this device.")).to_have_count(1)  # the other
    violations = blocking(phone)
    assert not violations, describe("the dashboard's offline control", violations)

    # The lesson becomes private to a group the learner belongs to: they may still read it
    # online, but it must not stay on (or come back to) the device.
    members = Group.objects.create(name="Partnership members")
    User.objects.get(username="learner").groups.add(members)
    lesson = LessonPage.objects.get(slug="the-first-meeting", locale__language_code="en")
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([members])
    phone.goto(f"{live_server.url}{PRIVATE_LESSON}")
    expect(phone.get_by_role("heading", name="The first meeting", exact=True)).to_be_visible()
    before = phone.evaluate(REFRESHED_AT)
    phone.goto(f"{live_server.url}{COURSE}")  # the course page refreshes the saved copy
    until(phone, REFRESHED_SINCE, before)
    saved = phone.evaluate(SAVED_PATHS)
    assert PRIVATE_LESSON not in saved
    assert QUIZ_LESSON in saved  # the rest of the course stays

    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{PRIVATE_LESSON}")
    expect(
        phone.get_by_text("You are offline, and this page is not saved on this device.")
    ).to_be_visible()
    expect(phone.get_by_role("heading", name="The first meeting")).to_have_count(0)
    phone.goto(f"{live_server.url}{COURSE}")
    expect(phone.locator(".offline-banner")).to_contain_text("Saved on this device on")

    # A shared phone: the learner's session ends without a logout, and someone else signs in.
    # The learner's saved pages (their name, their progress) leave the device.
    # Only the session goes (it ended); the CSRF cookie stays, as it does in a browser. With
    # every cookie cleared, the worker's refresh of the saved course (no session, no CSRF
    # cookie) can answer with a new CSRF cookie between the login page and its post.
    phone.context.set_offline(False)
    phone.context.clear_cookies(name="sessionid")
    log_in(phone, live_server.url, "editor")
    until(phone, NO_SAVED_COURSE, None)
