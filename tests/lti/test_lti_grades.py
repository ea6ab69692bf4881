"""Grade return (AGS): a learner launched from a platform with the AGS claim answers a quiz, and
the platform stand-in's own endpoints receive what a real platform would: a token request whose
client assertion it checks against our key set, then the Score on the line item's ``/scores``.
Sent after commit, once; kept and sent later when the platform was down; nothing for a rolled
back write or a learner who never came through a launch with AGS."""

from __future__ import annotations

import datetime
import logging

import jwt
import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lti_tool.models import Key, LtiLineItem

from courses.services import quiz_attempt_submit
from lti import grade_sending, scores
from lti.launch import ensure_signing_key
from lti.models import GradeLink, LinkedAccount
from lti.services import SCORE_SCOPE
from tests.courses.conftest import QUIZ_ID, RIGHT, WRONG
from tests.lti.lti_platform import AGS, AGS_CLAIM, SCORE_TYPE, new_key
from tests.lti.test_lti_launch import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(platform):
    """The stand-in checks client assertions against the key set our /lti/jwks.json serves."""
    ensure_signing_key()
    platform.tool_jwks = Key.objects.as_jwks()
    return platform


@pytest.fixture
def course(make_course):
    return make_course(modules=1, lessons=2, quiz=True)


def form(answers: dict, attempt: int) -> dict:
    return {"attempt": str(attempt), **{f"q-{key}": value for key, value in answers.items()}}


def submit(client: Client, lesson, answers: dict, attempt: int = 1):
    response = client.post(
        reverse("courses:quiz_submit", args=[lesson.pk, QUIZ_ID]), form(answers, attempt)
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return response


def launched(client, platform, registration, **overrides) -> GradeLink | None:
    response, _form = launch(client, platform, registration, **overrides)
    assert response.status_code == 302
    user = LinkedAccount.objects.get(issuer=platform.issuer, sub="learner-1").user
    return GradeLink.objects.filter(user=user).first()


def test_a_launch_with_the_ags_claim_remembers_the_line_item_for_the_target(
    client, platform, registration, course
):
    lesson = course.quiz_lesson
    link = launched(client, platform, registration, custom={"lesson": str(lesson.pk)})
    assert link is not None
    assert link.line_item.url == platform.line_item_url(1)
    assert link.line_item.resource_link.id_on_platform == "link-1"
    assert link.line_item.context.id_on_platform == "course-101"
    assert (link.course_key, link.lesson_key) == (
        course.course.translation_key,
        lesson.translation_key,
    )
    assert link.lti_user.sub == "learner-1"
    assert link.changed_at is None  # nothing to send yet


def test_a_passed_quiz_sends_one_completed_score_after_commit(
    client, platform, registration, course, django_capture_on_commit_callbacks
):
    lesson = course.quiz_lesson
    launched(client, platform, registration, custom={"lesson": str(lesson.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, lesson, RIGHT)
        assert platform.scores == []  # nothing leaves before the learner's write commits

    link = GradeLink.objects.get()
    assert len(platform.scores) == 1
    received = platform.scores[0]
    assert received["path"] == "/lineitems/1/lineitem/scores"
    assert received["content_type"] == SCORE_TYPE
    assert received["score"] == {
        "userId": "learner-1",
        "scoreGiven": 100.0,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": link.changed_at.isoformat(),
    }
    assert link.sent_for == link.changed_at
    assert len(platform.token_requests) == 1
    assert platform.token_requests[0]["scope"] == SCORE_SCOPE

    assert grade_sending.send_pending(respect_backoff=False).sent == 0
    assert len(platform.scores) == 1


def test_a_course_link_gets_the_best_attempt_pending_until_the_course_is_complete(
    client, platform, registration, course, django_capture_on_commit_callbacks
):
    """The course's only quiz passed (100), then failed (0): the best counts, and the course
    is complete only once its other lesson is done too (its certificate issued)."""
    launched(client, platform, registration, custom={"course": str(course.course.pk)})
    quiz_lesson, other = course.quiz_lesson, course.lessons[0]
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, quiz_lesson, RIGHT, attempt=1)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, quiz_lesson, WRONG, attempt=2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:lesson_complete", args=[other.pk]))

    progress = [
        (s["score"]["scoreGiven"], s["score"]["activityProgress"], s["score"]["gradingProgress"])
        for s in platform.scores
    ]
    assert progress == [
        (100.0, "InProgress", "Pending"),
        (100.0, "InProgress", "Pending"),
        (100.0, "Completed", "FullyGraded"),
    ]
    stamps = [s["score"]["timestamp"] for s in platform.scores]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3


def test_a_platform_down_keeps_the_score_and_it_arrives_later(
    client, platform, registration, course, django_capture_on_commit_callbacks, caplog
):
    lesson = course.quiz_lesson
    launched(client, platform, registration, custom={"lesson": str(lesson.pk)})
    platform.unavailable = True
    with caplog.at_level(logging.WARNING, logger="lti"):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client, lesson, WRONG)
    assert response.status_code == 302  # the learner is answered all the same
    link = GradeLink.objects.get()
    assert platform.scores == []
    assert link.attempts == 1 and "503" in link.last_error
    assert link.next_attempt_at > datetime.datetime.now(tz=datetime.UTC)
    assert "kept for a retry" in caplog.text

    platform.unavailable = False
    assert grade_sending.send_pending().sent == 0  # its back-off is still running
    assert grade_sending.send_pending(respect_backoff=False).sent == 1  # the sweep
    assert [s["score"]["scoreGiven"] for s in platform.scores] == [0.0]
    assert platform.scores[0]["score"]["gradingProgress"] == "Pending"
    link.refresh_from_db()
    assert (link.attempts, link.last_error, link.sent_for) == (0, "", link.changed_at)


def test_a_platform_switched_off_in_the_admin_gets_nothing_until_it_is_switched_on(
    client, platform, registration, course, django_capture_on_commit_callbacks
):
    lesson = course.quiz_lesson
    launched(client, platform, registration, custom={"lesson": str(lesson.pk)})
    registration.is_active = False
    registration.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, lesson, RIGHT)
    assert platform.scores == [] and platform.token_requests == []
    registration.is_active = True
    registration.save()
    assert grade_sending.send_pending().sent == 1
    assert platform.scores[0]["score"]["activityProgress"] == "Completed"


