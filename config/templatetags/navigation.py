"""The site's main navigation: the home page's menu sections, then the Django-served rooms."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from config.page_cache import cached_value

register = template.Library()


def menu_sections(request, page: Page | None = None) -> list[dict[str, str]]:
    """The home page's live, public children shown in menus, in the active language.

    Cached per host and language until a page changes: every page of the site shows them.
    Built cold, the same query also reads ``page``'s live translations, which the language
    links of that page then find in the cache (one query for both, not two).
    """
    from django.utils.translation import get_language

    if request is None:
        return []
    try:
        host = request.get_host()
    except DisallowedHost:
        # The 400 page of a request for a host we do not serve still shows the site's frame.
        return []

    def build() -> list[dict[str, str]]:
        site = Site.find_for_request(request)
        if site is None:
            return []
        sections, translations = _sections_of_localized(site.root_page, page)
        if page is not None:
            _cached_translations(request, host, page, lambda: translations)
        return [
            {"label": section.title, "url": section.get_url(request) or "#"} for section in sections
        ]

    # Keyed by host: finding the Site is a query of its own, only needed to build the menu.
    return cached_value(f"menu:{host}:{get_language()}", "pages.frame", build)


def _sections_of_localized(root: Page, page: Page | None = None) -> tuple[list[Page], list[Page]]:
    """The menu children of ``root.localized`` (its live translation in the active language,
    else itself), read in one query: the translation and both sets of children together,
    rather than the active ``Locale``, then the translation, then its children. With ``page``,
    its live, public translations come in the same query (the second list)."""
    from django.utils.translation import get_language
    from wagtail.coreutils import get_supported_content_language_variant

    from library.selectors import live_public

    try:
        language = get_supported_content_language_variant(get_language())
    except LookupError:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    prefix = len(root.path)  # a page's translations sit at the same depth in their trees
    translation = Page.objects.filter(
        translation_key=root.translation_key,
        locale__language_code=language,
        live=True,
        path=Substr(OuterRef("path"), 1, prefix),
    ).exclude(pk=root.pk)
    under_translation = Exists(translation)
    is_translation = Q(
        depth=root.depth, translation_key=root.translation_key, locale__language_code=language
    ) & ~Q(pk=root.pk)
    is_section = Q(depth=root.depth + 1, show_in_menus=True) & (
        Q(path__startswith=root.path) | under_translation
    )
    wanted = is_translation | is_section
    if page is not None:
        wanted |= Q(translation_key=page.translation_key) & ~Q(pk=page.pk)
    rows = list(live_public(Page.objects.filter(wanted)).select_related("locale").order_by("path"))
    translations = []
    if page is not None:
        translations = [
            row for row in rows if row.translation_key == page.translation_key and row.pk != page.pk
        ]
    homes = [
        row
        for row in rows
        if row.depth == root.depth
        and row.translation_key == root.translation_key
        and row.locale.language_code == language
    ]
    home_path = homes[0].path if homes else root.path
    sections = [
        row
        for row in rows
        if row.depth == root.depth + 1 and row.show_in_menus and row.path.startswith(home_path)
    ]
    return sections, translations


def _cached_translations(request, host: str, page: Page, rows: Callable[[], list[Page]]):
    """``{language code: URL}`` of ``page``'s live translations, cached until a page changes."""

    def build() -> dict[str, str]:
        return {other.locale.language_code: other.get_url(request) for other in rows()}

    return cached_value(f"translations:{host}:{page.pk}", "pages", build)


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context) -> dict[str, object]:
    request = context.get("request")
    page = context.get("page")
    page = page if isinstance(page, Page) and page.pk else None
    items = [dict(item) for item in menu_sections(request, page)]
    items += [
        {"label": _("Forums"), "url": reverse("forums:index")},
        {"label": _("Network"), "url": reverse("network:directory")},
        {"label": _("Search"), "url": reverse("search:search")},
    ]
    current = request.path if request else ""
    for item in items:
        url = item["url"]
        item["current"] = url != "/" and current.startswith(url)
    return {"items": items}


@register.simple_tag(takes_context=True)
def site_sections(context) -> list[dict[str, str]]:
    """The menu sections, for pages that list them in their body (the home page)."""
    return menu_sections(context.get("request"))


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context) -> dict[str, object]:
    """Links to this page in every language: plain GET links, so every page stays cacheable.

    (A POST form would put a CSRF token, which belongs to one visitor, on every page.) A Wagtail
    page links to its live translations, and a language it lacks to the page saying it is not
    translated yet (``config.translations``; never a 404). A view may give its own
    ``language_urls`` (the "not translated" page does). Any other view links to the same path
    under the other language's prefix.
    """
    from django.urls import translate_url
    from django.utils.translation import get_language, get_language_info

    from config.translations import untranslated_url

    request = context.get("request")
    page = context.get("page")
    current = get_language()
    path = request.get_full_path() if request else "/"
    urls: dict[str, str] = {}
    untranslated_id: int | None = None  # the page whose "not translated" page fills the gaps
    if isinstance(page, Page) and page.pk:
        host = request.get_host() if request else ""
        # Usually already cached by the main menu, which read them with its own rows.
        urls = dict(
            _cached_translations(
                request, host, page, lambda: page.get_translations().live().select_related("locale")
            )
        )
        untranslated_id = page.pk
    elif context.get("language_urls") is not None:
        urls = dict(context["language_urls"])
        untranslated_id = context.get("untranslated_id")
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            url, translated = path, True
        elif urls.get(code) or untranslated_id is None:
            url, translated = urls.get(code) or translate_url(path, code), True
        else:
            url, translated = untranslated_url(untranslated_id, code), False
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current,
                # Not translated yet: a notice, not content for search engines to follow.
                "translated": translated,
            }
        )
    return {"languages": links}
