"""Pages are served by Wagtail's own ``serve`` view and routing: every live page at its own
address in every language, drafts and unknown paths not at all, and a change to a page or a
site routed so at once (nothing about the tree is kept between requests)."""

from __future__ import annotations

import pytest
from django.urls import resolve
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from library.models import HomePage, ResourceIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def test_pages_are_served_by_wagtails_own_view():
    assert resolve("/case-studies/anything/").func is wagtail_views.serve
    assert resolve("/es/").func is wagtail_views.serve


def test_every_live_page_is_served_at_its_own_address_in_every_language(
    client, library_tree, make_case_study
):
    make_case_study(slug="published")
    make_case_study(slug="en-espanol", language="es")
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert len(pages) > 10
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert response.context["page"].pk == page.pk, page.url


def test_drafts_and_unknown_paths_are_not_found(client, library_tree, make_case_study):
    make_case_study(slug="published")
    make_case_study(slug="draft", publish=False)
    for path in (
        "/case-studies/draft/",
        "/missing/",
        "/case-studies/missing/",
        "/case-studies/published/extra/",
        "/es/case-studies/published/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_renamed_or_unpublished_section_is_routed_so_at_once(client, library_tree):
    assert client.get("/resources/").status_code == 200
    resources = ResourceIndexPage.objects.get(locale__language_code="en")
    resources.slug = "tools"
    resources.save_revision().publish()
    assert client.get("/resources/").status_code == 404
    assert client.get("/tools/").status_code == 200
    resources.unpublish()
    assert client.get("/tools/").status_code == 404


def test_the_home_page_of_the_visitors_language_until_it_is_unpublished(client, library_tree):
    assert client.get("/es/").context["page"].locale.language_code == "es"
    HomePage.objects.get(locale__language_code="es").unpublish()
    assert client.get("/es/").context["page"].locale.language_code == "en"


def test_a_site_given_another_root_page_is_routed_from_it_at_once(client, library_tree):
    assert type(client.get("/").context["page"]) is HomePage
    resources = ResourceIndexPage.objects.get(locale__language_code="en")
    site = Site.objects.get(is_default_site=True)
    site.root_page = resources
    site.save()
    assert client.get("/").context["page"] == resources
