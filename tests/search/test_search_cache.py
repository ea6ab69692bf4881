"""Cached answers for anonymous searches: never stale after a change to the index, never for
members. The cache is the real one; each write goes through the backend as indexing does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

import search
from search import per_request
from search.backends import get_backend
from search.models import IndexShard
from tests.search.conftest import document

pytestmark = pytest.mark.django_db


def titles(user, text="terraces") -> list[str]:
    return [hit.title for hit in search.query(text, user=user).hits]


@pytest.fixture
def engine(db):
    backend = get_backend()
    backend.upsert([document("library.casestudypage:1", "Terraces on Mount Kenya")])
    return backend


def test_every_kind_of_index_change_counts_a_new_version(engine):
    seen = {engine.index_version()}
    engine.upsert([document("library.casestudypage:2", "Terraces in Peru")])
    seen.add(engine.index_version())
    engine.delete(["library.casestudypage:2"])
    seen.add(engine.index_version())
    engine.rebuild([document("library.casestudypage:1", "Terraces on Mount Kenya")])
    seen.add(engine.index_version())
    engine.clear()
    seen.add(engine.index_version())
    assert len(seen) == 5


def test_a_repeated_public_search_reads_only_the_index_version(engine, anonymous_user):
    first = search.query("terraces", user=anonymous_user, filters={"region": ()})
    with CaptureQueriesContext(connection) as context:
        again = search.query("terraces", user=anonymous_user, filters={"region": ()})
    assert len(context.captured_queries) == 1
    assert [hit.key for hit in again.hits] == [hit.key for hit in first.hits]


def test_a_new_document_is_found_right_after_it_is_indexed(engine, anonymous_user):
    assert titles(anonymous_user) == ["Terraces on Mount Kenya"]
    engine.upsert([document("library.casestudypage:2", "Terraces in Peru")])
    assert sorted(titles(anonymous_user)) == ["Terraces in Peru", "Terraces on Mount Kenya"]


def test_a_changed_or_removed_document_is_not_served_from_the_cache(engine, anonymous_user):
    assert titles(anonymous_user) == ["Terraces on Mount Kenya"]
    engine.upsert([document("library.casestudypage:1", "Terraces on Mount Elgon")])
    assert titles(anonymous_user) == ["Terraces on Mount Elgon"]
    engine.delete(["library.casestudypage:1"])
    assert titles(anonymous_user) == []


def test_a_rebuild_and_a_clear_are_seen_at_once(engine, anonymous_user):
    assert titles(anonymous_user) == ["Terraces on Mount Kenya"]
    engine.rebuild([document("library.casestudypage:9", "Terraces rebuilt")])
    assert titles(anonymous_user) == ["Terraces rebuilt"]
    engine.clear()
    assert titles(anonymous_user) == []


def test_a_change_made_by_another_process_is_seen(engine, anonymous_user):
    """Another process's write reaches this one only through the database: the shard counts."""
    assert titles(anonymous_user) == ["Terraces on Mount Kenya"]
    with connection.cursor() as cursor:  # what another process's write leaves behind
        cursor.execute("UPDATE search_searchentry SET title = 'Terraces elsewhere'")
    assert titles(anonymous_user) == ["Terraces on Mount Kenya"]  # cached, no version change
    assert IndexShard.objects.update(version=F("version") + 1)  # its write's shard count
    assert titles(anonymous_user) == ["Terraces elsewhere"]


def test_members_searches_are_never_cached(engine, make_user):
    member = make_user()
    search.query("terraces", user=member)
    with CaptureQueriesContext(connection) as context:
        search.query("terraces", user=member)
    assert len(context.captured_queries) > 1


def test_the_cache_can_be_switched_off(engine, anonymous_user, settings):
    settings.SEARCH = {**settings.SEARCH, "CACHE_TIMEOUT": 0}
    search.query("terraces", user=anonymous_user)
    with CaptureQueriesContext(connection) as context:
        search.query("terraces", user=anonymous_user)
    assert len(context.captured_queries) > 1


@pytest.fixture
def anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_the_search_page_shows_a_new_document_at_once(engine, client):
    from django.urls import reverse

    url = reverse("search:search") + "?q=terraces"
    assert "Terraces in Peru" not in client.get(url).content.decode()
    engine.upsert([document("library.casestudypage:2", "Terraces in Peru")])
    assert "Terraces in Peru" in client.get(url).content.decode()


def test_a_cached_rendering_keeps_the_links_of_its_own_address(engine, client):
    """The same answer at two addresses: each page's links keep its own query string."""
    from django.urls import reverse

    url = reverse("search:search") + "?q=terraces&region=africa"
    client.get(url)
    html = client.get(url + "&ref=newsletter").content.decode()
    assert "ref=newsletter" in html
    assert "ref=newsletter" not in client.get(url).content.decode()


def test_an_anonymous_search_page_is_cached_until_the_index_changes(
    engine, client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get("/search/?q=terraces")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):  # the index version, nothing else
        second = client.get("/search/?q=terraces")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Terraces on Mount Kenya" in second.content.decode()
    engine.upsert([document("library.casestudypage:2", "Terraces in Peru")])
    third = client.get("/search/?q=terraces")
    assert third["X-Page-Cache"] == "miss"
    assert "Terraces in Peru" in third.content.decode()


def test_a_members_search_page_is_never_cached(engine, learner_client, settings):
    settings.PAGE_CACHE_ENABLED = True
    for _ in range(2):
        response = learner_client.get("/search/?q=terraces")
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"


def test_a_request_reads_the_index_state_once_and_a_write_in_it_changes_the_keys(
    engine, anonymous_user
):
    """Within one request the state is read once; an index write made in that request is
    seen at once (the next answer is keyed and computed afresh), not the state read before."""
    with per_request.request_scope():
        with CaptureQueriesContext(connection) as context:
            before = engine.index_version()
            assert engine.index_version() == before
            engine.active_generation()
        assert len(context.captured_queries) == 1
        assert titles(anonymous_user) == ["Terraces on Mount Kenya"]
        engine.upsert([document("library.casestudypage:2", "Terraces in Peru")])
        assert engine.index_version() != before
        assert sorted(titles(anonymous_user)) == ["Terraces in Peru", "Terraces on Mount Kenya"]
        engine.delete(["library.casestudypage:2"])
        assert titles(anonymous_user) == ["Terraces on Mount Kenya"]
        engine.rebuild([document("library.casestudypage:9", "Terraces rebuilt")])
        assert titles(anonymous_user) == ["Terraces rebuilt"]
        engine.clear()
        assert titles(anonymous_user) == []


def test_nothing_is_remembered_outside_a_request(engine):
    with CaptureQueriesContext(connection) as context:
        engine.index_version()
        engine.index_version()
    assert len(context.captured_queries) == 2


def test_the_next_request_sees_another_processs_change(engine, client, settings):
    """What one request remembered is gone with it: a change another process made between two
    requests (only the state row tells) reaches the next page, cached or not."""
    settings.PAGE_CACHE_ENABLED = True
    url = "/search/?q=terraces"
    assert "Terraces on Mount Kenya" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    with connection.cursor() as cursor:  # what another process's write leaves behind
        cursor.execute("UPDATE search_searchentry SET title = 'Terraces elsewhere'")
    assert IndexShard.objects.update(version=F("version") + 1)  # its write's shard count
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Terraces elsewhere" in response.content.decode()
