"""Feeds, sitemap and the pages API: what partner platforms and crawlers receive."""

from __future__ import annotations

import feedparser
import pytest
from wagtail.models import PageViewRestriction

from network.models import ProfileVisibility

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "version"),
    [("/feeds/case-studies/rss/", "rss20"), ("/feeds/case-studies/atom/", "atom10")],
)
def test_case_study_feeds_parse_and_list_the_latest_first(client, make_case_study, path, version):
    make_case_study(title="Older story")
    make_case_study(title="Newest story", themes=("restoration",))
    make_case_study(title="Unpublished story", publish=False)

    response = client.get(path)
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == ["Newest story", "Older story"]
    newest = feed.entries[0]
    assert newest.link.startswith("http://testserver/case-studies/")
    assert newest.summary.startswith("What partnership")
    assert [tag.term for tag in newest.tags] == ["Restoration"]


@pytest.mark.parametrize("path", ["/feeds/resources/rss/", "/feeds/resources/atom/"])
def test_resource_feeds_parse(client, make_resource, path):
    make_resource(title="Field guide to terraces")
    feed = feedparser.parse(client.get(path).content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Field guide to terraces"]


def test_spanish_feed_prefers_spanish_versions(client, make_case_study, library_tree):
    english = make_case_study(title="Water fund")
    translation = english.copy_for_translation(library_tree["locales"]["es"])
    translation.title = "Fondo de agua"
    translation.save_revision().publish()
    feed = feedparser.parse(client.get("/es/feeds/case-studies/rss/").content)
    assert [entry.title for entry in feed.entries] == ["Fondo de agua"]


def test_sitemap_lists_pages_in_every_language_and_partnerships(
    client, make_case_study, partnership
):
    make_case_study(slug="terraces", title="Terraces")
    make_case_study(slug="solo", title="Solo", language="es")
    body = client.get("/sitemap.xml").content.decode()
    # Pages carry their Wagtail site's host; every language tree is included.
    assert "/case-studies/terraces/</loc>" in body
    assert "/es/case-studies/solo/</loc>" in body
    assert f"/network/partnerships/{partnership.slug}/</loc>" in body


def test_pages_api_lists_only_live_public_pages(client, make_case_study, library_tree):
    live = make_case_study(title="Live story")
    make_case_study(title="Draft story", publish=False)
    private = make_case_study(title="Private story")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get("/api/v2/pages/?type=library.CaseStudyPage&fields=*")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Live story"]
    item = items[0]
    assert item["id"] == live.pk
    assert item["country"] == "KE"
    assert item["outcome_list"] == [{"label": "Hectares restored", "value": "120.00", "unit": "ha"}]


def test_pages_api_never_exposes_people(client, make_case_study, make_user, partnership):
    owner = make_user(
        email="hidden.person@example.org", profile_visibility=ProfileVisibility.PRIVATE
    )
    page = make_case_study(title="Story", partnership=partnership, owner=owner)
    listing = client.get("/api/v2/pages/?type=library.CaseStudyPage&fields=*").content.decode()
    detail = client.get(f"/api/v2/pages/{page.pk}/").content.decode()
    for body in (listing, detail):
        assert owner.email not in body
        assert owner.username not in body
