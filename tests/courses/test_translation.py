"""A course in several languages: learners see theirs where it exists, with a clear fallback."""

from __future__ import annotations

import pytest
from django.conf import settings
from wagtail.models import Locale

from library.demo import ensure_translations

pytestmark = pytest.mark.django_db


def translate(page, code: str, title: str):
    locale = Locale.objects.get(language_code=code)
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.title = title
    copy.save_revision().publish()
    return copy


@pytest.fixture
def courses(catalogue, make_course):
    locales = {code: Locale.objects.get(language_code=code) for code in ("es", "fr")}
    ensure_translations(catalogue.get_parent().specific, locales, {})
    ensure_translations(catalogue, locales, {})
    translated = make_course(title="Watersheds", modules=1, lessons=1, quiz=False)
    english_only = make_course(title="Finance", modules=1, lessons=1, quiz=False)
    spanish = translate(translated.course, "es", "Cuencas")
    return translated.course, english_only.course, spanish


def test_catalogue_in_spanish_lists_spanish_courses_then_english_ones_flagged(client, courses):
    body = client.get("/es/courses/").content.decode()
    assert "Cuencas" in body
    assert "Finance" in body
    assert body.index("Cuencas") < body.index("Finance")
    assert body.count('class="notice notice--language"') == 1


def test_english_course_offers_the_learners_translation(client, courses):
    english, _finance, spanish = courses
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(english.url).content.decode()
    assert "Also available in Spanish" in body
    assert f'href="{spanish.url}"' in body


def test_untranslated_course_says_it_is_not_available_in_the_learners_language(client, courses):
    _english, finance, _spanish = courses
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(finance.url).content.decode()
    assert "not available in French yet" in body


def test_no_notice_for_a_learner_reading_their_own_language(client, courses):
    english, _finance, spanish = courses
    assert "notice--language" not in client.get(english.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "notice--language" not in client.get(spanish.url).content.decode()
