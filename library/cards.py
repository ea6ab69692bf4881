"""The case-study listing's cards, each rendered once and kept until what it shows changes.

A filtered listing can't be one cached page (its filters are a visitor's choice), but its
twelve cards are the same in every listing they appear in. Rendering them was the larger half
of a warm listing (bench/cold_pages.py, large: templates 40 %, reading the cards with their
images and themes 23 %). A card is kept per case study, language and host, with the versions of
what it shows (``config.page_cache.cached_values``: all of a page's cards in one round trip):

- ``page:<translation key>``: the case study itself (its publication bumps it);
- ``vocabularies``: its themes' labels;
- ``pages.frame``: its address (moves, sites, locales) and its image.

Which case studies a listing shows is decided before (``library.selectors``: live, public, one
per translation), so a card never brings back what a listing would not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.page_cache import BASE_TAGS, cached_values

CARD_TEMPLATE = "library/includes/case_study_card.html"


@dataclass(frozen=True)
class CaseStudyCard:
    """A case study's card: ``html`` among others, ``first_html`` as the page's first card
    (its image is fetched first, not lazily), and its place on the map, if it has one."""

    pk: int
    title: str
    html: SafeString
    first_html: SafeString
    point: dict[str, Any] | None


def case_study_cards(
    matches: list[tuple[int, str]], *, request: HttpRequest
) -> list[CaseStudyCard]:
    """The cards of ``matches`` (primary key and translation key, in the listing's order)."""
    from library.selectors import case_study_cards as read_cards
    from library.selectors import map_point

    language = get_language()
    # Per host too: a card links its page by a path on its own site, by a full URL elsewhere.
    prefix = f"library.card:{request.get_host()}:{language}"
    names = {f"{prefix}:{pk}": pk for pk, _key in matches}
    entries = {f"{prefix}:{pk}": (f"page:{key}", "vocabularies", *BASE_TAGS) for pk, key in matches}

    def build(missing: list[str]) -> dict[str, tuple]:
        pages = read_cards([names[name] for name in missing])
        built = {}
        for page in pages:
            context = {"item": page, "request": request, "LANGUAGE_CODE": language}
            built[f"{prefix}:{page.pk}"] = (
                page.title,
                str(render_to_string(CARD_TEMPLATE, {**context, "first": False})),
                str(render_to_string(CARD_TEMPLATE, {**context, "first": True})),
                map_point(page) if page.has_location else None,
            )
        return built

    values = cached_values(entries, build)
    cards = []
    for name, pk in names.items():
        if (value := values.get(name)) is not None:
            title, html, first_html, point = value
            cards.append(CaseStudyCard(pk, title, mark_safe(html), mark_safe(first_html), point))  # noqa: S308 (rendered by the site's template)
    return cards
