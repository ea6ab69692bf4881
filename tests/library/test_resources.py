"""Resource pages and their listing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db


def test_listing_filters_resources_by_type(client, make_resource):
    make_resource(title="Terrace guide", resource_type="guide")
    make_resource(title="Rainfall data", resource_type="dataset", licence="odbl-1.0")
    response = client.get("/resources/?type=dataset")
    assert [page.title for page in response.context["results"].object_list] == ["Rainfall data"]


@pytest.mark.parametrize("query", ["?type=podcast", "?region=mars", "?year=-4", "?page=x"])
def test_resource_listing_ignores_malformed_filters(client, make_resource, query):
    make_resource(title="Still here")
    response = client.get("/resources/" + query)
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_resource_page_links_the_file_and_states_its_licence(client, make_resource):
    document = get_document_model().objects.create(
        title="Terrace guide", file=ContentFile(b"step,action\n1,dig\n", name="terraces.csv")
    )
    page = make_resource(title="Terrace guide", document=document, link="")
    html = client.get(page.url).content.decode()
    assert "Download (CSV)" in html
    assert document.url in html
    assert "Creative Commons Attribution 4.0" in html


def test_resource_needs_a_file_or_a_link(make_resource):
    page = make_resource()
    page.link = ""
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "Upload a file or give a link" in " ".join(error.value.message_dict["link"])


def test_resource_listing_query_count_is_flat(
    settings, client, make_resource, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # count a rendering, not a page cache hit
    for _number in range(2):
        make_resource()
    client.get("/resources/")
    with django_assert_max_num_queries(30) as baseline:
        client.get("/resources/")
    count = len(baseline.captured_queries)  # read now: the next request resets the log
    for _number in range(10):
        make_resource()
    client.get("/resources/")  # publishing emptied the menu cache: warm it again
    with django_assert_max_num_queries(count):
        client.get("/resources/")


def test_home_page_shows_recent_case_studies(client, make_case_study):
    make_case_study(title="Fresh from the field")
    html = client.get("/").content.decode()
    assert "Recent case studies" in html
    assert "Fresh from the field" in html
