"""The benchmarks' WebSocket side: a minimal RFC 6455 client, forum topic readers that record
each post's arrival, and a poster that replies through the HTTP form. Split from harness.py
(which re-exports it); talks only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import struct
import time
from dataclasses import dataclass

from http_load import HOST, FormClient


class WebSocket:
    """A minimal RFC 6455 client: text frames in and out (masked, as a client must)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int, path: str, cookie: str = "") -> WebSocket:
        reader, writer = await asyncio.open_connection(HOST, port)
        key = base64.b64encode(os.urandom(16)).decode()
        extra = f"Cookie: {cookie}\r\n" if cookie else ""
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://{HOST}:{port}\r\n{extra}\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            writer.close()
            raise ConnectionError(head.decode(errors="replace").splitlines()[0])
        return cls(reader, writer)

    async def receive(self) -> dict | None:
        """The next JSON text frame (None when the server closed)."""
        while True:
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            payload = await self.reader.readexactly(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                return None
            if opcode == 0x9:  # ping: answer, keep reading
                self._frame(0xA, payload)
                continue
            if opcode == 0x1:
                return json.loads(payload)

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.writer.write(header + mask + masked)

    def send(self, message: dict) -> None:
        self._frame(0x1, json.dumps(message).encode())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._frame(0x8, struct.pack("!H", 1000))
            self.writer.close()


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
