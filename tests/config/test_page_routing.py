"""Page routing with the top of the tree cached (``config.page_routing``): it finds the page
Wagtail's own routing finds, for every page, language and missing path, and a change to a page
or a site is routed at once."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from config import page_routing
from library.models import HomePage, ResourceIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _found(result) -> tuple | None:
    if result is None:
        return None
    page, args, kwargs = result
    return type(page), page.pk, page.live, tuple(args), kwargs


def _both(path: str, language: str) -> tuple:
    factory = RequestFactory()
    with translation.override(language):
        ours = page_routing.route(factory.get("/"), path)
        wagtails = Page.route_for_request(factory.get("/"), path)
    return _found(ours), _found(wagtails)


def test_every_page_is_routed_as_wagtail_routes_it_in_every_language(library_tree, make_case_study):
    make_case_study(slug="published")
    make_case_study(slug="draft", publish=False)
    make_case_study(slug="en-espanol", language="es")
    paths = {"", "missing/", "case-studies/missing/", "case-studies/published/extra/"}
    for page in Page.objects.filter(depth__gt=2):
        # The url_path under the page's own (localized) home page.
        paths.add("".join(f"{slug}/" for slug in page.url_path.strip("/").split("/")[1:]))
    for language in ("en", "es", "fr"):
        for path in sorted(paths):
            ours, wagtails = _both(path, language)
            assert ours == wagtails, (language, path)


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
