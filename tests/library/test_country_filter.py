"""The case-study listing's country filter names only the countries that have case studies,
each with how many, in the reader's language; it follows publishing at once."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False  # every rendering is counted (fragments still kept)


def listing(client, query: str = "", language: str = "") -> str:
    prefix = f"/{language}" if language else ""
    response = client.get(f"{prefix}/case-studies/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_only_countries_with_case_studies_are_offered_with_their_counts(client, make_case_study):
    make_case_study(country="KE")
    make_case_study(country="KE")
    make_case_study(country="PE", region="latin-america")
    html = listing(client)
    assert '<option value="KE">Kenya (2)</option>' in html
    assert '<option value="PE">Peru (1)</option>' in html
    assert 'value="FR"' not in html
    assert html.index("Kenya (2)") < html.index("Peru (1)")  # by name


def test_the_names_are_in_the_readers_language(client, make_case_study):
    make_case_study(country="DE")
    assert '<option value="DE">Alemania (1)</option>' in listing(client, language="es")


def test_a_country_in_an_old_link_stays_chosen_even_when_empty(client, make_case_study):
    make_case_study(country="KE")
    html = listing(client, "?country=FR")
    assert '<option value="FR" selected>France (0)</option>' in html
    assert "were not understood" not in html


def test_a_new_country_appears_as_soon_as_its_case_study_is_published(client, make_case_study):
    make_case_study(country="KE")
    assert 'value="NP"' not in listing(client)
    make_case_study(country="NP", region="asia")
    assert '<option value="NP">Nepal (1)</option>' in listing(client)


def test_a_translated_case_study_counts_once(client, make_case_study):
    original = make_case_study(country="KE")
    make_case_study(country="KE", language="es", translation_key=original.translation_key)
    assert '<option value="KE">Kenya (1)</option>' in listing(client)
