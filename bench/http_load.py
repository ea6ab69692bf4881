"""The benchmarks' HTTP side: a keep-alive HTTP/1.1 client on asyncio streams, a load loop of
keep-alive clients, percentiles and page weights. Split from harness.py (which re-exports it),
so each module stays small; talks only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class HttpConnection:
    """A keep-alive HTTP/1.1 client on asyncio streams: just enough of the protocol for GETs
    and form POSTs against daphne (Content-Length or chunked bodies)."""

    def __init__(self, port: int, cookie: str = ""):
        self.port, self.cookie = port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        try:
            return await self._read()
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise

    async def _read(self) -> Response:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                value = value.strip()
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif "chunked" in headers.get("transfer-encoding", ""):
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)


def get(port: int, path: str, cookie: str = "") -> Response:
    """One GET, synchronously (for setup steps)."""

    async def once() -> Response:
        connection = HttpConnection(port, cookie)
        try:
            return await connection.request("GET", path)
        finally:
            connection.close()

    return asyncio.run(once())


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(percentile(self.latencies_ms, 0.50), 2),
            "p99_ms": round(percentile(self.latencies_ms, 0.99), 2),
            "statuses": {str(k): v for k, v in self.statuses.items()},
        }


#: Called with (path, response or None for a dropped connection, milliseconds) per request.
Observer = Callable[[str, "Response | None", float], None]


async def load_async(
    port: int, path: str | Iterator[str], *, clients: int = 16, seconds: float = 10.0,
    cookie: str = "", expect: int = 200, observe: Observer | None = None,
) -> LoadResult:  # fmt: skip
    """``clients`` keep-alive connections GET ``path`` back to back for ``seconds``. A response
    other than ``expect`` or a dropped connection counts as an error (and is not timed).
    ``path`` may be an iterator: each request then asks for the next path (no cache helps).
    ``observe`` sees every request (the mixed run sorts them by kind of page and cache)."""
    result = LoadResult()
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        connection = HttpConnection(port, cookie)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            target = path if isinstance(path, str) else next(path)
            try:
                response = await asyncio.wait_for(connection.request("GET", target), timeout=30)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                connection.close()
                result.errors += 1
                if observe:
                    observe(target, None, (time.perf_counter() - started) * 1000)
                continue
            if observe:
                observe(target, response, (time.perf_counter() - started) * 1000)
            result.statuses[response.status] = result.statuses.get(response.status, 0) + 1
            if response.status != expect:
                result.errors += 1
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
        connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - began
    result.requests = len(result.latencies_ms)
    return result


def load(port: int, path: str | Iterator[str], **options) -> LoadResult:
    return asyncio.run(load_async(port, path, **options))


def served_by(headers: dict[str, str]) -> str:
    """Which cache answered a response, if any: the proxy's (nginx's X-Cache-Status: HIT, or
    REVALIDATED when the app only confirmed the stored copy with a 304) or the app's page cache
    (X-Page-Cache: hit); "" when it was rendered."""
    proxy = headers.get("x-cache-status", "")
    if proxy == "HIT":
        return "proxy cache"
    if proxy == "REVALIDATED":
        return "proxy cache, revalidated"
    if headers.get("x-page-cache") == "hit":
        return "app page cache"
    return ""


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SESSION_COOKIES = re.compile(r"\b(csrftoken|sessionid)=([^;,]*)")


class FormClient:
    """A browser's side of Django forms on one keep-alive connection: GET a page with a form
    (keeping its CSRF token and the cookies it set), then POST to it as the form would."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.token = ""
        self.connection = HttpConnection(port)

    def _remember(self, response: Response) -> None:
        for name, value in SESSION_COOKIES.findall(response.headers.get("set-cookie", "")):
            if value and value != '""':
                self.cookies[name] = value
        self.connection.cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def get(self, path: str) -> Response:
        """GET ``path``; its form's CSRF token (if it has one) is kept for the next POST."""
        self._remember(Response(0, {}, b""))
        response = await self.connection.request("GET", path)
        self._remember(response)
        match = CSRF_INPUT.search(response.body.decode(errors="replace"))
        if match:
            self.token = match.group(1)
        return response

    async def post(self, path: str, fields: list[tuple[str, str]], referer: str) -> Response:
        """POST ``fields`` (and the CSRF token) as ``application/x-www-form-urlencoded``."""
        from urllib.parse import urlencode

        self._remember(Response(0, {}, b""))
        body = urlencode([("csrfmiddlewaretoken", self.token), *fields]).encode()
        response = await self.connection.request(
            "POST", path, body,
            {"Content-Type": "application/x-www-form-urlencoded",
             "Referer": f"http://{HOST}:{self.port}{referer}"},
        )  # fmt: skip
        self._remember(response)
        return response

    def close(self) -> None:
        self.connection.close()


STYLESHEET = re.compile(
    r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]+href="([^"]+)"[^>]*rel="stylesheet"'
)
SCRIPT = re.compile(r'<script[^>]+src="([^"]+)"')


def page_weight(port: int, path: str, cookie: str = "") -> dict[str, int]:
    """Bytes of a page's HTML plus the stylesheets and scripts it links (before media), as
    served (uncompressed)."""
    page = get(port, path, cookie)
    if page.status != 200:
        raise SystemExit(f"{path} answered {page.status}")
    text = page.body.decode()
    assets = [a or b for a, b in STYLESHEET.findall(text)] + SCRIPT.findall(text)
    asset_bytes = 0
    for asset in dict.fromkeys(assets):
        if asset.startswith(("http://", "https://", "//")):
            continue  # nothing external is expected; never fetched from elsewhere
        response = get(port, asset, cookie)
        asset_bytes += len(response.body) if response.status == 200 else 0
    return {"html": len(page.body), "assets": asset_bytes, "files": len(set(assets)),
            "total": len(page.body) + asset_bytes}  # fmt: skip
