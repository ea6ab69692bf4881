"""A lesson is found by its URL path in one query (``CoursePage.route``) and shown with its course
tree (cached as data): both follow every change of the course's pages at once (moves, new slugs,
new lessons, titles, bodies), and a draft is never served to learners."""

from __future__ import annotations

import io
import json
import pickle

import pytest
from django.core.cache.backends.locmem import LocMemCache
from wagtail.models import Page

from courses import services
from courses.models import LessonPage
from tests.courses.conftest import text_block

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def course(make_course, learner):
    built = make_course(modules=2, lessons=2, quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    return built


def test_a_moved_lesson_is_read_at_its_new_address_only(learner_client, course):
    lesson = course.lessons[0]
    old_url = lesson.url
    assert learner_client.get(old_url).status_code == 200
    lesson.slug = "moved"
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.move(course.modules[1], pos="last-child")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert learner_client.get(old_url).status_code == 404
    response = learner_client.get(lesson.url)
    assert response.status_code == 200
    assert response.context["module"].title == "Module 2"


def test_a_lesson_given_a_new_slug_is_read_at_its_new_address_only(learner_client, course):
    lesson = course.lessons[1]
    old_url = lesson.url
    assert learner_client.get(old_url).status_code == 200
    lesson.slug = "renamed"
    lesson.save_revision().publish()
    assert learner_client.get(old_url).status_code == 404
    assert learner_client.get(LessonPage.objects.get(pk=lesson.pk).url).status_code == 200


def test_an_unpublished_lesson_is_not_found(learner_client, course):
    lesson = course.lessons[1]
    assert learner_client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert learner_client.get(lesson.url).status_code == 404


def test_a_lesson_of_a_module_not_live_is_served_as_wagtail_serves_it(learner_client, course):
    course.modules[0].unpublish()
    response = learner_client.get(course.lessons[0].url)
    assert response.status_code == 200
    assert response.context["module"].title == "Module 1"


def test_new_lessons_and_titles_show_on_the_lesson_page_at_once(learner_client, course):
    first = course.lessons[0]
    response = learner_client.get(first.url)
    assert (response.context["lesson_number"], response.context["lesson_count"]) == (1, 4)
    assert response.context["next_lesson"].title == "Lesson 2"

    second = course.lessons[1]
    second.title = "Soil and water"
    second.save_revision().publish()
    extra = course.modules[0].add_child(
        instance=LessonPage(title="Lesson 5", slug="lesson-5", body=json.dumps([text_block(5)]))
    )
    extra.save_revision().publish()

    response = learner_client.get(first.url)
    assert response.context["lesson_count"] == 5
    assert response.context["next_lesson"].title == "Soil and water"
    assert "Soil and water" in response.content.decode()


def _with_text(lesson: LessonPage, text: str) -> LessonPage:
    lesson.body = json.dumps([{"type": "text", "id": "text-1", "value": f"<p>{text}</p>"}])
    return lesson


def test_a_published_change_to_a_lesson_body_shows_at_once(learner_client, course):
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    assert "Lesson text 1." in learner_client.get(lesson.url).content.decode()
    _with_text(lesson, "Terraces hold the soil.").save_revision().publish()
    page = learner_client.get(lesson.url).content.decode()
    assert "Terraces hold the soil." in page
    assert "Lesson text 1." not in page


def test_a_preview_of_a_draft_never_reaches_learners(learner_client, course, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    draft = _with_text(LessonPage.objects.get(pk=course.lessons[0].pk), "Unreviewed draft.")
    preview = draft.make_preview_request()  # on the site's own host, "localhost"
    assert "Unreviewed draft." in preview.content.decode()
    page = learner_client.get(course.lessons[0].url, headers={"host": "localhost"})
    assert "Lesson text 1." in page.content.decode()
    assert "Unreviewed draft." not in page.content.decode()


class PageRefusingCache(LocMemCache):
    """A real local-memory cache that refuses any value with a Wagtail page anywhere inside:
    a shared cache holds data, never pickled pages (they carry their parents and whatever a
    request left on them, and outlive the code that made them)."""

    def add(self, key, value, *args, **kwargs):
        _refuse_pages(key, value)
        return super().add(key, value, *args, **kwargs)

    def set(self, key, value, *args, **kwargs):
        _refuse_pages(key, value)
        return super().set(key, value, *args, **kwargs)


class _PagePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Page):
            raise AssertionError(f"a {type(obj).__name__} would be cached: {obj!r}")
        return None


def _refuse_pages(key, value) -> None:
    try:
        _PagePickler(io.BytesIO()).dump(value)
    except AssertionError as error:
        raise AssertionError(f"{key}: {error}") from None


def test_serving_courses_lessons_and_the_library_caches_no_page_object(
    settings, learner_client, learner, course, make_case_study
):
    settings.CACHES = {
        "default": {
            "BACKEND": f"{__name__}.PageRefusingCache",
            "LOCATION": "page-refusing",
        }
    }
    learner_client.force_login(learner)  # the session, in the new cache
    case_study = make_case_study()
    for path in ("/", "/case-studies/", case_study.url, course.course.url, course.lessons[0].url):
        assert learner_client.get(path).status_code == 200, path
