"""Requests run their sync code on reused threads, keeping their database connections
(config/request_threads.py), and nothing a request leaves behind reaches the next one."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from asgi_requests import asgi_get, garbage_after
from django.db import connections
from django.db.backends.signals import connection_created

from config.request_threads import RequestThreadPool, ReusedThreadsASGIHandler
from courses import services


def _thread_id() -> int:
    return threading.get_ident()


def test_a_thread_given_back_idle_serves_the_next_request():
    pool = RequestThreadPool(keep=2)
    try:
        first = pool.take()
        ident = first.submit(_thread_id).result()
        pool.give_back(first)
        again = pool.take()
        assert again is first
        assert again.submit(_thread_id).result() == ident
        pool.give_back(again)
    finally:
        pool.close()


def test_requests_at_once_each_get_their_own_thread():
    pool = RequestThreadPool(keep=2)
    try:
        one, two = pool.take(), pool.take()
        assert one is not two
        assert one.submit(_thread_id).result() != two.submit(_thread_id).result()
        pool.give_back(one)
        pool.give_back(two)
        assert len(pool) == 2
    finally:
        pool.close()


def test_a_thread_still_working_is_retired_not_reused():
    """A client that hangs up mid-view ends the request while its view still runs: that
    thread must not take the next request (it would queue behind the old view)."""
    pool = RequestThreadPool(keep=2)
    release = threading.Event()
    busy = pool.take()
    running = busy.submit(release.wait, 10)
    pool.give_back(busy)
    try:
        assert len(pool) == 0
        assert pool.take() is not busy
    finally:
        release.set()
        running.result()
        pool.close()


@pytest.mark.django_db(transaction=True)
def test_threads_beyond_what_is_kept_close_their_connections():
    pool = RequestThreadPool(keep=1)
    kept, extra = pool.take(), pool.take()
    closed: list[str] = []
    kept.submit(_open_connection, "kept", closed).result()
    extra.submit(_open_connection, "extra", closed).result()
    pool.give_back(kept)
    pool.give_back(extra)  # one more than kept: retired
    extra.shutdown(wait=True)
    assert closed == ["extra"]
    pool.close()  # shutdown and tests: every idle thread closes its connection too
    assert closed == ["extra", "kept"]


def _open_connection(name: str, closed: list[str]) -> None:
    """Open this thread's connection and note when it is closed (Django keeps an in-memory
    SQLite database open even then, so the call is what can be seen on both databases)."""
    wrapper = connections["default"]
    wrapper.ensure_connection()
    close = wrapper.close

    def noted_close():
        closed.append(name)
        close()

    wrapper.close = noted_close


@pytest.mark.django_db(transaction=True)
def test_requests_reuse_one_database_connection_instead_of_one_each():
    """Before, every request opened a connection on a new thread (1.9 ms of a 6 ms lesson
    page on SQLite); now sequential requests share one, and the answers are unchanged."""
    handler = ReusedThreadsASGIHandler(keep_threads=4)
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(threading.get_ident())

    connection_created.connect(count)
    try:
        for _ in range(3):
            status, body = asyncio.run(asgi_get(handler, "/healthz"))
            assert status == 200
            assert json.loads(body)["checks"]["database"]["ok"] is True
    finally:
        connection_created.disconnect(count)
        handler.threads.close()
    assert len(opened) == 1


@pytest.mark.django_db(transaction=True)
def test_the_whole_middleware_chain_runs_in_one_trip_to_the_request_thread():
    """No middleware is adapted between sync and async (each adaptation was a trip to a
    thread and back); sync pages, async views (``/healthz``) and the CSRF check still work."""
    handler = ReusedThreadsASGIHandler(keep_threads=2)
    try:
        assert not asyncio.iscoroutinefunction(handler._middleware_chain)
        status, body = asyncio.run(asgi_get(handler, "/no-such-page/"))
        assert status == 404
        assert b"<html" in body
        status, _body = asyncio.run(asgi_get(handler, "/accounts/login/", method="POST"))
        assert status == 403  # no CSRF token
        status, body = asyncio.run(asgi_get(handler, "/healthz"))
        assert status == 200
        assert json.loads(body)["status"] == "ok"
    finally:
        handler.threads.close()


def test_the_site_serves_http_through_the_reused_threads_handler():
    from config import asgi

    assert isinstance(asgi.django_asgi_app, ReusedThreadsASGIHandler)


@pytest.fixture
def wagtail_root(transactional_db):
    """The root page Wagtail's migrations make, which an earlier transactional test's flush
    may have emptied."""
    from wagtail.models import Locale, Page

    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code="en")
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.mark.django_db(transaction=True)
def test_an_answered_page_leaves_nothing_for_the_garbage_collector(
    wagtail_root, settings, make_course, learner, learner_client
):
    """A request, its response, the template context and the pages it rendered are freed as
    soon as the response is sent, by reference counting. Left to the collector, under load they
    were promoted and freed in batches of 100,000 objects, pausing every request in flight for
    100-250 ms (config/request_threads.py ``forget`` and ``listen_for_disconnect``;
    config/template_backend.py; the lesson route's copies, courses/models.py)."""
    settings.PAGE_CACHE_ENABLED = False  # the course page renders every time
    built = make_course(modules=2, lessons=2, quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    signed_in = f"sessionid={learner_client.cookies['sessionid'].value}"
    handler = ReusedThreadsASGIHandler(keep_threads=2)
    loop = asyncio.new_event_loop()

    def serve() -> None:
        for path, cookie in ((built.lessons[1].url, signed_in), (built.course.url, "")):
            status, body = loop.run_until_complete(asgi_get(handler, path, cookie=cookie))
            assert status == 200
            assert b"Lesson 2" in body

    try:
        serve()  # the first requests fill caches and open the connection, which outlive them
        left = garbage_after(serve)
    finally:
        handler.threads.close()
        loop.close()
    # Only Wagtail's StreamValue and its raw-data view (the lesson body) point at each other:
    # a few objects, none of them a page, a request or a context.
    assert set(left) <= {"StreamValue", "RawDataView", "dict", "list"}, left
    assert sum(left.values()) < 10, left
