"""A trainer edits a lesson in the Wagtail admin, sees the draft in the live preview (no CSP
violation: the preview frame is the one response that may be framed, and only by the admin),
submits it for review; an editor, not a superuser, finds it in the review queue on the
dashboard and approves it, which publishes it. Then the trainer opens the course's inactive
learners from its report, ticks the demo learner and writes to them (checked with axe)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
)
from network.models import User

pytestmark = pytest.mark.django_db(transaction=True)

LESSON_SLUG = "grants-loans-and-equity"
DRAFT_TITLE = "Grants, loans and equity (revised)"
AXE_SCRIPT = Path(__file__).resolve().parents[1] / "data" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password:", exact=True).fill(f"{username}-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


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
    phone.add_script_tag(path=str(AXE_SCRIPT))
    violations = phone.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"]}).then(results => results.violations)""",
        WCAG_TAGS,
    )
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []
    phone.get_by_role("button", name="Send message").click()
    expect(phone.get_by_text("Your message was sent to 1 learner.")).to_be_visible()
    [sent] = mail.outbox
    assert sent.to == [quiet.email] and "Module 2 is waiting for you." in sent.body
    context.close()
