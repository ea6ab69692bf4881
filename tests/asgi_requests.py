"""One HTTP request straight through an ASGI application, as daphne would send it: for tests of
the handler itself (threads, connections, what a request leaves behind)."""

from __future__ import annotations

import asyncio
import gc
from collections import Counter


async def asgi_get(app, path: str, *, method: str = "GET", cookie: str = "") -> tuple[int, bytes]:
    """The status and body ``app`` answers; the client hangs up once the response is sent, as
    daphne reports a finished request."""
    raw_path, _, query = path.partition("?")
    headers = [(b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    request_sent = False
    answered = asyncio.Event()
    messages: list[dict] = []

    async def receive():
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered.set()

    await app(scope, receive, send)
    body = b"".join(message.get("body", b"") for message in messages[1:])
    return messages[0]["status"], body


def garbage_after(run) -> Counter[str]:
    """The kinds of object ``run()`` left for the cycle collector: whatever it allocated and
    dropped that reference counting alone could not free."""
    gc.collect()
    gc.disable()
    try:
        run()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kinds = Counter(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
        gc.collect()
    return kinds
