"""Case study listings, filters, languages and the case study page."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from library.models import CaseStudyIndexPage, CaseStudyPage

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [page.title for page in response.context["results"].object_list]


def test_listing_filters_by_region_and_theme(client, make_case_study):
    make_case_study(title="Kenyan terraces", region="africa", themes=("restoration",))
    make_case_study(title="Andean water fund", region="latin-america", themes=("finance",))
    make_case_study(title="Sahel farmer trees", region="africa", themes=("agroforestry",))

    response = client.get("/case-studies/?region=africa&theme=restoration&theme=agroforestry")

    assert response.status_code == 200
    assert sorted(titles(response)) == ["Kenyan terraces", "Sahel farmer trees"]
    narrowed = client.get("/case-studies/?region=africa&theme=restoration")
    assert titles(narrowed) == ["Kenyan terraces"]


def test_listing_filters_by_country_year_and_words(client, make_case_study):
    make_case_study(title="Peatland rewetting", country="ID", region="asia", year=2019)
    make_case_study(title="Cocoa agroforests", country="GH", region="africa", year=2022)

    assert titles(client.get("/case-studies/?country=ID")) == ["Peatland rewetting"]
    assert titles(client.get("/case-studies/?year=2022")) == ["Cocoa agroforests"]
    assert titles(client.get("/case-studies/?q=cocoa")) == ["Cocoa agroforests"]


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=99999999999999999999",
        "?region=atlantis",
        "?country=ZZ",
        "?theme=no-such-theme",
        "?language=xx",
        "?page=0",
        "?page=abc",
        "?page=999",
        "?q=" + "x" * 500,
    ],
)
def test_malformed_filters_are_ignored_never_a_server_error(client, make_case_study, query):
    make_case_study(title="Still listed")
    response = client.get("/case-studies/" + query)
    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


def test_a_nul_in_a_filter_is_refused_with_the_sites_400_page(client, make_case_study):
    """No address holds a NUL: config/request_guard.py refuses it before any view."""
    make_case_study(title="Still listed")
    response = client.get("/case-studies/?theme=%00")
    assert response.status_code == 400
    assert "Still listed" not in response.content.decode()


def test_a_repeated_filter_applies_its_last_value_to_the_cards_and_the_map(client, make_case_study):
    make_case_study(title="In Kenya", region="africa")
    make_case_study(title="In Nepal", region="asia", country="NP")
    page = client.get("/case-studies/?region=africa&region=asia").content.decode()
    assert "In Nepal" in page
    assert "In Kenya" not in page  # neither in the cards nor on the map


def test_the_map_shows_the_filtered_case_studies_only(client, make_case_study):
    """The map's points follow the listing's filters (they listed every case study: 1.2 MB for
    a filtered listing at 2,000 case studies)."""
    make_case_study(title="Restoring Kenya", region="africa")
    make_case_study(title="Terraces in Nepal", region="asia", country="NP")

    filtered = client.get("/maps/case-studies.json?region=asia")
    assert filtered.status_code == 200
    assert filtered["Content-Type"] == "application/json"
    assert filtered.json() == [
        {
            "kind": "case-study",
            "title": "Terraces in Nepal",
            "url": CaseStudyPage.objects.get(title="Terraces in Nepal").url,
            "country": "Nepal",
            "lat": -0.15,
            "lng": 37.3,
        }
    ]
    unfiltered = client.get("/maps/case-studies.json").json()
    assert [point["title"] for point in unfiltered] == ["Restoring Kenya", "Terraces in Nepal"]
    spanish = client.get("/es/maps/case-studies.json?region=africa").json()
    assert spanish[0]["country"] == "Kenia"  # the reader's language


def test_the_listing_carries_its_cards_places_and_the_maps_address(client, make_case_study):
    """The listing's HTML holds the places of its own cards (the list a reader without
    JavaScript gets); the map fetches every match from the address the page names, with the
    listing's filters but not its page number."""
    for number in range(14):
        make_case_study(title=f"Asian story {number:02}", region="asia", country="NP")
    make_case_study(title="Unlocated story", region="asia", latitude=None, longitude=None)

    page = client.get("/case-studies/?region=asia&page=2").content.decode()

    assert 'data-points-url="/maps/case-studies.json?region=asia"' in page
    listed = json.loads(re.search(r'id="case-study-map-points"[^>]*>(.*?)</script>', page)[1])
    cards = client.get("/case-studies/?region=asia&page=2").context["results"].object_list
    assert [point["title"] for point in listed] == [
        card.title for card in cards if card.point is not None
    ]
    assert len(listed) == 2  # page 2 of 15: three cards, one of them unlocated
    everything = client.get("/maps/case-studies.json?region=asia").json()
    assert len(everything) == 14


def test_an_unpublished_case_study_leaves_the_map_at_once(client, make_case_study):
    """The map's points are cached per language and filters until a page changes."""
    kept = make_case_study(title="Kept on the map")
    gone = make_case_study(title="Taken down")
    assert len(client.get("/maps/case-studies.json").json()) == 2

    gone.unpublish()

    assert [point["title"] for point in client.get("/maps/case-studies.json").json()] == [
        kept.title
    ]


