"""Offline reading on a 360 px phone (issue 20, first slice): an enrolled learner saves the demo
course, loses the connection, reads three lessons moving back and forth between them, each
saying when it was saved; a page not saved says so; then, online again, logging out leaves
nothing of the course on the device.

Service workers need a secure context: http://127.0.0.1 is one. ``context.set_offline`` cuts
the service worker's network too, so what the pages show offline comes from its store.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import AXE_SCRIPT, BLOCKING_IMPACTS, WCAG_TAGS, describe
from tests.e2e.test_course_journey import log_in

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "/courses/starting-a-landscape-partnership/"
LESSONS = [
    "Why work at landscape scale",
    "Who has a stake",
    "The first meeting",
]
CACHE_NAMES = (
    """() => caches.keys().then(names => names.filter(name => name.startsWith("lc-offline-")))"""
)

# Every rendition a srcset offers, loaded as an image: a phone with a dense screen picks a
# larger one than the 360 px viewport's, and offline the saved phone-sized copy must answer.
EVERY_RENDITION_LOADS = """() => Promise.all(
    [...document.querySelectorAll("main img[srcset]")]
        .flatMap(img => img.srcset.split(",").map(candidate => candidate.trim().split(" ")[0]))
        .map(src => new Promise(done => {
            const image = new Image();
            image.onload = () => done([src, image.naturalWidth > 0]);
            image.onerror = () => done([src, false]);
            image.src = src;
        })))"""


def every_rendition_loads(page) -> None:
    loaded = page.evaluate(EVERY_RENDITION_LOADS)
    assert loaded and all(ok for _src, ok in loaded), loaded


@pytest.fixture
def phone(browser):
    """A 360 px phone; fails the test if the Content-Security-Policy blocked anything."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    context.set_default_timeout(15_000)
    blocked: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"


def blocking(page) -> list[dict]:
    """axe-core's serious and critical WCAG violations. Evaluated through the DevTools protocol
    rather than added as a script tag, so the site's CSP stays on (and checked) meanwhile."""
    page.evaluate(AXE_SCRIPT.read_text())
    violations = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        }).then(results => results.violations)""",
        WCAG_TAGS,
    )
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


@pytest.mark.usefixtures("committed_demo")
def test_a_learner_reads_a_saved_course_offline_and_logging_out_empties_the_device(
    live_server, phone
):
    log_in(phone, live_server.url, "learner")

    # Save the course from its page.
    phone.goto(f"{live_server.url}{COURSE}")
    control = phone.locator(".offline-save")
    expect(control).to_be_visible()
    expect(control.locator(".offline-save__status")).to_have_text("Not saved on this device.")
    control.get_by_role("button", name=re.compile("Save this course for offline")).click()
    status = control.locator(".offline-save__status")
    expect(status).to_contain_text("Saved on this device on", timeout=30_000)
    expect(status).to_contain_text("lessons")
    expect(status).to_contain_text("MB")
    expect(control.locator(".offline-save__space")).to_contain_text(
        "This browser lets the site use"
    )
    expect(control.get_by_role("button", name=re.compile("Remove"))).to_be_visible()
    violations = blocking(phone)
    assert not violations, describe("course page with the offline control", violations)
    assert phone.evaluate(CACHE_NAMES) != []

    # No connection: three lessons, back and forth, from the device.
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{COURSE}")
    expect(phone.get_by_role("heading", name="Starting a landscape partnership")).to_be_visible()
    banner = phone.locator(".offline-banner")
    expect(banner).to_contain_text("Saved on this device on")
    every_rendition_loads(phone)  # the cover
    phone.get_by_role("link", name=LESSONS[0]).click()
    expect(phone.get_by_role("heading", name=LESSONS[0], exact=True)).to_be_visible()
    expect(banner).to_contain_text("Saved on this device on")
    every_rendition_loads(phone)  # the lesson's image
    # The saved stylesheet styles the saved page.
    assert (
        phone.evaluate(
            "getComputedStyle(document.querySelector('.offline-banner')).borderLeftStyle"
        )
        == "solid"
    )
    violations = blocking(phone)
    assert not violations, describe("lesson served from the offline store", violations)
    for title in LESSONS[1:]:
        phone.get_by_role("link", name=re.compile(f"Next: {title}")).click()
        expect(phone.get_by_role("heading", name=title, exact=True)).to_be_visible()
        expect(banner).to_contain_text("Saved on this device on")
    phone.get_by_role("link", name=re.compile(f"Previous: {LESSONS[1]}")).click()
    expect(phone.get_by_role("heading", name=LESSONS[1], exact=True)).to_be_visible()
    expect(banner).to_be_visible()

    # A page that was not saved is not made up; it leads back to what was.
    phone.goto(f"{live_server.url}/forums/")
    expect(
        phone.get_by_role(
            "heading", name="You are offline, and this page is not saved on this device."
        )
    ).to_be_visible()
    violations = blocking(phone)
    assert not violations, describe("a page not saved, offline", violations)
    phone.get_by_role("link", name="Starting a landscape partnership").click()
    expect(banner).to_contain_text("Saved on this device on")

    # Online again, the learner signs out: the logout response's Clear-Site-Data empties the
    # stores. The form is submitted without its submit event, so the script's own clean-up
    # (for browsers that ignore the header) plays no part.
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}{COURSE}")
    expect(phone.locator(".offline-banner")).to_have_count(0)
    phone.evaluate(
        "HTMLFormElement.prototype.submit.call(document.querySelector('form[data-offline-logout]'))"
    )
    phone.locator(".menu > summary").click()  # on a phone the header's links are in the menu
    expect(phone.get_by_role("link", name="Log in")).to_be_visible()
    assert phone.evaluate(CACHE_NAMES) == []


def until(page, script: str, arg, timeout: float = 15.0) -> None:
    """Wait until an async script in the page resolves truthy. ``wait_for_function`` does not
    await a returned promise (a promise is truthy): it passed before the worker had done
    anything, which is how a refresh still running looked like a refresh that stored the old
    page."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        page.wait_for_timeout(100)


