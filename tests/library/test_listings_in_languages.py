"""Listings show each piece of knowledge once per translation group: in the reader's language
when it exists, else in the default language, else in the one it was written in, and marked
with its language (``lang``, ``hreflang`` and a visible label) when it is not the reader's."""

from __future__ import annotations

import re

import pytest

from library.models import CaseStudyPage
from library.selectors import case_studies_listing, one_version_per_translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(make_case_study, library_tree):
    """Four translation groups: in English, Spanish and French; in Spanish only; in French
    and Portuguese (French written first); in Portuguese only."""
    locales = library_tree["locales"]

    def translate(page, code, title):
        copy = page.copy_for_translation(locales[code])
        copy.title = title
        copy.save_revision().publish()
        return copy

    water = make_case_study(title="Water fund")
    translate(water, "es", "Fondo de agua")
    translate(water, "fr", "Fonds pour l'eau")
    make_case_study(title="Solo en español", language="es")
    cork = make_case_study(title="Le liège", language="fr")
    translate(cork, "pt", "A cortiça")
    make_case_study(title="Só em português", language="pt")


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("en", {"Water fund", "Solo en español", "Le liège", "Só em português"}),
        ("es", {"Fondo de agua", "Solo en español", "Le liège", "Só em português"}),
        ("fr", {"Fonds pour l'eau", "Solo en español", "Le liège", "Só em português"}),
        ("pt", {"Water fund", "Solo en español", "A cortiça", "Só em português"}),
    ],
)
def test_each_group_is_listed_once_in_the_best_language_for_the_reader(groups, reader, expected):
    pages = one_version_per_translation(CaseStudyPage.objects.live(), reader)
    titles = [page.title for page in pages]
    assert sorted(titles) == sorted(expected)
    assert len(titles) == 4  # one per group, never two versions of one page


def test_the_listing_selector_keeps_one_per_group_with_filters(groups):
    pages = case_studies_listing(filters={"q": "learned"}, language_code="es")
    assert sorted(page.title for page in pages) == [
        "Fondo de agua",
        "Le liège",
        "Solo en español",
        "Só em português",
    ]


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">.*?</li>', html, re.S)


def test_a_card_in_another_language_is_marked_and_one_in_the_readers_is_not(client, groups):
    html = client.get("/es/case-studies/").content.decode()
    by_title = {re.search(r"<a [^>]*>([^<]+)</a>", card).group(1): card for card in cards(html)}

    spanish = by_title["Fondo de agua"]
    assert "lang=" not in spanish
    assert "hreflang" not in spanish

    french = by_title["Le liège"]
    assert '<h3 lang="fr"><a href="/fr/case-studies/' in french
    assert 'hreflang="fr"' in french
    # The visible label names the language in itself, and says so with ``lang``.
    assert '<span class="badge badge--language" lang="fr">Français</span>' in french


def test_the_home_page_cards_follow_the_same_rule(client, groups):
    """The three newest groups: in Portuguese only, the cork (French first), in Spanish only."""
    html = client.get("/fr/").content.decode()
    assert "Le liège" in html
    assert "A cortiça" not in html
    assert '<span class="badge badge--language" lang="es">Español</span>' in html
    assert '<span class="badge badge--language" lang="pt">Português</span>' in html
    assert '<span class="badge badge--language" lang="fr">' not in html


def test_resources_are_listed_once_and_marked(client, make_resource, library_tree):
    guide = make_resource(title="Field guide")
    copy = guide.copy_for_translation(library_tree["locales"]["es"])
    copy.title = "Guía de campo"
    copy.save_revision().publish()
    make_resource(title="Guide de terrain", language="fr")

    html = client.get("/resources/").content.decode()

    assert "Field guide" in html
    assert "Guía de campo" not in html
    assert '<span class="badge badge--language" lang="fr">Français</span>' in html
