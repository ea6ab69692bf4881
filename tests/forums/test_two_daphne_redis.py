"""Two real daphne processes sharing Redis: a reply posted through one process reaches a
WebSocket client connected to the other.

This is the production shape (several daphne processes behind a proxy), so it never skips:
it uses REDIS_URL when set, otherwise Redis on 127.0.0.1:6379 (always there in CI), and fails
with a clear message when Redis cannot be reached. Keys are isolated by a random prefix.
"""

from __future__ import annotations

import asyncio
import base64
import http.cookiejar
import json
import os
import re
import secrets
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
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


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "ELASTICSEARCH_URL", "DJANGO_ENV", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=str(tmp_path_factory.mktemp("var")),
        REDIS_URL=url,
        CHANNELS_PREFIX=prefix,
        CACHE_KEY_PREFIX=prefix,
    )
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    made = subprocess.run(  # noqa: S603
        [python, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    topic_id, session_key, second_session_key = made.stdout.split()[-3:]
    daphne = Path(python).with_name("daphne")
    ports, servers = [free_port(), free_port()], []
    for port in ports:
        servers.append(
            subprocess.Popen(  # noqa: S603
                [str(daphne), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
    try:
        for port, server in zip(ports, servers, strict=True):
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except OSError:
                    if server.poll() is not None:
                        pytest.fail(f"daphne exited: {server.stderr.read().decode()}")
                    if time.monotonic() > deadline:
                        pytest.fail("daphne did not answer within 30 seconds")
                    time.sleep(0.3)
        yield {
            "ports": ports,
            "topic": int(topic_id),
            "session": session_key,
            "second_session": second_session_key,
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        client = redis.Redis.from_url(url)
        leftovers = client.keys(f"{prefix}*")
        if leftovers:
            client.delete(*leftovers)


class RawWebSocket:
    """Just enough of RFC 6455 for a test client: handshake, masked text out, frames in."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int, path: str, session_key: str = "") -> RawWebSocket:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        cookie = f"Cookie: sessionid={session_key}\r\n" if session_key else ""
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{cookie}"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        return cls(reader, writer)

    async def receive_json(self, timeout: float = 10) -> dict:
        opcode, payload = await self.receive_frame(timeout)
        assert opcode == 0x1, f"expected a text frame, got opcode {opcode}"
        return json.loads(payload)

    async def receive_frame(self, timeout: float = 10) -> tuple[int, bytes]:
        async with asyncio.timeout(timeout):
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            payload = await self.reader.readexactly(length)
        return first & 0x0F, payload

    async def send_json(self, content: dict) -> None:
        payload = json.dumps(content).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.writer.write(header + mask + masked)
        await self.writer.drain()

    def close(self) -> None:
        self.writer.close()


def post_reply(port: int, topic_id: int, session_key: str, body: str) -> int:
    """Reply through daphne's HTTP side like a browser: session cookie, CSRF token, form post."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    page = opener.open(f"{base}/forums/t/{topic_id}/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    opener.addheaders = [("Cookie", f"sessionid={session_key}; csrftoken={csrf_cookie}")]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "body": body}).encode()
    response = opener.open(f"{base}/forums/t/{topic_id}/reply/", data=data, timeout=10)
    return response.status


async def test_post_through_one_daphne_reaches_a_socket_on_the_other(two_daphnes):
    first, second = two_daphnes["ports"]
    topic_id = two_daphnes["topic"]
    socket = await RawWebSocket.connect(second, f"/ws/forums/topics/{topic_id}/")
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
        other = await RawWebSocket.connect(first, f"/ws/forums/topics/{topic_id}/")
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
    """Log out through daphne's HTTP side like a browser: the form in the page header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    page = opener.open(f"{base}/forums/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    opener.addheaders = [("Cookie", f"sessionid={session_key}; csrftoken={csrf_cookie}")]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    return opener.open(f"{base}/accounts/logout/", data=data, timeout=10).status


async def test_logout_through_one_daphne_closes_the_sockets_on_the_other(two_daphnes):
    """The sign-in ends on process A; the socket opened with it on process B closes (4401)."""
    first, second = two_daphnes["ports"]
    topic_id, session_key = two_daphnes["topic"], two_daphnes["second_session"]
    socket = await RawWebSocket.connect(second, f"/ws/forums/topics/{topic_id}/", session_key)
    try:
        assert (await socket.receive_json())["type"] == "hello"
        assert await asyncio.to_thread(log_out, first, session_key) == 200
        while True:
            opcode, payload = await socket.receive_frame(timeout=10)
            if opcode == 0x8:  # close
                break
        assert struct.unpack("!H", payload[:2])[0] == 4401
    finally:
        socket.close()
