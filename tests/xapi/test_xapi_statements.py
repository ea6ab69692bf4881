"""xapi.statements builds statements as data; xapi.sending's back-off doubles to its cap."""

from __future__ import annotations

import datetime
import uuid

from xapi import sending, statements

WHEN = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
COURSE = statements.Activity(id="https://site/courses/c/", type="course", names={"en": "C"})
LESSON = statements.Activity(id="https://site/courses/c/m/l/", type="lesson")
QUIZ = statements.Activity(id="https://site/courses/c/m/l/#quiz-1", type="assessment")


def build(**fields) -> dict:
    return statements.statement(
        statement_id=uuid.UUID(int=1),
        actor=statements.actor(home_page="https://site", name="opaque"),
        verb=fields.pop("verb", "completed"),
        timestamp=WHEN,
        **fields,
    )


def test_a_lesson_has_its_course_as_parent():
    built = build(activity=LESSON, course=COURSE)
    assert built["context"]["contextActivities"] == {"parent": [COURSE.as_json()]}
    assert built["object"] == {
        "objectType": "Activity",
        "id": LESSON.id,
        "definition": {"type": "http://adlnet.gov/expapi/activities/lesson"},
    }


def test_a_quiz_has_its_lesson_as_parent_and_its_course_as_grouping():
    built = build(activity=QUIZ, parent=LESSON, course=COURSE, verb="passed")
    assert built["context"]["contextActivities"] == {
        "parent": [LESSON.as_json()],
        "grouping": [COURSE.as_json()],
    }
    assert built["verb"] == {
        "id": "http://adlnet.gov/expapi/verbs/passed",
        "display": {"en-US": "passed"},
    }


def test_the_course_itself_has_no_context_activities():
    built = build(activity=COURSE, course=COURSE, registration="r")
    assert built["context"] == {"registration": "r"}


def test_a_score_is_scaled_raw_and_bounded():
    score = statements.Score(percent=75, correct=3, maximum=4, passed=True)
    assert score.as_json() == {
        "score": {"scaled": 0.75, "raw": 3, "min": 0, "max": 4},
        "success": True,
        "completion": True,
    }


def test_a_registration_is_one_per_learner_and_course_and_names_neither():
    first = statements.registration(account_name="a", course_key=uuid.UUID(int=5))
    assert first == statements.registration(account_name="a", course_key=uuid.UUID(int=5))
    assert first != statements.registration(account_name="b", course_key=uuid.UUID(int=5))
    assert first != statements.registration(account_name="a", course_key=uuid.UUID(int=6))


def test_back_off_doubles_up_to_its_cap(settings):
    settings.XAPI_RETRY_SECONDS = 30
    settings.XAPI_RETRY_MAX_SECONDS = 3600
    seconds = [sending.backoff(attempts).total_seconds() for attempts in (1, 2, 3, 7, 8, 20)]
    assert seconds == [30, 60, 120, 1920, 3600, 3600]
