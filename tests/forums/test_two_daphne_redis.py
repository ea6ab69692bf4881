"""Two real daphne processes sharing Redis: a reply posted through one process reaches a
WebSocket client connected to the other.

This is the production shape (several daphne processes behind a proxy), so it never skips:
it uses REDIS_URL when set, otherwise Redis on 127.0.0.1:6379 (always there in CI), and fails
with a clear message when Redis cannot be reached. Keys are isolated by a random prefix.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import secrets
import urllib.parse
import urllib.request

import pytest
import redis
from live_servers import migrated_site

from devservers import Daphne, WebSocket, shell

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from forums.models import Category
from forums.services import topic_create
from network.models import User
user = User.objects.create_user(username="poster", email="poster@example.org", password="x" * 12)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
category = Category.objects.create(name="Cross-process", slug="cross-process")
topic = topic_create(author=user, category=category, title="Two processes", body="First")
keys = []
for _ in range(2):  # one to post with, one to log out
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    keys.append(session.session_key)
print(topic.pk, *keys)
"""


def redis_url_or_fail() -> str:
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(
            f"The two-process test needs Redis at {url} ({error}). Start Redis "
            "(docker compose up redis) or set REDIS_URL."
        )
    return url


@pytest.fixture(scope="module")
def two_daphnes(tmp_path_factory):
    url = redis_url_or_fail()
    prefix = f"t{secrets.token_hex(4)}"
    env = migrated_site(
        tmp_path_factory.mktemp("var"),
        REDIS_URL=url,
        CHANNELS_PREFIX=prefix,
        CACHE_KEY_PREFIX=prefix,
    )
    topic_id, session_key, second_session_key = shell(env, SETUP).split()[-3:]
    servers = [Daphne(env), Daphne(env)]
    try:
        for server in servers:
            server.start()
        yield {
            "ports": [server.port for server in servers],
            "topic": int(topic_id),
            "session": session_key,
            "second_session": second_session_key,
        }
    finally:
        for server in servers:
            server.stop()
        client = redis.Redis.from_url(url)
        leftovers = client.keys(f"{prefix}*")
        if leftovers:
            client.delete(*leftovers)


def post_as_member(port: int, session_key: str, page: str, action: str, fields: dict) -> int:
    """Post a form through daphne's HTTP side like a browser: open ``page`` with the session
    cookie for its CSRF token, then post ``fields`` to ``action``; the final status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    html = opener.open(f"{base}{page}", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    opener.addheaders = [("Cookie", f"sessionid={session_key}; csrftoken={csrf_cookie}")]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    return opener.open(f"{base}{action}", data=data, timeout=10).status


def post_reply(port: int, topic_id: int, session_key: str, body: str) -> int:
    topic = f"/forums/t/{topic_id}/"
    return post_as_member(port, session_key, topic, f"{topic}reply/", {"body": body})


async def test_post_through_one_daphne_reaches_a_socket_on_the_other(two_daphnes):
    first, second = two_daphnes["ports"]
    topic_id = two_daphnes["topic"]
    socket = await WebSocket.connect(second, f"/ws/forums/topics/{topic_id}/")
    try:
        hello = await socket.receive_json()
        assert hello["type"] == "hello"
        body = f"Across processes {secrets.token_hex(3)}"
        status = await asyncio.to_thread(post_reply, first, topic_id, two_daphnes["session"], body)
        assert status == 200  # followed the redirect to the post's page
        while True:
            frame = await socket.receive_json(timeout=10)
            if frame["type"] == "post.created":
                break
        assert body in frame["html"]

        # Presence is counted across processes: a reader on the first process is seen here.
        other = await WebSocket.connect(first, f"/ws/forums/topics/{topic_id}/")
        other_hello = await other.receive_json()
        assert other_hello["reading"] == 2
        while True:
            frame = await socket.receive_json(timeout=10)
            if frame["type"] == "presence" and frame["reading"] == 2:
                break
        other.close()
    finally:
        socket.close()


def log_out(port: int, session_key: str) -> int:
    """Log out like a browser: the form in the page header."""
    return post_as_member(port, session_key, "/forums/", "/accounts/logout/", {})


async def test_logout_through_one_daphne_closes_the_sockets_on_the_other(two_daphnes):
    """The sign-in ends on process A; the socket opened with it on process B closes (4401)."""
    first, second = two_daphnes["ports"]
    topic_id, session_key = two_daphnes["topic"], two_daphnes["second_session"]
    socket = await WebSocket.connect(
        second, f"/ws/forums/topics/{topic_id}/", cookie=f"sessionid={session_key}"
    )
    try:
        assert (await socket.receive_json())["type"] == "hello"

        async def until_closed() -> None:
            while await socket.receive() is not None:
                pass  # frames sent before the close

        # Read while the logout runs: daphne drops a connection whose peer has not read its
        # close frame within its close handshake timeout, and the reset discards that frame.
        reading = asyncio.create_task(until_closed())
        assert await asyncio.to_thread(log_out, first, session_key) == 200
        await asyncio.wait_for(reading, 10)
        assert socket.close_code == 4401
    finally:
        socket.close()