def test_the_maps_points_are_read_once_per_filters_and_revalidate_for_a_304(
    client, make_case_study, django_assert_max_num_queries
):
    make_case_study(title="Restoring Kenya")
    first = client.get("/maps/case-studies.json?region=africa")
    assert first["Cache-Control"] == "private, no-cache"
    with django_assert_max_num_queries(1):  # the index state (search.per_request); no page
        again = client.get("/maps/case-studies.json?region=africa")
    assert again.content == first.content
    revalidated = client.get(
        "/maps/case-studies.json?region=africa", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert revalidated.status_code == 304


def test_the_kept_listing_follows_publishing_unpublishing_and_restrictions(
    client, make_case_study, settings, django_assert_max_num_queries
):
    """The listing's matches are kept per language and filters (``case_study_listing``) and
    dropped by every write that changes what the listing may show: a case study published,
    one unpublished, one put behind a view restriction."""
    from wagtail.models import PageViewRestriction

    settings.PAGE_CACHE_ENABLED = False  # the listing's own rows, not the whole page
    first = make_case_study(title="First story", region="asia", country="NP")
    assert titles(client.get("/case-studies/?region=asia")) == ["First story"]
    with django_assert_max_num_queries(6):  # warm: the cards, not the matches (7)
        assert titles(client.get("/case-studies/?region=asia")) == ["First story"]

    second = make_case_study(title="Second story", region="asia", country="NP")
    assert sorted(titles(client.get("/case-studies/?region=asia"))) == [
        "First story",
        "Second story",
    ]
    first.unpublish()
    assert titles(client.get("/case-studies/?region=asia")) == ["Second story"]
    PageViewRestriction.objects.create(page=second, restriction_type=PageViewRestriction.LOGIN)
    assert titles(client.get("/case-studies/?region=asia")) == []


def test_unknown_filter_is_reported_to_the_visitor(client, make_case_study):
    make_case_study()
    page = client.get("/case-studies/?region=atlantis").content.decode()
    assert "were not understood and were ignored" in page


def test_pagination_keeps_the_filters_in_its_links(client, make_case_study):
    for _number in range(14):
        make_case_study(region="asia", country="ID")
    page = client.get("/case-studies/?region=asia").content.decode()
    assert 'href="?region=asia&amp;page=2"' in page


def test_drafts_are_not_listed(client, make_case_study):
    make_case_study(title="Draft story", publish=False)
    assert "Draft story" not in client.get("/case-studies/").content.decode()


def test_listing_shows_the_readers_language_or_falls_back(client, make_case_study, library_tree):
    english = make_case_study(title="Water fund in English")
    translation = english.copy_for_translation(library_tree["locales"]["es"])
    translation.title = "Fondo de agua en español"
    translation.save_revision().publish()
    make_case_study(title="Solo en español", language="es")

    english_titles = titles(client.get("/case-studies/"))
    spanish_titles = titles(client.get("/es/case-studies/"))

    assert sorted(english_titles) == ["Solo en español", "Water fund in English"]
    assert sorted(spanish_titles) == ["Fondo de agua en español", "Solo en español"]
    english_page = client.get("/case-studies/").content.decode()
    assert 'hreflang="es"' in english_page  # the fallback is marked as Spanish


def test_language_filter_shows_what_is_written_in_that_language(client, make_case_study):
    make_case_study(title="English only")
    make_case_study(title="Solo en español", language="es")
    assert titles(client.get("/case-studies/?language=es")) == ["Solo en español"]


def test_listing_query_count_stays_flat(
    settings, client, make_case_study, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # count a rendering, not a page cache hit
    for _number in range(3):
        make_case_study(themes=("restoration", "finance"))
    client.get("/case-studies/")  # warm the site root cache
    with django_assert_max_num_queries(30) as few:
        client.get("/case-studies/")
    count = len(few.captured_queries)  # read now: the next request resets the log
    for _number in range(9):
        make_case_study(themes=("restoration", "finance"))
    client.get("/case-studies/")  # publishing emptied the menu cache: warm it again
    with django_assert_max_num_queries(count):
        client.get("/case-studies/")


def test_case_study_page_shows_facts_outcomes_and_partnership(client, make_case_study):
    page = make_case_study(
        title="Terraces on Mount Kenya",
        area_hectares=Decimal("1250"),
        outcomes=(("Households with new income", "340", "households"),),
        themes=("restoration",),
    )
    html = client.get(page.url).content.decode()
    assert "Terraces on Mount Kenya" in html
    assert "Households with new income" in html
    assert "340" in html
    assert "1,250 ha" in html
    assert "Kenya" in html


def test_case_study_page_has_open_graph_and_schema_org(client, make_case_study):
    page = make_case_study(title="Mangroves </script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:title" content="Mangroves &lt;/script&gt;' in html
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert blob is not None
    data = json.loads(blob.group(1))
    assert data["@type"] == "Article"
    assert data["headline"].startswith("Mangroves </script>")
    assert data["contentLocation"]["geo"]["latitude"] == pytest.approx(-0.15)
    assert "<script>alert(1)</script>" not in html


def test_case_study_page_lists_its_location_for_the_map(client, make_case_study):
    page = make_case_study(title="Located story")
    html = client.get(page.url).content.decode()
    assert 'id="case-study-location"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert '"lat": -0.15' in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": Decimal("95")}, "latitude", "Latitude must be between -90 and 90."),
        ({"longitude": Decimal("-181")}, "longitude", "Longitude must be between -180 and 180."),
        ({"area_hectares": Decimal("-5")}, "area_hectares", "The area cannot be negative."),
        ({"country": "XX"}, "country", "is not a valid choice"),
        ({"year": 1800}, "year", "Give a year between"),
        ({"longitude": None}, "__all__", "Give both latitude and longitude, or neither."),
    ],
)
def test_bad_place_data_is_rejected_with_a_clear_message(make_case_study, fields, field, message):
    page = make_case_study()
    for name, value in fields.items():
        setattr(page, name, value)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_case_studies_live_only_under_the_case_study_index():
    assert CaseStudyPage.allowed_parent_page_models() == [CaseStudyIndexPage]
    assert CaseStudyIndexPage.allowed_subpage_models() == [CaseStudyPage]
