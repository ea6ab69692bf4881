"""A learner's way through a course on a phone-sized screen, in a real Chromium: a quiz refused
for a missing answer comes back on the lesson with the answers kept; the review after
submitting shows their answers, the right ones and feedback, and their past attempts; a course
with a prerequisite refuses them until a trainer waives it; a lesson's discussion opens as a
forum topic they can reply in, and the outline inside the lesson marks where they are. axe
checks the new pages at 360 px and 1280 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courses import services
from network.roles import Role
from tests.courses import conftest as course_fixtures
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe, run_axe, signed_in_cookie
from tests.e2e.test_course_journey import _wagtail_base_data  # noqa: F401 -- a fixture

catalogue = course_fixtures.catalogue
make_course = course_fixtures.make_course

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(new_page, user, base_url: str):
    page = new_page()
    page.context.add_cookies([signed_in_cookie(user, base_url)])
    return page


@pytest.fixture
def axe_phone(browser):
    """A phone whose pages axe can be injected into (``bypass_csp``: axe is an inline script,
    which the site's policy rightly refuses; the other devices keep the policy checked)."""
    contexts = []

    def factory(user, base_url: str):
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="en-GB", bypass_csp=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        context.add_cookies([signed_in_cookie(user, base_url)])
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


def _no_blocking_violations(page, where: str) -> None:
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        assert blocking == [], describe(f"{where} at {width}px", blocking)


def test_the_quiz_error_is_kept_on_the_form_and_the_review_follows(
    live_server, axe_phone, make_course, make_user
):
    built = make_course(modules=1, lessons=1)
    learner = make_user(display_name="Amina")
    services.enrolment_create(user=learner, course=built.course)
    phone = axe_phone(learner, live_server.url)
    phone.goto(live_server.url + built.quiz_lesson.url)

    # Question 3 (true or false) left out: the lesson comes back with the reason, answers kept.
    phone.get_by_label("Answer a").first.check()  # question 1: wrong on purpose
    quiz = phone.locator("section.quiz")
    multi = quiz.locator("fieldset").nth(1)
    multi.get_by_label("Answer a").check()
    multi.get_by_label("Answer c").check()
    phone.get_by_label("Your answer").fill("désert")
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("alert")).to_contain_text("Please answer question 3")
    expect(phone.get_by_role("heading", name="Lesson 1", exact=True)).to_be_visible()
    expect(quiz.locator("fieldset").nth(0).get_by_label("Answer a")).to_be_checked()
    expect(multi.get_by_label("Answer c")).to_be_checked()
    expect(phone.get_by_label("Your answer")).to_have_value("désert")
    _no_blocking_violations(phone, "the refused quiz")

    # Answered in full: the review shows each answer, and the right ones are held back.
    phone.get_by_label("False").check()
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("heading", name="Not passed yet")).to_be_visible()
    first_review = phone.locator(".quiz-results > li").first
    expect(first_review).to_contain_text("Incorrect")
    expect(first_review).to_contain_text("Answer a")
    expect(first_review).to_contain_text("SECRET-WRONG-single")
    expect(phone.get_by_text("Right answer", exact=True)).to_have_count(0)
    _no_blocking_violations(phone, "a failed attempt's review")

    # Passed: the right answers show, and the first attempt can be reviewed again.
    phone.get_by_role("link", name="Try again").click()
    quiz = phone.locator("section.quiz")
    quiz.locator("fieldset").nth(0).get_by_label("Answer b").check()
    quiz.locator("fieldset").nth(1).get_by_label("Answer a").check()
    quiz.locator("fieldset").nth(1).get_by_label("Answer c").check()
    phone.get_by_label("False").check()
    phone.get_by_label("Your answer").fill("paramo")
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("heading", name="Quiz passed")).to_be_visible()
    expect(phone.locator(".quiz-results > li").first).to_contain_text("Correct")
    phone.get_by_role("link", name=re.compile(r"Attempt 1: 50%")).click()
    expect(phone.get_by_role("heading", name="Not passed yet")).to_be_visible()
    expect(phone.locator(".quiz-results > li").first).to_contain_text("Answer b")  # the right one


def test_an_enforced_prerequisite_until_the_trainer_waives_it(
    live_server, new_page, axe_phone, make_course, make_user
):
    trainer = make_user(Role.TRAINER, display_name="Tomas Trainer")
    first = make_course(title="Foundations", modules=1, lessons=1, quiz=False)
    second = make_course(title="Advanced grazing", trainers=[trainer], quiz=False)
    second.course.prerequisites.add(first.course)
    second.course.save_revision().publish()
    learner = make_user(display_name="Amina")

    phone = axe_phone(learner, live_server.url)
    phone.goto(live_server.url + second.course.url)
    expect(phone.get_by_text("Complete these courses first")).to_be_visible()
    expect(
        phone.locator("[data-prerequisites]").get_by_role("link", name="Foundations")
    ).to_be_visible()
    expect(phone.get_by_role("button", name="Enrol in this course")).to_have_count(0)
    _no_blocking_violations(phone, "a course with a prerequisite")

    desk = _signed_in(new_page, trainer, live_server.url)
    desk.goto(live_server.url + second.course.url)
    desk.get_by_role("link", name="Course report").click()
    desk.get_by_label("Learner's e-mail address or username").fill(learner.email)
    desk.get_by_role("button", name="Waive prerequisites").click()
    expect(desk.get_by_text("Amina may now enrol")).to_be_visible()

    phone.reload()
    phone.get_by_role("button", name="Enrol in this course").click()
    expect(phone.get_by_text("You are enrolled.")).to_be_visible()


def test_a_lesson_discussion_and_the_outline_inside_the_lesson(
    live_server, new_page, axe_phone, make_course, make_user
):
    built = make_course(title="Rangelands", modules=2, lessons=2, quiz=False)
    learner = make_user(display_name="Amina")
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    phone = axe_phone(learner, live_server.url)
    phone.goto(live_server.url + built.lessons[1].url)

    phone.locator(".lesson-outline summary").click()
    outline = phone.get_by_role("navigation", name="Course outline")
    expect(outline.locator('[aria-current="page"]')).to_have_text("Lesson 2")
    expect(outline.locator("li.is-done")).to_have_count(1)
    expect(outline.locator("li.is-done")).to_contain_text("Lesson 1")
    _no_blocking_violations(phone, "a lesson with its outline")

    phone.get_by_role("button", name="Discuss this lesson").click()
    expect(phone.get_by_role("heading", name="Lesson 2")).to_be_visible()
    phone.locator("#reply textarea").first.fill("What about drought years?")
    phone.get_by_role("button", name="Post reply").click()
    expect(phone.get_by_text("What about drought years?")).to_be_visible()
    topic_url = phone.url.split("#")[0]

    # Another learner of the course finds the same thread from the lesson.
    other = make_user(display_name="Bruno")
    services.enrolment_create(user=other, course=built.course)
    second = _signed_in(new_page, other, live_server.url)
    second.goto(live_server.url + built.lessons[1].url)
    second.get_by_role("button", name="Discuss this lesson").click()
    expect(second.get_by_text("What about drought years?")).to_be_visible()
    assert second.url.split("#")[0].split("?")[0] == topic_url.split("?")[0]
