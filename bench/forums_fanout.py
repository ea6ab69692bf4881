"""Fan-out of live forum posts: N WebSocket readers in one topic, served by a real daphne.

    .venv/bin/python bench/forums_fanout.py --clients 200 --posts 20            # in-memory layer
    .venv/bin/python bench/forums_fanout.py --clients 200 --posts 20 --redis    # channels-redis

Starts daphne on a fresh SQLite database (VAR_DIR in a temporary folder), opens N sockets on
one topic, then posts replies one after another through daphne's HTTP side (a moderator's form
post, like a browser). For each reply it measures, per reader, the time from sending the form
to receiving the ``post.created`` frame. Prints a Markdown table: deliveries per second and
p50/p99 delivery latency. Never run as a test.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.cookiejar
import json
import os
import re
import secrets
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from forums.models import Category
from forums.services import topic_create
from network.models import User
user = User.objects.create_user(username="bench", email="bench@example.org", password="x" * 12, is_staff=True)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
category = Category.objects.create(name="Bench", slug="bench")
topic = topic_create(author=user, category=category, title="Fan-out", body="Start")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print(topic.pk, session.session_key)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Reader:
    """A minimal RFC 6455 client that records when each post arrives."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.arrivals: dict[int, float] = {}
        self.ready = asyncio.Event()

    @classmethod
    async def connect(cls, port: int, path: str) -> Reader:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(head.decode(errors="replace"))
        return cls(reader, writer)

    async def run(self) -> None:
        try:
            while True:
                first, second = await self.reader.readexactly(2)
                length = second & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", await self.reader.readexactly(2))
                elif length == 127:
                    (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
                payload = await self.reader.readexactly(length)
                if first & 0x0F != 0x1:
                    return
                frame = json.loads(payload)
                if frame["type"] == "hello":
                    self.ready.set()
                elif frame["type"] == "post.created":
                    self.arrivals[frame["post"]] = time.perf_counter()
        except (asyncio.IncompleteReadError, ConnectionError):
            return


class Poster:
    """Replies through daphne's HTTP side like a browser; the CSRF token is fetched once so
    that only the form post itself is inside the measured time."""

    def __init__(self, base: str, topic_id: int, session_key: str):
        self.base, self.topic_id = base, topic_id
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("Cookie", f"sessionid={session_key}")]
        page = opener.open(f"{base}/forums/t/{topic_id}/", timeout=30).read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        self.opener = urllib.request.build_opener(NoRedirect)
        self.opener.addheaders = [("Cookie", f"sessionid={session_key}; csrftoken={csrf}")]

    def reply(self, body: str) -> int:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, "body": body}).encode()
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}/forums/t/{self.topic_id}/reply/", data=data
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # the 302 to the post, not followed
            response = error
        match = re.search(r"#post-(\d+)", response.headers.get("Location", ""))
        if not match:
            raise RuntimeError(f"reply failed: {response.status}")
        return int(match.group(1))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


async def measure(port: int, topic_id: int, session_key: str, clients: int, posts: int):
    base = f"http://127.0.0.1:{port}"
    readers = []
    for _ in range(clients):
        readers.append(await Reader.connect(port, f"/ws/forums/topics/{topic_id}/"))
    tasks = [asyncio.create_task(reader.run()) for reader in readers]
    await asyncio.wait_for(asyncio.gather(*(r.ready.wait() for r in readers)), timeout=120)
    await asyncio.sleep(2)  # let the presence chatter of all those joins settle
    poster = await asyncio.to_thread(Poster, base, topic_id, session_key)
    latencies: list[float] = []
    started = time.perf_counter()
    lost = 0
    for number in range(posts):
        sent = time.perf_counter()
        post_id = await asyncio.to_thread(
            poster.reply, f"Bench post {number} {secrets.token_hex(2)}"
        )
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not all(post_id in r.arrivals for r in readers):
            await asyncio.sleep(0.005)
        for reader in readers:
            if post_id in reader.arrivals:
                latencies.append(reader.arrivals[post_id] - sent)
            else:
                lost += 1
    elapsed = max(max(r.arrivals.values()) for r in readers if r.arrivals) - started
    for reader in readers:
        reader.writer.close()
    for task in tasks:
        task.cancel()
    return latencies, elapsed, lost


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--redis", action="store_true", help="use channels-redis")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="forums-bench-")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_ENV", "DEBUG"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=var_dir, LOG_LEVEL="WARNING")
    if args.redis:
        prefix = f"bench{secrets.token_hex(3)}"
        env.update(REDIS_URL=args.redis_url, CHANNELS_PREFIX=prefix, CACHE_KEY_PREFIX=prefix)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    made = subprocess.run(
        [python, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    topic_id, session_key = made.stdout.split()[-2:]
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(python).with_name("daphne")),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("daphne did not start") from None
                time.sleep(0.3)
        latencies, elapsed, lost = asyncio.run(
            measure(port, int(topic_id), session_key, args.clients, args.posts)
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    layer = "channels-redis" if args.redis else "in-memory"
    delivered = len(latencies)
    print(
        "| layer | clients | posts | deliveries | lost | deliveries/s | posts/s | p50 ms | p99 ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {layer} | {args.clients} | {args.posts} | {delivered} | {lost} | "
        f"{delivered / elapsed:.0f} | {args.posts / elapsed:.2f} | "
        f"{statistics.median(latencies) * 1000:.0f} | {percentile(latencies, 0.99) * 1000:.0f} |"
    )


if __name__ == "__main__":
    main()
