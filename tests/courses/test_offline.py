"""The offline manifest (courses/offline.py): who gets it, and what it lists and never lists."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses import services
from courses.models import CoursePage, LessonPage
from network.models import User
from network.roles import Role

pytestmark = pytest.mark.django_db

SECRETS = re.compile(r"SECRET-|paramo|accepted_answers|feedback_|\"correct\"", re.IGNORECASE)


def manifest_url(course) -> str:
    return reverse("courses:offline_manifest", args=[course.pk])


@pytest.fixture
def built(make_course):
    return make_course(modules=2, lessons=2)


@pytest.fixture
def enrolled_client(client, learner, built):
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    return client


def entries(client, course, kind: str | None = None) -> list[dict]:
    response = client.get(manifest_url(course))
    assert response.status_code == 200
    return [entry for entry in response.json()["entries"] if kind in (None, entry["kind"])]


def test_anonymous_visitors_are_sent_to_sign_in(client, built):
    response = client.get(manifest_url(built.course))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_members_not_enrolled_and_the_course_trainer_are_refused(client, make_user, built):
    client.force_login(make_user())
    assert client.get(manifest_url(built.course)).status_code == 403
    trainer = make_user(Role.TRAINER)
    built.course.trainers.add(trainer)
    built.course.save_revision().publish()
    client.force_login(trainer)
    # A trainer reads the lessons, but only learners save a course for offline.
    assert client.get(manifest_url(built.course)).status_code == 403


def test_a_withdrawn_learner_is_refused(enrolled_client, learner, built):
    services.enrolment_withdraw(user=learner, course_key=built.course.translation_key)
    assert enrolled_client.get(manifest_url(built.course)).status_code == 403


def test_the_enrolled_learner_gets_every_lesson_privately(enrolled_client, built):
    response = enrolled_client.get(manifest_url(built.course))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["cache"] == f"lc-offline-course-{built.course.pk}"
    urls = [entry["url"] for entry in data["entries"]]
    assert urls[0] == built.course.url
    lessons = [entry for entry in data["entries"] if entry["kind"] == "lesson"]
    assert [entry["url"] for entry in lessons] == [lesson.url for lesson in built.lessons]
    assert {"/static/css/site.css", "/static/js/offline.js"} <= set(urls)
    assert "{date}" in data["messages"]["saved_on"]


def test_every_stylesheet_script_and_image_of_the_site_a_saved_page_links_is_saved(
    enrolled_client, built
):
    listed = {entry["url"] for entry in entries(enrolled_client, built.course)}
    for entry in entries(enrolled_client, built.course, "lesson") + entries(
        enrolled_client, built.course, "course"
    ):
        html = enrolled_client.get(entry["url"]).content.decode()
        linked = set(
            re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(/static/[^"]+)"', html)
        )
        assert linked, entry["url"]
        assert linked <= listed, (entry["url"], linked - listed)


def test_the_manifest_says_whose_copy_it_is(enrolled_client, learner, built):
    data = enrolled_client.get(manifest_url(built.course)).json()
    assert data["user"] == learner.pk
    assert data["messages"]["saved_courses"]


def test_the_manifest_never_carries_an_answer_key(enrolled_client, built):
    response = enrolled_client.get(manifest_url(built.course))
    assert built.quiz_lesson.url in response.content.decode()
    assert not SECRETS.search(response.content.decode())


def test_lesson_html_never_carries_the_correct_answers(enrolled_client, built):
    for entry in entries(enrolled_client, built.course, "lesson"):
        html = enrolled_client.get(entry["url"]).content.decode()
        assert not SECRETS.search(html), entry["url"]
    quiz_html = enrolled_client.get(built.quiz_lesson.url).content.decode()
    # The right and the wrong choices of a question are marked up alike, but for their id.
    choices = re.findall(
        r'<li><input type="radio" id="q-q-single-(\w)"[^>]*>[^<]*<label[^>]*>', quiz_html
    )
    assert choices == ["a", "b", "c"]
    shapes = {
        re.sub(r'q-q-single-\w|value="\w"', "ID", markup)
        for markup in re.findall(r'<li><input type="radio" id="q-q-single-\w"[^>]*>', quiz_html)
    }
    assert len(shapes) == 1


def test_a_republished_lesson_gets_a_new_version_and_the_others_keep_theirs(enrolled_client, built):
    before = {entry["url"]: entry["version"] for entry in entries(enrolled_client, built.course)}
    lesson = LessonPage.objects.get(pk=built.lessons[1].pk)
    lesson.title = "Lesson 2, revised"
    lesson.save_revision().publish()
    after = {entry["url"]: entry["version"] for entry in entries(enrolled_client, built.course)}
    changed = {url for url in after if before.get(url) != after[url]}
    # The lesson itself, and the course page, whose outline shows the new title.
    assert changed == {lesson.url, built.course.url}


def test_a_restricted_lesson_or_module_is_never_listed(enrolled_client, built):
    PageViewRestriction.objects.create(
        page=built.lessons[0], restriction_type=PageViewRestriction.PASSWORD, password="x" * 8
    )
    restriction = PageViewRestriction.objects.create(
        page=built.modules[1], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Partnership members")])
    listed = {entry["url"] for entry in entries(enrolled_client, built.course, "lesson")}
    assert listed == {built.lessons[1].url}


def test_a_restricted_course_lists_nothing(enrolled_client, built):
    PageViewRestriction.objects.create(
        page=built.course, restriction_type=PageViewRestriction.LOGIN
    )
    assert entries(enrolled_client, built.course) == []


def test_the_demo_course_lists_every_lesson_phone_sized_images_and_no_video(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    learner = User.objects.get(username="learner")
    course = CoursePage.objects.get(
        slug="starting-a-landscape-partnership", locale__language_code="en"
    )
    client.force_login(learner)
    data = client.get(manifest_url(course)).json()
    lessons = LessonPage.objects.live().descendant_of(course).order_by("path")
    listed = [entry["url"] for entry in data["entries"] if entry["kind"] == "lesson"]
    assert listed == [lesson.url for lesson in lessons]
    images = [entry["url"] for entry in data["entries"] if entry["kind"] == "image"]
    assert images and all(".width-360." in url or ".width-400." in url for url in images)
    videos = [
        block.value["url"]
        for lesson in lessons
        for block in lesson.body
        if block.block_type == "video"
    ]
    assert videos
    text = json.dumps(data)
    assert not any(video in text for video in videos)
    # The transcripts travel inside the lesson pages.
    video_lesson = next(
        lesson for lesson in lessons if any(b.block_type == "video" for b in lesson.body)
    )
    transcript = next(b for b in video_lesson.body if b.block_type == "video").value["transcript"]
    page = client.get(video_lesson.url).content.decode()
    first_words = re.sub(r"<[^>]+>", "", transcript.source)[:40]
    assert first_words and first_words in page