SAVED_COPY_IS_REVISED = """(url) => caches.keys()
    .then(names => caches.open(names.find(n => n.startsWith("lc-offline-"))))
    .then(store => store.match(url)).then(r => r && r.text())
    .then(html => Boolean(html && html.includes("landscape scale, revised")))"""


OUTDATED_KNOWN = """(url) => caches.keys()
    .then(names => caches.open(names.find(n => n.startsWith("lc-offline-"))))
    .then(store => store.match("/__offline-meta__")).then(r => r.json())
    .then(meta => meta.entries[url] && meta.entries[url].latest !== meta.entries[url].version)"""


def save_the_course_then_republish_a_lesson(live_server, phone):
    """The learner saves the demo course (the test takes ``committed_demo``); the trainer then
    republishes its first lesson.
    Returns the offline control and the lesson's path."""
    from courses.models import LessonPage

    log_in(phone, live_server.url, "learner")
    phone.goto(f"{live_server.url}{COURSE}")
    control = phone.locator(".offline-save")
    control.get_by_role("button", name=re.compile("Save this course for offline")).click()
    expect(control.locator(".offline-save__status")).to_contain_text("Saved on this device on")

    lesson = LessonPage.objects.get(slug="why-work-at-landscape-scale", locale__language_code="en")
    lesson.title = "Why work at landscape scale, revised"
    lesson.save_revision().publish()
    path = lesson.url
    return control, path


@pytest.mark.usefixtures("committed_demo")
def test_a_republished_lesson_saved_before_says_it_is_out_of_date_offline(live_server, phone):
    control, path = save_the_course_then_republish_a_lesson(live_server, phone)

    # Back on the course page while the lesson itself cannot be fetched: the worker learns of
    # the new version from the manifest but keeps the saved copy, and says it is out of date.
    phone.context.route(f"**{path}", lambda route: route.abort())
    phone.goto(f"{live_server.url}{COURSE}")
    until(phone, OUTDATED_KNOWN, path)
    # The refresh has ended (it could not fetch the lesson) and says so.
    expect(control.locator(".offline-save__status")).to_contain_text("could not be saved")
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{path}")
    expect(
        phone.get_by_role("heading", name="Why work at landscape scale", exact=True)
    ).to_be_visible()
    expect(phone.locator(".offline-banner__outdated")).to_contain_text(
        "A newer version of this lesson"
    )


@pytest.mark.usefixtures("committed_demo")
def test_a_republished_lesson_is_refreshed_at_the_next_connection(live_server, phone):
    _control, path = save_the_course_then_republish_a_lesson(live_server, phone)

    # The next connection on the course page brings the saved copy up to date.
    phone.goto(f"{live_server.url}{COURSE}")
    until(phone, SAVED_COPY_IS_REVISED, path)
    # Offline at once, the refresh perhaps not over: the fresh copy is not called out of date.
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{path}")
    expect(
        phone.get_by_role("heading", name="Why work at landscape scale, revised", exact=True)
    ).to_be_visible()
    expect(phone.locator(".offline-banner")).to_contain_text("Saved on this device on")
    expect(phone.locator(".offline-banner__outdated")).to_have_count(0)
