"""The benchmarks' WebSocket side: forum topic readers that record each post's arrival, and a
poster that replies through the HTTP form (the RFC 6455 client is devservers.WebSocket, shared
with the tests). Split from harness.py (which re-exports it); talks only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass

from http_load import FormClient, percentile

from devservers import WebSocket


class TopicReader:
    """A WebSocket reader in one forum topic that records when each post id arrives, and how
    many times (a duplicate is a delivery of a post id already seen)."""

    def __init__(self, socket_: WebSocket):
        self.socket = socket_
        self.arrivals: dict[int, float] = {}
        #: post id -> ms from the server's broadcast to this frame (bench mode's ``sent_at``)
        self.delivery_ms: dict[int, float] = {}
        self.duplicates = 0
        self.ready = asyncio.Event()
        self.closed = False
        self.topic_id = 0

    @classmethod
    async def connect(cls, port: int, topic_id: int, cookie: str = "") -> TopicReader:
        return cls(await WebSocket.connect(port, f"/ws/forums/topics/{topic_id}/", cookie))

    async def run(self) -> None:
        try:
            while (frame := await self.socket.receive()) is not None:
                if frame.get("type") == "hello":
                    self.ready.set()
                elif frame.get("type") == "post.created":
                    if frame["post"] in self.arrivals:
                        self.duplicates += 1
                    else:
                        self.arrivals[frame["post"]] = time.perf_counter()
                        if "sent_at" in frame:  # the same machine's clock: 127.0.0.1 only
                            delivered = (time.time() - frame["sent_at"]) * 1000
                            self.delivery_ms[frame["post"]] = delivered
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            self.closed = True
            self.ready.set()


@dataclass
class Readers:
    readers: list[TopicReader]
    tasks: list[asyncio.Task]
    failed: int  # sockets that never connected, retries included
    retries: int  # handshakes that failed and were tried again (as a browser's script does)
    reasons: dict[str, int]

    def close(self) -> None:
        for reader in self.readers:
            reader.socket.close()
        for task in self.tasks:
            task.cancel()


async def open_readers(
    port: int, topic_ids: list[int], *, parallel: int = 8, attempts: int = 3, cookie: str = ""
) -> Readers:
    """One reader per entry of ``topic_ids``, ``parallel`` handshakes at a time; each starts
    reading (and answering daphne's pings) as soon as it is connected: a socket left unread
    while the others connect misses pings and is dropped by the server. A failed handshake
    (daphne gives up on a consumer that has not accepted within its connect timeout) is
    retried after a pause, like the site's script reconnects, and counted. Waits (bounded) for
    every ``hello``."""
    result = Readers([], [], 0, 0, {})
    gate = asyncio.Semaphore(parallel)

    async def one(topic_id: int) -> None:
        for attempt in range(attempts):
            async with gate:
                try:
                    reader = await asyncio.wait_for(TopicReader.connect(port, topic_id, cookie), 60)
                except (OSError, ConnectionError, TimeoutError, asyncio.IncompleteReadError) as e:
                    name = type(e).__name__
                    result.reasons[name] = result.reasons.get(name, 0) + 1
                    if attempt + 1 < attempts:
                        result.retries += 1
                        await asyncio.sleep(1.0 + attempt)
                        continue
                    result.failed += 1
                    return
            reader.topic_id = topic_id
            result.readers.append(reader)
            result.tasks.append(asyncio.create_task(reader.run()))
            return

    await asyncio.gather(*(one(topic_id) for topic_id in topic_ids))
    await asyncio.wait_for(asyncio.gather(*(r.ready.wait() for r in result.readers)), 120)
    return result


POST_ID = re.compile(r"#post-(\d+)")


class TopicPoster:
    """Replies in a topic through the site's HTTP side like a browser's form. The CSRF token is
    fetched once (``prepare``) so only the form post itself is inside a measured time."""

    def __init__(self, port: int, topic_id: int, session_key: str):
        self.port, self.topic_id, self.session_key = port, topic_id, session_key
        self.form = FormClient(port, {"sessionid": session_key})

    async def prepare(self) -> None:
        response = await self.form.get(f"/forums/t/{self.topic_id}/")
        if not self.form.token or "csrftoken" not in self.form.cookies:
            raise SystemExit(f"no reply form on topic {self.topic_id} ({response.status})")

    async def reply(self, body: str) -> int:
        topic = f"/forums/t/{self.topic_id}/"
        response = await self.form.post(f"{topic}reply/", [("body", body)], referer=topic)
        match = POST_ID.search(response.headers.get("location", ""))
        if response.status != 302 or not match:
            raise RuntimeError(f"reply failed: {response.status} {response.body[:200]!r}")
        return int(match.group(1))


def spread(count: int, servers: int) -> list[int]:
    """Which server (0 .. ``servers`` - 1) each of ``count`` sockets connects to: in turn, so
    the shares differ by at most one (5 over 2: 0, 1, 0, 1, 0)."""
    if servers < 1:
        raise ValueError("at least one server")
    return [number % servers for number in range(count)]


async def fanout(
    ports: list[int], topic_id: int, poster_session: str, clients: int, posts: int
) -> dict:
    """``clients`` sockets in one topic, spread over the servers on ``ports`` (one process each,
    sharing the channel layer); ``posts`` replies posted one after another through the HTTP
    form of the first; per reader, time from sending the form to the ``post.created`` frame,
    and from the server's broadcast to the frame (bench mode's ``sent_at``)."""
    where = spread(clients, len(ports))
    opened = await asyncio.gather(
        *(open_readers(port, [topic_id] * where.count(index)) for index, port in enumerate(ports))
    )
    readers = [reader for group in opened for reader in group.readers]
    await asyncio.sleep(1.0)  # let the presence chatter of the joins settle
    poster = TopicPoster(ports[0], topic_id, poster_session)
    await poster.prepare()
    latencies: list[float] = []
    deliveries: list[float] = []
    lost = 0
    began = time.perf_counter()
    for number in range(posts):
        sent = time.perf_counter()
        post_id = await poster.reply(f"Fan-out post {number} {secrets.token_hex(2)}")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and not all(post_id in r.arrivals for r in readers):
            await asyncio.sleep(0.002)
        for reader in readers:
            if post_id in reader.arrivals:
                latencies.append((reader.arrivals[post_id] - sent) * 1000)
                if post_id in reader.delivery_ms:
                    deliveries.append(reader.delivery_ms[post_id])
            else:
                lost += 1
    elapsed = time.perf_counter() - began
    poster.form.close()
    for group in opened:
        group.close()
    return {
        "clients": clients,
        "servers": len(ports),
        "posts": posts,
        "deliveries": len(latencies),
        "lost": lost,
        "failed_connections": sum(group.failed for group in opened),
        "connect_retries": sum(group.retries for group in opened),
        "dropped": sum(1 for r in readers if r.closed),
        "duplicates": sum(r.duplicates for r in readers),
        "deliveries_per_s": round(len(latencies) / elapsed),
        "posts_per_s": round(posts / elapsed, 2),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        # From the server's broadcast (after commit) to the frame: delivery alone, comparable
        # with the raw group_send figures; the two above include posting the reply itself.
        "delivery_p50_ms": round(percentile(deliveries, 0.5), 1) if deliveries else None,
        "delivery_p99_ms": round(percentile(deliveries, 0.99), 1) if deliveries else None,
    }