def test_a_rolled_back_write_sends_nothing(
    client, platform, registration, course, django_capture_on_commit_callbacks
):
    lesson = course.quiz_lesson
    launched(client, platform, registration, custom={"lesson": str(lesson.pk)})
    user = GradeLink.objects.get().user

    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abandoned), transaction.atomic():
            quiz_attempt_submit(
                user=user, lesson=lesson, block_id=QUIZ_ID, answers=RIGHT, attempt_number=1
            )
            assert GradeLink.objects.get().changed_at is not None
            raise Abandoned
    assert callbacks == []
    assert GradeLink.objects.get().changed_at is None
    assert grade_sending.send_pending(respect_backoff=False).sent == 0
    assert platform.scores == [] and platform.token_requests == []


def test_a_learner_without_an_ags_launch_sends_nothing(
    client, platform, registration, course, django_capture_on_commit_callbacks
):
    lesson = course.quiz_lesson
    assert (
        launched(
            client, platform, registration, custom={"lesson": str(lesson.pk)}, **{AGS_CLAIM: None}
        )
        is None
    )
    # A claim without the score scope (the platform lets us read, not write) counts for nothing.
    reading_only = {"scope": [AGS + "lineitem.readonly"], "lineitem": platform.line_item_url(2)}
    classmate = Client()
    launch(
        classmate,
        platform,
        registration,
        sub="learner-2",
        custom={"lesson": str(lesson.pk)},
        **{AGS_CLAIM: reading_only},
    )
    assert not GradeLink.objects.exists() and not LtiLineItem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(client, lesson, RIGHT)
        submit(classmate, lesson, RIGHT)
    assert callbacks == []
    assert platform.scores == [] and platform.token_requests == []


