"""What the cheap cold pages read in fewer queries is still right.

The view restrictions are a condition of the routing and listing queries (no query of their
own): a restriction on a section keeps its pages from anonymous visitors, its cards off the
listings and the home page, and the section off the menu. A case study's relations, read in one
query, are the ones the page has, in their models' order; a preview shows the draft's.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from library.models import CaseStudyIndexPage, Ecosystem, SustainableDevelopmentGoal, Theme
from library.selectors import case_study_relations, vocabularies, vocabulary
from network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def test_a_restricted_section_hides_its_pages_cards_and_menu_entry(client, make_case_study):
    page = make_case_study(title="Behind the fence", themes=("finance",))
    assert "Behind the fence" in client.get("/").content.decode()
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    cache.clear()

    assert client.get(page.url).status_code == 302  # routed by the index: the annotation
    assert client.get(index.url).status_code == 302  # routed by the home page: the annotation
    home = client.get("/").content.decode()
    assert "Behind the fence" not in home
    assert f'href="{index.url}"' not in home
    assert "Behind the fence" not in client.get("/resources/").content.decode()


def test_a_restricted_case_study_alone_is_refused_while_its_neighbours_are_served(
    client, make_case_study
):
    hidden = make_case_study(title="Only members")
    shown = make_case_study(title="For everyone")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    cache.clear()

    assert client.get(hidden.url).status_code == 302
    assert client.get(shown.url).status_code == 200
    listing = client.get("/case-studies/").content.decode()
    assert "For everyone" in listing
    assert "Only members" not in listing


def test_case_study_relations_are_the_pages_own_in_their_models_order(make_case_study):
    themes = list(Theme.objects.values_list("slug", flat=True)[:2])
    ecosystem = Ecosystem.objects.order_by("pk").first()
    page = make_case_study(themes=themes)
    page.ecosystems.set([ecosystem])
    goals = SustainableDevelopmentGoal.objects.filter(number__in=[15, 2, 13])
    page.sdgs.set(goals)
    page.partners.add(
        Organisation.objects.create(name="Zeta trust", slug="zeta", country="KE"),
        Organisation.objects.create(name="Alpha fund", slug="alpha", country="KE"),
    )
    page.tags.add("terraces", "bees")
    page.save()  # modelcluster writes parental relations on save

    relations = case_study_relations(page)

    assert len(themes) == 2
    assert [term.slug for term in relations.themes] == sorted(
        themes, key=lambda slug: Theme.objects.get(slug=slug).name
    )
    assert [term.slug for term in relations.ecosystems] == [ecosystem.slug]
    assert [goal.number for goal in relations.goals] == [2, 13, 15]
    assert relations.goals[0].label.startswith("2. ")
    assert [organisation.name for organisation in relations.partners] == [
        "Alpha fund",
        "Zeta trust",
    ]
    assert relations.partners[0].get_absolute_url().endswith("/alpha/")
    assert sorted(tag.name for tag in relations.tags) == ["bees", "terraces"]


def test_a_preview_shows_the_drafts_relations(client, make_case_study):
    page = make_case_study(themes=("finance",))
    page.themes = list(Theme.objects.filter(slug="restoration"))
    page.save_revision()

    draft = page.get_latest_revision_as_object()
    preview = draft.make_preview_request().render().content.decode()
    assert "?theme=restoration" in preview
    assert "?theme=finance" not in preview
    assert "?theme=finance" in client.get(page.url).content.decode()


def test_the_vocabularies_are_read_together_in_their_models_order(
    django_assert_num_queries, library_tree
):
    cache.clear()
    with django_assert_num_queries(1):
        found = vocabularies()
    assert list(found["library.theme"]) == list(Theme.objects.values_list("pk", flat=True))
    assert list(vocabulary(SustainableDevelopmentGoal)) == list(
        SustainableDevelopmentGoal.objects.values_list("pk", flat=True)
    )
    assert [term.slug for term in vocabulary(Ecosystem).values()] == list(
        Ecosystem.objects.values_list("slug", flat=True)
    )
