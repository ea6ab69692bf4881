"""Where a language link leads: a page's translation, or a page saying there is none yet.

A Wagtail page exists in the languages someone wrote it in (its translation group shares a
``translation_key``). A language link to a language it lacks leads to the "not translated yet"
page at ``/<language>/untranslated/<page id>/``: served in that language (status 200, never a
404), linking the original and the translations that exist, and not indexed by search engines.
Once a translation is published, the same address redirects to it, so a link kept from before
never goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from config.page_cache import restricted_sections


def untranslated_url(page_id: int, language_code: str) -> str:
    """The "not translated yet" page of ``page_id`` in ``language_code`` (a URL resolution,
    no query)."""
    with translation.override(language_code):
        return reverse("untranslated", args=[page_id])


def content_language(language_code: str | None) -> str:
    """The content language (``WAGTAIL_CONTENT_LANGUAGES``) that serves ``language_code``."""
    try:
        return get_supported_content_language_variant(language_code or settings.LANGUAGE_CODE)
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _restricted(page: Page) -> bool:
    return any(
        page.path.startswith(path) and page.depth >= depth for path, depth in restricted_sections()
    )


def may_view(page: Page, request: HttpRequest) -> bool:
    """Whether ``request`` passes every view restriction on ``page`` and its ancestors
    (Wagtail's own check; no query while no page of the site is restricted)."""
    if not _restricted(page):
        return True
    return all(
        restriction.accept_request(request)
        for restriction in Page.get_view_restrictions(page).prefetch_related("groups")
    )


@dataclass(frozen=True)
class Untranslated:
    """What the "not translated yet" page shows about ``original``."""

    original: Page
    #: The page's live translations that ``request`` may see, the original first.
    versions: list[Page]
    #: The nearest ancestor that exists in the reader's language (to go on reading there).
    nearest: Page | None


def untranslated(
    *, page_id: int, language_code: str, request: HttpRequest
) -> Page | Untranslated | None:
    """What ``/<language>/untranslated/<page_id>/`` shows: ``None`` when there is no such live
    page for this request (a 404); the translation itself when it exists in ``language_code``
    (a redirect); otherwise what the page says instead."""
    original = Page.objects.live().select_related("locale").filter(pk=page_id).first()
    if original is None or original.depth < 2 or not may_view(original, request):
        return None
    language = content_language(language_code)
    group = (
        Page.objects.live()
        .filter(translation_key=original.translation_key)
        .select_related("locale")
        .order_by("pk")
    )
    versions = [original] + [
        version for version in group if version.pk != original.pk and may_view(version, request)
    ]
    for version in versions:
        if version.locale.language_code == language:
            return version
    ancestors = Page.objects.ancestor_of(original).filter(depth__gte=2)
    nearest = (
        Page.objects.live()
        .filter(
            translation_key__in=ancestors.values("translation_key"),
            locale__language_code=language,
        )
        .order_by("-depth")
        .first()
    )
    if nearest is not None and not may_view(nearest, request):
        nearest = None
    return Untranslated(original=original, versions=versions, nearest=nearest)
