"""What the app's writes purge from the production shape's proxy (``config.proxy_cache``): the
PURGE requests a real HTTP listener receives, in process, for the writes the nginx test does
not drive (a move, a view restriction, a locked topic) and for the language prefixes.

The end-to-end check (nginx really drops the copy) is ``tests/deploy/test_nginx.py``.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import PageViewRestriction

from forums.models import Category
from forums.services import post_hide, topic_create, topic_lock
from network.roles import Role

pytestmark = pytest.mark.django_db


class _Recorder(BaseHTTPRequestHandler):
    received: list[tuple[str, str]]

    def do_PURGE(self) -> None:
        self.server.received.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def purged(settings):
    """The paths PURGEd at a real listener standing in for nginx."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    location = f"http://127.0.0.1:{server.server_port}"
    settings.FRONTEND_CACHE_PURGE_URL = location
    settings.SITE_URL = "http://localhost"
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    settings.WAGTAILFRONTENDCACHE_LANGUAGES = []
    try:
        yield server.received
    finally:
        server.shutdown()
        server.server_close()


def paths(received) -> set[str]:
    return {path for _host, path in received}


def test_a_view_restriction_purges_the_page_and_its_descendants(
    purged, make_case_study, django_capture_on_commit_callbacks
):
    page = make_case_study(slug="terraces")
    index = page.get_parent()
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=index, restriction_type="login")
    assert {"/case-studies/", "/case-studies/terraces/", "/es/case-studies/terraces/"} <= paths(
        purged
    )
    assert {host for host, _path in purged} == {"localhost"}  # what nginx's $host keys on
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert {"/case-studies/", "/fr/case-studies/", "/case-studies/terraces/"} <= paths(purged)


def test_nothing_is_purged_before_the_commit(
    purged, make_case_study, django_capture_on_commit_callbacks
):
    page = make_case_study(slug="pending")
    purged.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.unpublish()
    assert purged == []
    for callback in callbacks:
        callback()
    assert {"/case-studies/pending/", "/case-studies/", "/", "/pt/"} <= paths(purged)


def test_a_move_purges_the_old_and_new_address_and_both_parents(
    purged, make_case_study, library_tree, django_capture_on_commit_callbacks
):
    page = make_case_study(slug="wandering")
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.move(library_tree["home"], pos="last-child")
    assert {
        "/case-studies/wandering/",
        "/es/case-studies/wandering/",
        "/wandering/",
        "/case-studies/",
        "/",
    } <= paths(purged)


def test_moderating_a_topic_purges_it_in_every_language_with_its_category(
    purged, make_user, django_capture_on_commit_callbacks
):
    author = make_user(username="author")
    moderator = make_user(Role.MODERATOR, username="mod")
    category = Category.objects.create(name="Soil", slug="soil")
    topic = topic_create(author=author, category=category, title="Mulch", body="First post")
    post = topic.posts.first()
    topic_urls = {
        f"/forums/t/{topic.pk}/",
        f"/es/forums/t/{topic.pk}/",
        f"/fr/forums/t/{topic.pk}/",
    }
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_hide(moderator=moderator, post=post)
    assert topic_urls | {"/forums/c/soil/", "/forums/", "/pt/forums/"} <= paths(purged)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        topic_lock(moderator=moderator, topic=topic, locked=True)
    assert topic_urls | {"/forums/c/soil/"} <= paths(purged)
