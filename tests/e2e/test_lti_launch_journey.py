"""An LTI 1.3 launch in Chromium: a platform stand-in (its own key, key set and OIDC auth
endpoint, on another localhost port) frames our tool on its course page; the frame goes
through OIDC login initiation, the platform's signed id_token posted to our launch, and shows
the lesson, signed in as the linked account and enrolled. Then a launch with an expired token
shows the refusal in the frame. Every check of the token is pylti1p3's.

Grade return: the learner answers the lesson's quiz inside the frame, and the platform
stand-in's own endpoints receive a token request signed with our key (checked against the key
set our site serves) and the Score on the launch's line item.

Deep linking: the platform's teacher picks a lesson in the frame and sends the tool's signed
response back to the platform, which checks it against our key set."""

from __future__ import annotations

import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from courses.models import Enrolment
from lti.models import GradeLink, LinkedAccount
from tests.courses.conftest import SHORT, catalogue, make_course  # noqa: F401 (fixtures)
from tests.lti.conftest import register
from tests.lti.lti_platform import SCORE_TYPE, Platform
from tests.lti.test_lti_deep_linking import deep_link_request

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def platform_for(live_server, launch: dict):
    """A platform stand-in registered with our tool, its next launch ``launch``."""
    with Platform(host=urlsplit(live_server.url).hostname) as platform:
        registration = register(platform)
        platform.tool_login_url = f"{live_server.url}/lti/login/{registration.uuid}/"
        platform.tool_jwks_url = f"{live_server.url}/lti/jwks.json"
        platform.next_launch = launch(platform) if callable(launch) else launch
        yield platform


def lesson_launch(live_server, lesson) -> dict:
    return {
        "custom": {"lesson": str(lesson.pk)},
        "target_link_uri": live_server.url + lesson.get_url(),
    }


def test_a_platform_frames_a_lesson_through_oidc_login_and_launch(live_server, new_page, request):
    built = request.getfixturevalue("make_course")(modules=1, lessons=2, quiz=False)
    lesson = built.lessons[1]
    with platform_for(live_server, lesson_launch(live_server, lesson)) as platform:
        browser_page = new_page()
        browser_page.goto(f"{platform.origin}/course")
        tool = browser_page.frame_locator("iframe[name=tool]")
        expect(tool.get_by_role("heading", name=lesson.title, level=1)).to_be_visible()

        assert platform.auth_requests[0]["redirect_uri"] == f"{live_server.url}/lti/launch/"
        account = LinkedAccount.objects.get(issuer=platform.issuer, sub="learner-1")
        enrolment = Enrolment.objects.get(user=account.user)
        assert enrolment.course_key == built.course.translation_key
        assert enrolment.cohort.name == "Watersheds 101"

        # The same learner's next activity, whose token the platform signed already expired.
        platform.next_launch = {**platform.next_launch, "exp": 1_000_000}
        browser_page.goto(f"{platform.origin}/course")
        expect(
            tool.get_by_role("heading", name="This activity could not be opened")
        ).to_be_visible()
        expect(tool.get_by_text("could not be verified")).to_be_visible()


def test_a_quiz_answered_in_the_platforms_frame_sends_its_score_to_the_platform(
    live_server, new_page, request
):
    built = request.getfixturevalue("make_course")(modules=1, lessons=1, quiz=True)
    lesson = built.quiz_lesson
    with platform_for(live_server, lesson_launch(live_server, lesson)) as platform:
        browser_page = new_page()
        browser_page.goto(f"{platform.origin}/course")
        tool = browser_page.frame_locator("iframe[name=tool]")
        expect(tool.get_by_role("heading", name=lesson.title, level=1)).to_be_visible()
        assert platform.scores == []

        tool.locator("#q-q-single-b").check()
        tool.locator("#q-q-multi-a").check()
        tool.locator("#q-q-multi-c").check()
        tool.locator("#q-q-tf-false").check()
        tool.locator(f"#q-{SHORT}").fill("Páramo")
        tool.get_by_role("button", name="Submit answers").click()
        expect(tool.get_by_role("heading", name="Quiz passed")).to_be_visible()

        deadline = time.monotonic() + 10
        while not platform.scores and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [sent["refusal"] for sent in platform.token_requests] == [""]
        assert len(platform.scores) == 1
        received = platform.scores[0]
        assert received["path"] == "/lineitems/1/lineitem/scores"
        assert received["content_type"] == SCORE_TYPE
        link = GradeLink.objects.get()
        assert received["score"] == {
            "userId": "learner-1",
            "scoreGiven": 100.0,
            "scoreMaximum": 100,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
            "timestamp": link.changed_at.isoformat(),
        }


def test_a_teacher_picks_a_lesson_in_the_frame_and_the_platform_gets_it_signed(
    live_server, new_page, request
):
    built = request.getfixturevalue("make_course")(modules=1, lessons=2, quiz=True)
    lesson = built.lessons[0]

    def deep_link(platform: Platform) -> dict:
        return {**deep_link_request(platform), "target_link_uri": f"{live_server.url}/lti/launch/"}

    with platform_for(live_server, deep_link) as platform:
        browser_page = new_page()
        browser_page.goto(f"{platform.origin}/course")
        tool = browser_page.frame_locator("iframe[name=tool]")
        expect(tool.get_by_role("heading", name="Add an activity from this site")).to_be_visible()
        tool.get_by_label(lesson.title, exact=True).check()
        tool.get_by_role("button", name="Add to my course").click()
        tool.get_by_role("button", name="Return to your platform").click()
        expect(tool.get_by_role("heading", name="Activity added")).to_be_visible()

        assert len(platform.deep_link_responses) == 1
        items = platform.deep_link_responses[0][
            "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
        ]
        assert [(item["type"], item["custom"]) for item in items] == [
            ("ltiResourceLink", {"lesson": str(lesson.pk)})
        ]
        assert items[0]["url"] == f"{live_server.url}/lti/launch/"
