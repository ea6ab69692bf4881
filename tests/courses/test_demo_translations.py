"""The demo courses in Spanish, French and Portuguese: every page translated through
wagtail-localize, with real words, and quizzes that grade the same in every language."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from courses.blocks import quiz_from_block
from courses.demo_translations import COURSE_TRANSLATIONS, LANGUAGES
from courses.grading import QuestionKind, grade
from courses.models import CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db

#: Each demo course, with its number of lessons and of quizzes.
COURSES = {
    "starting-a-landscape-partnership": (4, 2),
    "landscape-finance-basics": (3, 2),
    "monitoring-restoration-outcomes": (3, 1),
}

#: A word each language's lessons use and English does not.
TELLTALE = {"es": (" el ", " la ", " los "), "fr": (" le ", " la ", " les "), "pt": (" o ", " a ")}


def _locale(language: str) -> Locale:
    return Locale.objects.get(language_code=language)


@pytest.fixture
def english(seeded_demo) -> CoursePage:
    return CoursePage.objects.get(
        slug="starting-a-landscape-partnership", locale__language_code="en"
    )


@pytest.fixture
def courses(seeded_demo) -> list[CoursePage]:
    return [CoursePage.objects.get(slug=slug, locale__language_code="en") for slug in COURSES]


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def body_text(lesson: LessonPage) -> str:
    return " ".join(str(block.render()) for block in lesson.body)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_lesson_of_every_course_is_live_in_the_language_with_its_own_words(courses, language):
    for english in courses:
        _check_translated_course(english, language)


def _check_translated_course(english: CoursePage, language: str) -> None:
    translated = english.get_translation(_locale(language))
    assert translated.live
    assert translated.title != english.title
    assert translated.summary != english.summary
    english_lessons = lessons_of(english)
    lessons = lessons_of(translated)
    assert len(lessons) == len(english_lessons) == COURSES[english.slug][0]
    for source, lesson in zip(english_lessons, lessons, strict=True):
        assert lesson.translation_key == source.translation_key
        assert lesson.live and lesson.locale.language_code == language
        assert lesson.title != source.title
        text = body_text(lesson)
        assert text != body_text(source)
        assert any(word in text for word in TELLTALE[language]), lesson.title
        for block, source_block in zip(lesson.body, source.body, strict=True):
            assert block.id == source_block.id
            assert block.block_type == source_block.block_type
    for module in ModulePage.objects.descendant_of(translated):
        assert module.title != module.get_translation(english.locale).title


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translations_are_wagtail_localize_translations_complete_in_its_editor(
    courses, language
):
    pages = [
        page
        for english in courses
        for page in [english, *Page.objects.descendant_of(english).specific()]
    ]
    for page in pages:
        source = TranslationSource.objects.get(object_id=page.translation_key)
        translation = Translation.objects.get(source=source, target_locale=_locale(language))
        total, done = translation.get_progress()
        assert total > 0 and done == total, page.title
    assert StringTranslation.objects.filter(
        locale=_locale(language), data="Lancer un partenariat de paysage"
    ).exists() == (language == "fr")


def _answers(quiz, *, right: bool) -> dict[str, list[str]]:
    """Every question answered right (each right choice, the first accepted answer in the
    quiz's language) or wrong (the first wrong choice, a word no quiz accepts)."""
    answers = {}
    for question in quiz.questions:
        if question.kind is QuestionKind.SHORT_ANSWER:
            answers[question.id] = [question.accepted_answers[0] if right else "silence"]
        elif right:
            answers[question.id] = [choice.id for choice in question.choices if choice.correct]
        else:
            answers[question.id] = [
                next(choice.id for choice in question.choices if not choice.correct)
            ]
    return answers


@pytest.mark.parametrize("language", LANGUAGES)
def test_quizzes_grade_the_same_in_every_language(courses, language):
    for english in courses:
        graded = _grade_every_quiz(english, language)
        assert graded == COURSES[english.slug][1]


def _grade_every_quiz(english: CoursePage, language: str) -> int:
    translated = english.get_translation(_locale(language))
    graded = 0
    for source, lesson in zip(lessons_of(english), lessons_of(translated), strict=True):
        for source_block, block in zip(source.quiz_blocks(), lesson.quiz_blocks(), strict=True):
            english_quiz, quiz = quiz_from_block(source_block.value), quiz_from_block(block.value)
            assert quiz.title != english_quiz.title
            short = [q for q in quiz.questions if q.kind is QuestionKind.SHORT_ANSWER]
            assert all(q.accepted_answers[0] not in ("disagreement",) for q in short)
            assert (quiz.pass_mark, quiz.max_attempts) == (
                english_quiz.pass_mark,
                english_quiz.max_attempts,
            )
            for question, english_question in zip(
                quiz.questions, english_quiz.questions, strict=True
            ):
                assert question.id == english_question.id
                assert question.prompt != english_question.prompt
                assert [(c.id, c.correct) for c in question.choices] == [
                    (c.id, c.correct) for c in english_question.choices
                ]
            for right in (True, False):
                english_grade = grade(english_quiz, _answers(english_quiz, right=right))
                translated_grade = grade(quiz, _answers(quiz, right=right))
                assert translated_grade.score == english_grade.score
                assert translated_grade.passed == english_grade.passed == right
            graded += 1
    return graded


def test_seeding_again_adds_no_page_translation_or_revision(english):
    counts = (Page.objects.count(), Translation.objects.count(), StringTranslation.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Page.objects.count(),
        Translation.objects.count(),
        StringTranslation.objects.count(),
    ) == counts


def test_every_phrase_of_the_phrasebook_is_used_and_translated(english):
    assert set(COURSE_TRANSLATIONS) == set(COURSES)
    for phrasebook in COURSE_TRANSLATIONS.values():
        for english_text, words in phrasebook.items():
            assert len(words) == len(LANGUAGES)
            assert all(word.strip() for word in words), english_text
