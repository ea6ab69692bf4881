"""The SCORM 1.2 package under a real SCORM run-time in Chromium: scorm-again's ``Scorm12API``
(vendored in tests/data/scorm-again/) is ``window.API`` in a harness page that frames one SCO,
as a learning system does. The learner answers the quiz in the browser, leaves the lesson, and
the run-time holds the status and score they earned, the same score ``courses.grading`` gives.

The package and the harness are served by Playwright's routes on an address of their own
(``http://lms.test/``): no server, no port."""

from __future__ import annotations

import io
import mimetypes
import zipfile
from pathlib import Path

import pytest

from courses.blocks import quiz_from_block
from courses.exports import ExportFormat, export_course
from courses.grading import grade

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

RUNTIME = Path(__file__).resolve().parents[1] / "data" / "scorm-again" / "scorm12.min.js"
ORIGIN = "http://lms.test"
HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="/scorm-again/scorm12.min.js"></script>
<script>
  window.API = new Scorm12API({lmsCommitUrl: false, autocommit: false, logLevel: 5});
  window.calls = [];
  window.finished = false;
  ["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish"].forEach(function (name) {
    window.API.on(name, function (element, value) { window.calls.push([name, element, value]); });
  });
  window.API.on("LMSFinish", function () { window.finished = true; });
</script></head>
<body><iframe id="sco" title="SCO" src="/LESSON" style="width:100%;height:1600px"></iframe></body>
</html>"""


@pytest.fixture
def lms(browser, rich_course):
    """``open(lesson_path)``: a fresh learning-system page framing that SCO of the package."""
    buffer = io.BytesIO()
    export_course(course=rich_course.course, export_format=ExportFormat.SCORM12, target=buffer)
    files = {
        name: zipfile.ZipFile(buffer).read(name) for name in zipfile.ZipFile(buffer).namelist()
    }
    files["scorm-again/scorm12.min.js"] = RUNTIME.read_bytes()
    contexts = []

    def open_lesson(lesson_path: str):
        context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        served = {**files, "index.html": HARNESS.replace("LESSON", lesson_path).encode()}

        def serve(route):
            name = route.request.url.removeprefix(f"{ORIGIN}/").split("?")[0]
            if name not in served:
                route.fulfill(status=404, body="not in the package")
                return
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=served[name], content_type=content_type)

        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{ORIGIN}/index.html")
        page.wait_for_function("() => window.calls.some(call => call[0] === 'LMSInitialize')")
        page.errors = errors
        return page

    yield open_lesson
    for context in contexts:
        context.close()


def _answer(sco, answers: dict[str, list[str]]) -> None:
    sco.locator("form.quiz-form").evaluate("form => form.reset()")
    for question_id, values in answers.items():
        for value in values:
            if question_id == "q-short":
                sco.locator("#q-quiz-1-q-short").fill(value)
            else:
                sco.locator(f"#q-quiz-1-{question_id}-{value}").check()
    sco.get_by_role("button", name="Submit answers").click()


def _leave(page) -> dict[str, str]:
    """The learner leaves the lesson (the frame navigates away): the SCO finishes."""
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("() => window.finished")
    return page.evaluate(
        """() => ({
            status: API.cmi.core.lesson_status,
            raw: String(API.cmi.core.score.raw),
            min: String(API.cmi.core.score.min),
            max: String(API.cmi.core.score.max),
            // Write-only elements: what the SCO set, from the run-time's own events.
            exit: calls.filter(call => call[1] === "cmi.core.exit").map(call => call[2]).pop(),
            sessionTime: calls
                .filter(call => call[1] === "cmi.core.session_time")
                .map(call => call[2])
                .pop(),
            suspend: API.cmi.suspend_data,
        })"""
    )


CASES = {
    "all right": (
        {"q-single": ["b"], "q-multi": ["a", "c"], "q-tf": ["false"], "q-short": ["Páramo"]},
        "passed",
        100,
    ),
    "all wrong": (
        {"q-single": ["a"], "q-multi": ["a"], "q-tf": ["true"], "q-short": ["desert"]},
        "failed",
        0,
    ),
    # Three of four (75%, the pass mark); the short answer as typed in a hurry still counts.
    "three right": (
        {"q-single": ["b"], "q-multi": ["a"], "q-tf": ["false"], "q-short": ["  PÁRAMO!! "]},
        "passed",
        75,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_runtime_records_the_status_and_score_the_learner_earned(lms, rich_course, case):
    answers, status, score = CASES[case]
    quiz = quiz_from_block(rich_course.quiz_lesson.quiz_blocks()[0].value)
    assert grade(quiz, answers).score == score  # what the site would record
    page = lms("lessons/lesson-4.html")
    sco = page.frame_locator("#sco")
    assert page.evaluate("API.cmi.core.lesson_status") == "incomplete"
    _answer(sco, answers)
    result = sco.locator(".quiz-result")
    assert f"Your score: {score}%" in result.inner_text()
    feedback = sco.locator('[data-question="q-single"] .quiz-feedback').inner_text()
    assert ("SECRET-RIGHT-single" if answers["q-single"] == ["b"] else "SECRET-WRONG-single") in (
        feedback
    )
    recorded = _leave(page)
    assert recorded["status"] == status
    assert recorded["raw"] == str(score)
    assert (recorded["min"], recorded["max"]) == ("0", "100")
    assert recorded["exit"] == ("" if status == "passed" else "suspend")
    assert recorded["sessionTime"] != ""
    assert page.errors == []
    calls = page.evaluate("window.calls.map(call => call[0])")
    assert calls[0] == "LMSInitialize" and calls[-1] == "LMSFinish"


def test_a_question_left_unanswered_is_asked_for_and_nothing_is_recorded(lms):
    page = lms("lessons/lesson-4.html")
    sco = page.frame_locator("#sco")
    _answer(sco, {"q-single": ["b"], "q-multi": ["a", "c"], "q-tf": ["false"]})
    assert sco.get_by_role("alert").inner_text() == "Please answer question 4."
    assert page.evaluate("API.cmi.core.score.raw") == ""
    assert page.evaluate("API.cmi.core.lesson_status") == "incomplete"


def test_the_attempt_limit_holds_and_the_best_score_counts(lms):
    page = lms("lessons/lesson-4.html")
    sco = page.frame_locator("#sco")
    wrong, _status, _score = CASES["all wrong"]
    right, _status, _score = CASES["all right"]
    _answer(sco, right)
    page.wait_for_function("() => API.cmi.core.lesson_status === 'passed'")
    for _attempt in range(2):
        _answer(sco, wrong)
    assert sco.get_by_role("button", name="Submit answers").is_disabled()
    assert (
        "You have used all your attempts at this quiz." in sco.locator(".quiz-result").inner_text()
    )
    recorded = _leave(page)
    assert (recorded["status"], recorded["raw"]) == ("passed", "100")
    assert '"attempts":3' in recorded["suspend"]


def test_a_lesson_without_a_quiz_is_completed_once_read(lms):
    page = lms("lessons/lesson-1.html")
    sco = page.frame_locator("#sco")
    assert sco.locator("img").first.evaluate("img => img.complete && img.naturalWidth") == 720
    recorded = _leave(page)
    assert recorded["status"] == "completed"
    assert recorded["raw"] == ""
    assert page.errors == []