def test_the_token_request_is_signed_with_our_key_and_a_platform_that_cannot_verify_it_refuses(
    client, platform, registration, course, django_capture_on_commit_callbacks, caplog
):
    lesson = course.quiz_lesson
    launched(client, platform, registration, custom={"lesson": str(lesson.pk)})
    ours = Key.objects.active().latest()
    # The platform knows another tool key only (the registration's key set URL is wrong).
    foreign = jwt.algorithms.RSAAlgorithm.to_jwk(new_key().public_key(), as_dict=True)
    platform.tool_jwks = {"keys": [{**foreign, "kid": str(ours)}]}
    with caplog.at_level(logging.ERROR, logger="lti"):
        with django_capture_on_commit_callbacks(execute=True):
            submit(client, lesson, RIGHT)
    assert platform.scores == []
    assert platform.token_requests[0]["refusal"].startswith("invalid client assertion")
    link = GradeLink.objects.get()
    assert "refused our client assertion (401)" in link.last_error
    assert "check the registration's client ID" in caplog.text

    platform.tool_jwks = Key.objects.as_jwks()
    assert grade_sending.send_pending(respect_backoff=False).sent == 1
    request = platform.token_requests[-1]
    assert request["refusal"] == ""
    assertion = request["client_assertion"]
    assert jwt.get_unverified_header(assertion)["kid"] == str(ours)
    claims = jwt.decode(
        assertion, ours.public_key, algorithms=["RS256"], audience=platform.token_url
    )
    assert claims["iss"] == claims["sub"] == platform.client_id
    assert len(platform.scores) == 1


def test_a_quiz_submission_with_ags_costs_the_same_queries_for_more_links_and_lessons(
    client, platform, registration, make_course
):
    """The learner's write: one UPDATE of their grade links per fact, whatever their number
    or the course's size (the score is read by the task worker, after commit)."""

    def cost(built, extra_links: int, sub: str) -> int:
        lesson = built.quiz_lesson
        ags = {"scope": [AGS + "score"], "lineitem": platform.line_item_url(len(sub))}
        response, _form = launch(
            Client(),
            platform,
            registration,
            sub=sub,
            custom={"course": str(built.course.pk)},
            **{AGS_CLAIM: ags},
        )
        assert response.status_code == 302
        link = (
            GradeLink.objects.select_related("user", "lti_user", "line_item")
            .filter(course_key=built.course.translation_key)
            .get()
        )
        for number in range(extra_links):
            line_item = LtiLineItem.objects.create(
                context=link.line_item.context,
                url=f"{platform.origin}/lineitems/{100 + number}/lineitem",
                maximum_score=100,
                label=f"Extra {number}",
            )
            GradeLink.objects.create(
                lti_user=link.lti_user,
                user=link.user,
                line_item=line_item,
                course_key=link.course_key,
                lesson_key=lesson.translation_key if number % 2 else None,
            )
        with CaptureQueriesContext(connection) as queries:
            quiz_attempt_submit(
                user=link.user, lesson=lesson, block_id=QUIZ_ID, answers=WRONG, attempt_number=1
            )
        assert GradeLink.objects.filter(user=link.user, changed_at__isnull=False).count() == (
            1 + extra_links
        )
        return len(queries)

    small = cost(make_course(modules=1, lessons=2), extra_links=0, sub="learner-1")
    large = cost(make_course(modules=3, lessons=3), extra_links=4, sub="learner-22")
    assert small == large


def test_the_score_rule_is_the_mean_of_best_attempts_and_completion_makes_it_final():
    now = datetime.datetime(2026, 12, 4, 15, 0, tzinfo=datetime.UTC)
    partial = scores.Standing(user_id="s", best_scores=(100, 50, 0), completed=False, timestamp=now)
    assert scores.score_json(partial) == {
        "userId": "s",
        "scoreGiven": 50.0,
        "scoreMaximum": 100,
        "activityProgress": "InProgress",
        "gradingProgress": "Pending",
        "timestamp": "2026-12-04T15:00:00+00:00",
    }
    read = scores.Standing(user_id="s", best_scores=(), completed=False, timestamp=now)
    assert "scoreGiven" not in scores.score_json(read)
    done = scores.Standing(user_id="s", best_scores=(), completed=True, timestamp=now)
    assert scores.score_json(done)["scoreGiven"] == 100.0
    assert scores.score_json(done)["gradingProgress"] == "FullyGraded"
    with pytest.raises(ValueError):
        scores.grade(scores.Standing("s", (), False, datetime.datetime(2026, 1, 1)))
