"""How far each language of a course has come: for its trainers, on the course report.

wagtail-localize shows one page's progress in its editor; a trainer needs the whole course at a
glance. For each language other than the course's own, over the course page, its modules and
lessons (the pages of the course's language):

- ``missing``: some live page has no live translation in that language (``pages`` of ``total``
  have one);
- ``in_progress``: every page has one, but wagtail-localize still holds untranslated strings
  for some of them (the English words fill the gaps until a translator writes them);
- ``out_of_date``: every page is translated, but some original was published after its
  translation was (an English edit not yet carried over: wagtail-localize's "Sync translated
  pages", then publishing the translation);
- ``translated``: none of these.

Read in three queries whatever the size of the course: the original pages, their
translations, and wagtail-localize's string counts per language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from courses.models import CoursePage


class TranslationState(StrEnum):
    MISSING = "missing"
    IN_PROGRESS = "in_progress"
    OUT_OF_DATE = "out_of_date"
    TRANSLATED = "translated"


STATE_LABELS = {
    TranslationState.MISSING: _("Missing"),
    TranslationState.IN_PROGRESS: _("In progress"),
    TranslationState.OUT_OF_DATE: _("Out of date"),
    TranslationState.TRANSLATED: _("Translated"),
}


@dataclass(frozen=True)
class LanguageStatus:
    language_code: str
    language_name: str
    state: TranslationState
    pages: int  # pages of the course with a live translation in this language
    total: int  # pages of the course

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


def course_translation_status(*, course: CoursePage) -> list[LanguageStatus]:
    """Each other language's state for ``course`` (read after ``is_course_trainer``)."""
    originals = list(
        Page.objects.filter(
            Q(pk=course.pk) | Q(path__startswith=course.path, depth__gt=course.depth)
        )
        .filter(locale_id=course.locale_id, live=True, alias_of__isnull=True)
        .values_list("translation_key", "last_published_at")
    )
    published = dict(originals)
    translations = (
        Page.objects.filter(translation_key__in=published, live=True, alias_of__isnull=True)
        .exclude(locale_id=course.locale_id)
        .values_list("locale__language_code", "translation_key", "last_published_at")
    )
    translated: dict[str, dict] = {}
    for code, key, last_published_at in translations:
        translated.setdefault(code, {})[key] = last_published_at
    unfinished = _languages_with_untranslated_strings(course=course, keys=list(published))

    statuses = []
    for code, name in settings.LANGUAGES:
        if code == course.locale.language_code:
            continue
        pages = translated.get(code, {})
        if len(pages) < len(published):
            state = TranslationState.MISSING
        elif code in unfinished:
            state = TranslationState.IN_PROGRESS
        elif any(
            published[key] and (pages[key] is None or published[key] > pages[key])
            for key in published
        ):
            state = TranslationState.OUT_OF_DATE
        else:
            state = TranslationState.TRANSLATED
        statuses.append(LanguageStatus(code, str(name), state, len(pages), len(published)))
    return statuses


def _languages_with_untranslated_strings(*, course: CoursePage, keys: list) -> set[str]:
    """Languages in which wagtail-localize translates some page of the course and lacks a
    string of it: one query, an ``Exists`` per language."""
    locales = list(Locale.objects.exclude(pk=course.locale_id).values_list("pk", "language_code"))
    if not locales:
        return set()
    segments = StringSegment.objects.filter(
        source__object_id__in=keys, source__locale_id=course.locale_id
    )
    counts = {}
    for locale_id, code in locales:
        managed = Exists(
            Translation.objects.filter(
                source_id=OuterRef("source_id"), target_locale_id=locale_id, enabled=True
            )
        )
        done = Exists(
            StringTranslation.objects.filter(
                translation_of_id=OuterRef("string_id"),
                context_id=OuterRef("context_id"),
                locale_id=locale_id,
                has_error=False,
            )
        )
        segments = segments.alias(**{f"managed_{code}": managed, f"done_{code}": done})
        counts[code] = Count("pk", filter=Q(**{f"managed_{code}": True, f"done_{code}": False}))
    missing = segments.aggregate(**counts)
    return {code for code, count in missing.items() if count}
