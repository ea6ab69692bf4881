"""The anonymous page cache: what it stores, what it never stores, and that every change a
reader should see empties it at once (publish, unpublish, delete, snippet save, forum post)."""

from __future__ import annotations

import pytest
from django.test import Client

from forums import services as forum_services
from forums.models import Category
from library.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.FORUMS_POSTS_PER_MINUTE = 1000


def get(client: Client, path: str, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return response


def test_second_anonymous_visit_is_served_from_the_cache_without_a_csrf_token(
    client, make_case_study, django_assert_num_queries
):
    page = make_case_study(title="Terraces of Kijabe")
    first = get(client, page.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, page.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Terraces of Kijabe" in second.content.decode()
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert not second.cookies
    assert second["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in second["Vary"]
    assert second["ETag"] == first["ETag"]


def test_matching_etag_gets_a_304(client, make_case_study):
    page = make_case_study()
    etag = get(client, page.url)["ETag"]
    assert get(client, page.url, if_none_match=etag).status_code == 304  # from the cache
    client.cookies.clear()
    assert get(client, "/case-studies/?region=africa", if_none_match='"other"').status_code == 200


def test_publishing_a_change_shows_at_once(client, make_case_study):
    page = make_case_study(title="Old title")
    get(client, "/")
    get(client, "/case-studies/")
    get(client, page.url)

    page.title = "New title"
    page.save_revision().publish()

    for path in ("/", "/case-studies/", page.url):
        response = get(client, path)
        assert response["X-Page-Cache"] == "miss", path
        assert "New title" in response.content.decode(), path


def test_unpublishing_and_deleting_take_pages_out_at_once(client, make_case_study):
    gone = make_case_study(title="Soon unpublished")
    deleted = make_case_study(title="Soon deleted")
    url = deleted.url
    assert "Soon unpublished" in get(client, "/case-studies/").content.decode()
    get(client, url)

    gone.unpublish()
    deleted.delete()

    listing = get(client, "/case-studies/").content.decode()
    assert "Soon unpublished" not in listing
    assert "Soon deleted" not in listing
    assert client.get(url).status_code == 404


def test_saving_a_vocabulary_snippet_shows_at_once(client, make_case_study):
    page = make_case_study(themes=("restoration",))
    get(client, page.url)
    theme = Theme.objects.get(slug="restoration")
    theme.name = "Landscape restoration (renamed)"
    theme.save()
    assert "Landscape restoration (renamed)" in get(client, page.url).content.decode()


def test_a_forum_post_shows_on_the_cached_topic_page_at_once(client, make_user):
    category = Category.objects.create(name="Practice", slug="practice")
    author = make_user()
    topic = forum_services.topic_create(
        author=author, category=category, title="Fire breaks", body="Opening message."
    )
    url = topic.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"

    forum_services.post_create(author=author, topic=topic, body="A brand new reply.")

    assert "A brand new reply." in get(client, url).content.decode()


def test_signed_in_members_never_get_or_fill_the_cache(client, make_user, make_case_study):
    page = make_case_study()
    get(client, page.url)  # cached for anonymous visitors
    member = make_user(display_name="Wanjiru Kamau")
    member_client = Client()
    member_client.force_login(member)

    for _ in range(2):
        response = get(member_client, page.url)
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
        assert "Wanjiru Kamau" in response.content.decode()
    assert "Wanjiru Kamau" not in get(client, page.url).content.decode()


def test_pages_with_a_form_token_are_never_stored(client, library_tree):
    for _ in range(2):
        response = client.get("/accounts/login/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]  # allauth's never_cache, kept


def test_languages_are_cached_apart(client, library_tree):
    english = get(client, "/case-studies/")
    spanish = get(client, "/es/case-studies/")
    assert '<html lang="en"' in get(client, "/case-studies/").content.decode()
    assert '<html lang="es"' in get(client, "/es/case-studies/").content.decode()
    assert english.content != spanish.content


def test_search_pages_are_cached_only_while_the_index_can_tell_its_version(
    client, library_tree, settings
):
    """Search results follow the index, not the content families: the key carries the index
    version (tests/search/test_search_cache.py shows a change is seen at once)."""
    assert get(client, "/search/?q=water")["X-Page-Cache"] == "miss"
    assert get(client, "/search/?q=water")["X-Page-Cache"] == "hit"
    assert get(client, "/es/search/?q=water")["X-Page-Cache"] == "miss"
    settings.SEARCH = {**settings.SEARCH, "CACHE_TIMEOUT": 0}  # no version: never cached
    assert "X-Page-Cache" not in get(client, "/search/?q=water")
    assert get(client, "/search/?q=water")["Cache-Control"] == "private, no-cache"


def test_language_links_lead_to_the_translated_page(client, library_tree):
    """The switcher is links (no form, so no token on cached pages), to each translation."""
    html = get(client, "/case-studies/").content.decode()
    assert 'href="/es/case-studies/" lang="es"' in html
    assert 'href="/fr/case-studies/" lang="fr"' in html
    assert 'action="/i18n/setlang/"' not in html
