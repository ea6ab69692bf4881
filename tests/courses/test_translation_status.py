"""Each language of a course, as its trainers see it on the report: missing, in progress, out
of date or translated, read in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from courses.translation_status import TranslationState, course_translation_status

pytestmark = pytest.mark.django_db


def states(course) -> dict[str, tuple[str, int, int]]:
    return {
        row.language_code: (row.state, row.pages, row.total)
        for row in course_translation_status(course=course)
    }


def translate_into_french(course, capture) -> None:
    """Every page of the course through wagtail-localize, every string written, published."""
    french = Locale.objects.get(language_code="fr")
    for page in [course, *Page.objects.descendant_of(course).order_by("path").specific()]:
        source, _created = TranslationSource.get_or_create_from_instance(page)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=french
        )
        for segment in StringSegment.objects.filter(source=source).select_related("string"):
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=french,
                context=segment.context,
                defaults={"data": f"FR {segment.string.data}", "translation_type": "manual"},
            )
        with capture(execute=True):
            translation.save_target(publish=True)


def test_a_language_goes_from_missing_to_translated_to_out_of_date_to_in_progress(
    make_course, django_capture_on_commit_callbacks
):
    built = make_course(modules=1, lessons=1, quiz=False)
    course = built.course
    assert states(course) == {
        "es": (TranslationState.MISSING, 0, 3),
        "fr": (TranslationState.MISSING, 0, 3),
        "pt": (TranslationState.MISSING, 0, 3),
    }

    translate_into_french(course, django_capture_on_commit_callbacks)
    assert states(course)["fr"] == (TranslationState.TRANSLATED, 3, 3)
    assert states(course)["es"] == (TranslationState.MISSING, 0, 3)

    lesson = built.lessons[0]
    lesson.title = "Lesson 1, revised"
    lesson.save_revision().publish()
    assert states(course)["fr"] == (TranslationState.OUT_OF_DATE, 3, 3)

    # "Sync translated pages": the new title reaches the French page, untranslated as yet.
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    source.update_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.get(source=source, target_locale__language_code="fr").save_target(
            publish=True
        )
    assert states(course)["fr"] == (TranslationState.IN_PROGRESS, 3, 3)


def test_a_draft_translation_does_not_count(make_course):
    built = make_course(modules=1, lessons=1, quiz=False)
    built.course.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
    assert states(built.course)["es"] == (TranslationState.MISSING, 0, 3)


def test_the_status_costs_the_same_queries_for_a_small_and_a_large_course(
    make_course, django_assert_num_queries
):
    small = make_course(modules=1, lessons=1, quiz=False).course
    large = make_course(modules=3, lessons=4, quiz=False).course
    small.locale  # noqa: B018 - read once, as the report's course has it
    large.locale  # noqa: B018
    with django_assert_num_queries(4) as small_queries:
        course_translation_status(course=small)
    with django_assert_num_queries(len(small_queries)):
        course_translation_status(course=large)


def test_the_course_report_shows_each_language(client, make_course, trainer):
    built = make_course(modules=1, lessons=1, quiz=False, trainers=[trainer])
    client.force_login(trainer)
    body = client.get(reverse("courses:report", args=[built.course.pk])).content.decode()
    assert 'id="translations"' in body
    for code in ("es", "fr", "pt"):
        assert f'data-language="{code}" data-state="missing"' in body
    assert "0/3" in body
