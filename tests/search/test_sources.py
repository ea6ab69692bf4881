"""The documents ``search/sources.py`` builds for each page type, field by field.

Every page's document shares its key, title, URL, language, date, translation group,
translations and tags; each type adds its own kind, summary, body and facets. These tests pin
the whole document, so the shared part can be built in one place without changing a field.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from wagtail.models import PageViewRestriction

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from library.demo import ensure_home, ensure_locales, ensure_section
from search import sources
from search.types import MEMBERS, PUBLIC, course_audience

pytestmark = pytest.mark.django_db


def built(page) -> dict:
    document = sources.build(sources.load(sources.model_key(type(page)), page.pk))
    return dataclasses.asdict(document) if document is not None else None


def page_fields(page, *, tags: tuple[str, ...] = ()) -> dict:
    """What every page's document carries, whatever its type."""
    page.refresh_from_db()
    return {
        "key": f"{page._meta.app_label}.{page._meta.model_name}:{page.pk}",
        "title": page.title,
        "url": page.get_url(),
        "language": "en",
        "date": page.last_published_at,
        "group": str(page.translation_key),
        "translations": ("en",),
        "stands_for_missing": True,
        "tags": tags,
        # A page is no project seeking finance: its finance facets stay empty.
        "finance_kind": "",
        "stage": "",
        "sdgs": (),
        "amount": "",
    }


def test_a_case_study_document(make_case_study):
    page = make_case_study(
        title="Terraces on Mount Kenya",
        summary="Farmers built terraces.",
        themes=("restoration",),
        outcomes=(("Hectares restored", "120", "ha"),),
    )
    page.tags.add("Soil")
    page.save_revision().publish()
    theme = page.themes.get()
    assert built(page) == {
        **page_fields(page, tags=("Soil",)),
        "kind": "case_study",
        "summary": "Farmers built terraces.",
        "body": (
            f" Hectares restored 120.00 ha {theme.name} {theme.name_es} {theme.name_fr} "
            f"{theme.name_pt} Soil"
        ),
        "audience": PUBLIC,
        "region": "africa",
        "country": "KE",
        "year": 2020,
        "themes": ("restoration",),
        "ecosystems": (),
        "latitude": -0.15,
        "longitude": 37.3,
    }


def test_a_resource_document(make_resource):
    page = make_resource(title="Soil guide", summary="How to read soil.", publisher="FAO")
    assert built(page) == {
        **page_fields(page),
        "kind": "resource",
        "summary": "How to read soil.",
        "body": f"{page.get_resource_type_display()} FAO  ",
        "audience": PUBLIC,
        "region": page.region,
        "country": "",
        "year": page.year,
        "themes": (),
        "ecosystems": (),
        "latitude": None,
        "longitude": None,
    }


def _course(mode: str) -> tuple[CoursePage, LessonPage]:
    ensure_locales()
    catalogue = ensure_section(
        ensure_home(), CourseIndexPage, "courses", "Courses", "<p>Courses.</p>"
    ).specific
    course = CoursePage(
        title="Landscape finance",
        slug=f"finance-{mode}",
        summary="Money for restoration.",
        learning_outcomes="<p>Read a budget.</p>",
        enrolment_mode=mode,
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    module = course.add_child(instance=ModulePage(title="Module", slug="module"))
    module.save_revision().publish()
    body = [{"type": "text", "value": "<p>Blended finance in practice.</p>", "id": "t1"}]
    lesson = module.add_child(
        instance=LessonPage(title="Blended finance", slug="blended", body=json.dumps(body))
    )
    lesson.save_revision().publish()
    return course, lesson


@pytest.mark.parametrize("mode", ["open", "cohort"])
def test_course_and_lesson_documents(mode):
    course, lesson = _course(mode)
    assert built(course) == {
        **page_fields(course),
        "kind": "course",
        "summary": "Money for restoration.",
        "body": "Read a budget. ",
        "audience": PUBLIC,
        "region": "",
        "country": "",
        "year": None,
        "themes": (),
        "ecosystems": (),
        "latitude": None,
        "longitude": None,
    }
    assert built(lesson) == {
        **page_fields(lesson),
        "kind": "lesson",
        "summary": "Landscape finance",
        "body": "Blended finance in practice.",
        "audience": MEMBERS if mode == "open" else course_audience(course.translation_key),
        "region": "",
        "country": "",
        "year": None,
        "themes": (),
        "ecosystems": (),
        "latitude": None,
        "longitude": None,
    }


def test_drafts_and_restricted_pages_have_no_document(make_case_study, make_resource):
    draft = make_case_study(publish=False)
    restricted = make_resource()
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    assert built(draft) is None
    assert built(restricted) is None
