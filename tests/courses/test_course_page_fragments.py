"""The course page's public part (what the course is about, its outline as an anonymous visitor
sees it) is kept as fragments under the course's own tags: read once, dropped at once by every
write that changes it, and never shared with a signed-in reader (their place in the course is
theirs). Written, then read as an anonymous visitor, with the page cache off (the fragments
alone) and on (whole pages under the same tags)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def read(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("page_cache", [False, True], ids=["fragments", "page-cache"])
def test_a_course_page_drops_a_lesson_unpublished_or_made_private_at_once(
    client, make_course, trainer, settings, page_cache
):
    settings.PAGE_CACHE_ENABLED = page_cache
    before = make_course(title="Fire ecology basics", modules=0)
    built = make_course(modules=2, lessons=2, quiz=False, trainers=[trainer])
    course = built.course
    course.prerequisites.add(before.course)
    course.save_revision().publish()
    path = course.url

    first = read(client, path)
    assert "Lesson 2" in first and "Lesson 3" in first and "Fire ecology basics" in first
    assert trainer.public_name in first
    with CaptureQueriesContext(connection) as warm:
        assert read(client, path) == first
    sql = " ".join(query["sql"] for query in warm.captured_queries)
    # Neither trainers, tags, prerequisites nor the cover's renditions are read again.
    assert "courses_coursepage_trainers" not in sql
    assert "courses_coursepage_prerequisites" not in sql
    assert "wagtailimages_rendition" not in sql

    built.lessons[1].unpublish()
    assert "Lesson 2" not in read(client, path)

    PageViewRestriction.objects.create(
        page=built.lessons[2], restriction_type=PageViewRestriction.LOGIN
    )
    html = read(client, path)
    assert "Lesson 3" not in html and "Lesson 4" in html

    PageViewRestriction.objects.create(
        page=built.modules[0], restriction_type=PageViewRestriction.PASSWORD, password="x" * 8
    )
    html = read(client, path)
    assert "Module 1" not in html and "Lesson 1" not in html and "Module 2" in html

    before.course.unpublish()
    assert "Fire ecology basics" not in read(client, path)

    trainer.display_name = "Wanjiru Kamau"
    trainer.save()
    assert "Wanjiru Kamau" in read(client, path)


def test_a_signed_in_learner_gets_their_own_place_in_the_course_not_the_shared_fragment(
    client, make_course, learner, settings
):
    from courses import services

    settings.PAGE_CACHE_ENABLED = False
    built = make_course(modules=1, lessons=2, quiz=False)
    path = built.course.url
    read(client, path)  # the anonymous fragments, now cached
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    html = read(client, path)
    assert f'href="{built.lessons[0].url}"' in html  # the outline links for a learner
    assert "Leave this course" in html
