"""A trainer edits a lesson in the Wagtail admin, sees the draft in the live preview (no CSP
violation: the preview frame is the one response that may be framed, and only by the admin),
submits it for review; an editor, not a superuser, finds it in the review queue on the
dashboard and approves it, which publishes it. The trainer starts a new lesson and Wagtail's
autosave drafts it; changing its slug afterwards is not blocked by that draft. Then the
trainer opens the course's inactive learners from its report, ticks the demo learner and
writes to them; the learner finds the message among their notifications, saves a reflection
shared with the trainers, and the trainer reads it on the course's reflections page (each
page checked with axe at 360 and 1280 px)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
)
from network.models import User
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

LESSON_SLUG = "grants-loans-and-equity"
REFLECTION_LESSON_SLUG = "an-investable-proposal"
DRAFT_TITLE = "Grants, loans and equity (revised)"
NEW_TITLE = "Microfinance for tree nurseries"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password:", exact=True).fill(f"{username}-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


def no_blocking_violations(page, where: str) -> None:
    """axe-core (injected: the context has ``bypass_csp``) finds no serious or critical WCAG
    violation on the page as it is now, on a 360 px phone and a 1280 px screen."""
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
        assert blocking == [], describe(f"{where} at {width}px", blocking)


def record_violations(page) -> list[str]:
    """``securitypolicyviolation`` events in the admin and in every frame it opens, besides
    the console messages the ``new_page`` fixture already fails on."""
    seen: list[str] = []
    page.expose_function("reportViolation", lambda text: seen.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


@pytest.mark.usefixtures("committed_demo")
def test_trainer_previews_and_submits_and_an_editor_approves(live_server, new_page, browser):
    lesson = LessonPage.objects.get(slug=LESSON_SLUG, locale__language_code="en")
    original_title = lesson.title
    assert not User.objects.get(username="editor").is_superuser

    laptop = new_page()
    laptop.set_viewport_size({"width": 1400, "height": 900})
    violations = record_violations(laptop)
    log_in(laptop, live_server.url, "trainer")
    laptop.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    title = laptop.locator("#id_title")
    title.fill(DRAFT_TITLE)

    # The live preview, in the side panel's frame, shows the draft.
    laptop.get_by_role("button", name="Toggle preview").click()
    frame = laptop.frame_locator("iframe#w-preview-iframe")
    expect(frame.get_by_role("heading", name=DRAFT_TITLE)).to_be_visible(timeout=20_000)
    assert violations == []

    # Submit for review (the footer's action menu).
    laptop.locator("footer").get_by_role("button", name="More actions").click()
    laptop.get_by_role("button", name="Submit to Course review").click()
    expect(laptop.get_by_text("has been submitted for moderation")).to_be_visible()
    lesson.refresh_from_db()
    assert lesson.title == original_title and lesson.current_workflow_state is not None

    # An editor finds it awaiting review on the dashboard and approves it.
    desk = new_page()
    desk.set_viewport_size({"width": 1400, "height": 900})
    log_in(desk, live_server.url, "editor")
    desk.goto(f"{live_server.url}/admin/")
    queue = desk.locator("section", has_text="Awaiting your review")
    expect(queue.get_by_text(DRAFT_TITLE)).to_be_visible()
    row = queue.get_by_role("row").filter(has_text=DRAFT_TITLE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(desk.get_by_text(DRAFT_TITLE)).to_have_count(0, timeout=15_000)
    lesson.refresh_from_db()
    assert lesson.live and lesson.title == DRAFT_TITLE
    assert lesson.current_workflow_state is None

    # A new lesson: Wagtail's autosave drafts it while the trainer types (the create view turns
    # into the page's edit view), and changing the slug then is not blocked by that draft.
    module = lesson.get_parent()
    laptop.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{module.pk}/")
    # Wagtail takes the form's initial state 2 s after it loads and autosaves what differs
    # from it: a person types later than that.
    laptop.wait_for_timeout(2_500)
    laptop.locator("#id_title").fill(NEW_TITLE)
    laptop.locator("#id_title").press("Tab")  # on to the next field: the slug follows the title
    expect(laptop).to_have_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=20_000)
    [drafted] = Page.objects.filter(title=NEW_TITLE)
    assert not drafted.live and drafted.slug == "microfinance-for-tree-nurseries"
    laptop.get_by_role("tab", name="Promote").click()
    laptop.locator("#id_slug").fill("nursery-microfinance")
    laptop.locator("footer").get_by_role("button", name="Save draft").click()
    expect(laptop.get_by_text("has been updated")).to_be_visible()
    [drafted] = Page.objects.filter(title=NEW_TITLE)
    assert drafted.get_latest_revision_as_object().slug == "nursery-microfinance"
    assert violations == []

    # The trainer writes to the course's learners who have gone quiet (their activity moved a
    # month back), from the inactive learners page the report links to.
    course = CoursePage.objects.ancestor_of(lesson).get()
    month_ago = timezone.now() - datetime.timedelta(days=30)
    key = course.translation_key
    quiet = User.objects.get(username="learner")
    Enrolment.objects.get_or_create(user=quiet, course_key=key, defaults={"enrolled_at": month_ago})
    Enrolment.objects.filter(course_key=key).update(enrolled_at=month_ago)
    LessonCompletion.objects.filter(course_key=key).update(completed_at=month_ago)
    QuizAttempt.objects.filter(course_key=key).update(submitted_at=month_ago)
    assert Enrolment.objects.get(user=quiet, course_key=key).status == EnrolmentStatus.ACTIVE
    mail.outbox.clear()
    # On a 360 px phone, checked by axe (injected as an inline script: bypass_csp).
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", bypass_csp=True
    )
    phone = context.new_page()
    log_in(phone, live_server.url, "trainer")
    phone.goto(f"{live_server.url}/learning/courses/{course.pk}/report/")
    phone.get_by_role("link", name="Inactive learners").click()
    phone.get_by_label(quiet.public_name, exact=True).check()
    phone.get_by_label("Subject").fill("Still with us?")
    phone.get_by_label("Message", exact=True).fill("Module 2 is waiting for you.")
    no_blocking_violations(phone, "inactive learners")
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.get_by_role("button", name="Send message").click()
    expect(phone.get_by_text("Your message was sent to 1 learner.")).to_be_visible()
    [sent] = mail.outbox
    assert sent.to == [quiet.email] and "Module 2 is waiting for you." in sent.body
    no_blocking_violations(phone, "inactive learners, message sent")

    # The learner reads it among their notifications too, then saves a reflection shared
    # with the trainers (their own reflection, saved, on the lesson: axe-checked).
    learner_context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", bypass_csp=True
    )
    learner = learner_context.new_page()
    log_in(learner, live_server.url, "learner")
    learner.goto(f"{live_server.url}/forums/notifications/")
    notice = learner.get_by_role("link", name=f"wrote about the course “{course.title}”")
    expect(notice).to_contain_text("Still with us? — Module 2 is waiting for you.")
    notice.click()
    expect(learner).to_have_url(f"{live_server.url}{course.url}")
    reflective = LessonPage.objects.get(slug=REFLECTION_LESSON_SLUG, locale__language_code="en")
    learner.goto(f"{live_server.url}{reflective.url}")
    learner.get_by_label("Your reflection").fill("A proposal needs a partner who repays.")
    learner.get_by_label("Share it with my course's trainers").check()
    learner.get_by_role("button", name="Save my reflection").click()
    expect(learner.get_by_text("Your reflection is saved.")).to_be_visible()
    no_blocking_violations(learner, "the learner's own reflection")
    learner_context.close()

    # The trainer reads it on the course's reflections page.
    phone.goto(f"{live_server.url}/learning/courses/{course.pk}/reflections/")
    expect(phone.get_by_text("A proposal needs a partner who repays.")).to_be_visible()
    no_blocking_violations(phone, "course reflections")
    context.close()
