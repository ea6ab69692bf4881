"""The case-study listing's cards (``library/cards.py``): rendered once per case study and
language, read back in one round trip, and dropped by exactly what they show."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from library.cards import case_study_cards
from library.models import Theme

pytestmark = pytest.mark.django_db


def _matches(pages) -> list[tuple[int, str]]:
    return [(page.pk, str(page.translation_key)) for page in pages]


def _cards(pages):
    with translation.override("en"):
        return case_study_cards(_matches(pages), request=RequestFactory().get("/case-studies/"))


@pytest.mark.parametrize("size", [2, 12])
def test_a_changed_case_study_costs_its_own_card_whatever_the_page_holds(
    size, make_case_study, django_assert_num_queries
):
    pages = [make_case_study(title=f"Story {number}") for number in range(size)]
    _cards(pages)
    with django_assert_num_queries(0):  # every card from the cache
        again = _cards(pages)
    assert [card.title for card in again] == [page.title for page in pages]

    changed = pages[-1]
    changed.title = "A story told again"
    changed.save_revision().publish()

    # The case study, its card rendition, its themes: the same three at 2 cards or 12.
    with django_assert_num_queries(3):
        cards = _cards(pages)
    assert cards[-1].title == "A story told again"
    assert "A story told again" in cards[-1].html
    assert [card.title for card in cards[:-1]] == [page.title for page in pages[:-1]]


def test_the_listing_shows_a_renamed_theme_and_a_republished_title_at_once(client, make_case_study):
    make_case_study(title="Terraces of Kijabe", themes=("restoration",))
    assert "Terraces of Kijabe" in client.get("/case-studies/").content.decode()

    theme = Theme.objects.get(slug="restoration")
    theme.name = "Land brought back"
    theme.save()
    page = client.get("/case-studies/").content.decode()
    assert "Land brought back" in page


def test_a_card_carries_its_place_on_the_map(make_case_study):
    pages = [make_case_study(title=f"Story {number}") for number in range(2)]
    card = _cards(pages)[0]
    assert card.pk == pages[0].pk
    assert card.point == {
        "kind": "case-study",
        "title": "Story 0",
        "url": pages[0].url,
        "country": "Kenya",
        "lat": -0.15,
        "lng": 37.3,
    }


def test_a_card_follows_the_readers_language(make_case_study):
    pages = [make_case_study(title="Terraces", themes=("restoration",))]
    theme = Theme.objects.get(slug="restoration")
    theme.name_es = "Restauración"
    theme.save()
    request = RequestFactory().get("/es/case-studies/")
    with translation.override("es"):
        spanish = case_study_cards(_matches(pages), request=request)[0]
    english = _cards(pages)[0]
    assert "Restauración" in spanish.html
    assert "Restauración" not in english.html
