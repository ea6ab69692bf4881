"""What every benchmark under bench/ shares: a daphne on a free 127.0.0.1 port, a Django worker
process, an asyncio HTTP load loop, a WebSocket reader, percentiles, memory and tables.

Not a test helper and not an app: benchmarks import it as ``harness`` (their own folder is first
on ``sys.path`` when run as scripts), so no name here may shadow an app (``search``, ...).
Everything is bounded (time limits on every loop) and talks only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import math
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
HOST = "127.0.0.1"
#: Variables that point the site at services; a benchmark decides which of them to pass on.
SERVICE_VARS = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL")


# --- Environment and processes ------------------------------------------------------------


def site_env(**overrides: str | None) -> dict[str, str]:
    """The environment for a manage.py, worker or daphne process: development settings with
    DEBUG off (what a laptop server runs), quiet logs, service URLs only when passed in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {*SERVICE_VARS, "DJANGO_ENV", "DEBUG", "VAR_DIR", "BENCH_MODE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="development",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    """Run ``manage.py`` with ``env``; its stdout, or SystemExit with its stderr."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def worker(env: dict[str, str], *args: str, timeout: float = 3600, stream: bool = False) -> dict:
    """Run ``bench/worker.py`` (code that needs Django loaded) and return the JSON it prints
    on its last stdout line. ``stream`` lets its stderr (progress bars) through."""
    result = subprocess.run(
        [PYTHON, str(BENCH_DIR / "worker.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if stream else subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"worker {' '.join(args)} failed:\n{(result.stderr or '')[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def read_proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process in KiB, from /proc (Linux)."""
    values: dict[str, int] = {}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _unit = line.split()
                values[name.rstrip(":")] = int(amount)
    return values


class MemorySampler:
    """Samples a process's resident memory every ``interval`` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 2.0):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []  # (seconds since start, RSS KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._began = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = read_proc_status(self.pid).get("VmRSS")
            if rss:
                self.samples.append((round(time.monotonic() - self._began, 1), rss))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def summary(self) -> dict[str, float]:
        rss = [kib for _at, kib in self.samples] or [0]
        return {
            "start_mib": rss[0] / 1024,
            "peak_mib": max(rss) / 1024,
            "end_mib": rss[-1] / 1024,
            "peak_hwm_mib": read_proc_status(self.pid).get("VmHWM", 0) / 1024,
            "samples": len(rss),
        }


class Daphne:
    """One daphne process on a free 127.0.0.1 port, stopped on exit (``with Daphne(env) as d``)."""

    def __init__(
        self, env: dict[str, str], *, ready_path: str = "/healthz", log: Path | None = None
    ):
        self.env, self.ready_path, self.log = env, ready_path, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> Daphne:
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [PYTHON, "-m", "config.server", "-b", HOST, "-p", str(self.port),
             "config.asgi:application"],
            cwd=ROOT, env=self.env, stdout=output, stderr=output,
        )  # fmt: skip
        try:
            wait_ready(self.port, self.ready_path, process=self.process)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def memory(self) -> dict[str, int]:
        return read_proc_status(self.pid)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def wait_ready(port: int, path: str = "/healthz", timeout: float = 60, process=None) -> None:
    """Until ``path`` answers 200 (or the process died, or ``timeout`` passed)."""
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"daphne exited with {process.returncode} before it was ready")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"daphne did not answer {path} within {timeout:.0f} s")


# --- The cached data set ------------------------------------------------------------------

#: Bump when bench/worker.py's generator changes shape, so cached data sets are rebuilt.
DATASET_VERSION = 1


def database_for(scale: str) -> tuple[str | None, str]:
    """The DATABASE_URL for this scale's data set (None: SQLite in the scale's folder) and a
    name for it in the cache marker."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return None, "sqlite"
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (or be unset for SQLite)")
    base, name = url.rsplit("/", 1)
    name = f"{name.split('?')[0]}_{scale}"
    return f"{base}/{name}", name


def recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def dataset(scale: str, regenerate: bool) -> tuple[Path, str | None, dict]:
    """The cached data set of ``scale`` (generated when missing): folder, DATABASE_URL, facts."""
    folder = ROOT / "var" / "bench" / scale
    database_url, key = database_for(scale)
    marker = folder / f"dataset-{key}.json"
    env = site_env(VAR_DIR=str(folder), DATABASE_URL=database_url)
    if marker.exists() and not regenerate:
        facts = json.loads(marker.read_text())
        if facts.get("version") == DATASET_VERSION:
            manage(env, "migrate", "--noinput", "-v0")  # the code may have moved on
            print(f"Data set '{scale}' ({key}) reused from {marker}", file=sys.stderr)
            return folder, database_url, facts
    print(f"Generating the '{scale}' data set ({key}) ...", file=sys.stderr)
    began = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    if database_url:
        recreate_postgres(database_url)
    else:
        for leftover in folder.glob("db.sqlite3*"):
            leftover.unlink()
        shutil.rmtree(folder / "media", ignore_errors=True)
    print("  migrate + seed_demo ...", file=sys.stderr)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    facts = worker(env, "generate", "--scale", scale, stream=True)
    facts["version"] = DATASET_VERSION
    facts["generated_in_s"] = round(time.perf_counter() - began, 1)
    marker.write_text(json.dumps(facts, indent=2))
    print(f"  generated in {facts['generated_in_s']:.0f} s", file=sys.stderr)
    return folder, database_url, facts


def server_env(folder: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a benchmarked daphne (and its workers): the data set, Redis when
    REDIS_URL is set (under a fresh key prefix, so runs never see each other's keys), bench
    mode on, and the per-member posting limit lifted for the bench poster's replies."""
    import secrets

    prefix = f"bench{secrets.token_hex(3)}"
    return site_env(
        VAR_DIR=str(folder),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL") or None,
        CHANNELS_PREFIX=prefix,
        CACHE_KEY_PREFIX=prefix,
        BENCH_MODE="true",
        FORUMS_POSTS_PER_MINUTE="100000",
        **extra,
    )


# --- HTTP --------------------------------------------------------------------------------


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


async def load_async(
    port: int, path: str | Iterator[str], *, clients: int = 16, seconds: float = 10.0,
    cookie: str = "", expect: int = 200,
) -> LoadResult:  # fmt: skip
    """``clients`` keep-alive connections GET ``path`` back to back for ``seconds``. A response
    other than ``expect`` or a dropped connection counts as an error (and is not timed).
    ``path`` may be an iterator: each request then asks for the next path (no cache helps)."""
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
                continue
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


# --- WebSocket ---------------------------------------------------------------------------


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


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
POST_ID = re.compile(r"#post-(\d+)")


class TopicPoster:
    """Replies in a topic through daphne's HTTP side like a browser's form. The CSRF token is
    fetched once (``prepare``) so only the form post itself is inside a measured time."""

    def __init__(self, port: int, topic_id: int, session_key: str):
        self.port, self.topic_id, self.session_key = port, topic_id, session_key
        self.connection: HttpConnection | None = None
        self.token = ""

    async def prepare(self) -> None:
        page = HttpConnection(self.port, f"sessionid={self.session_key}")
        response = await page.request("GET", f"/forums/t/{self.topic_id}/")
        page.close()
        match = CSRF_INPUT.search(response.body.decode())
        cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("set-cookie", ""))
        if not match or not cookie:
            raise SystemExit(f"no reply form on topic {self.topic_id} ({response.status})")
        self.token = match.group(1)
        self.connection = HttpConnection(
            self.port, f"sessionid={self.session_key}; csrftoken={cookie.group(1)}"
        )

    async def reply(self, body: str) -> int:
        from urllib.parse import urlencode

        assert self.connection is not None
        data = urlencode({"csrfmiddlewaretoken": self.token, "body": body}).encode()
        response = await self.connection.request(
            "POST",
            f"/forums/t/{self.topic_id}/reply/",
            data,
            {"Content-Type": "application/x-www-form-urlencoded",
             "Referer": f"http://{HOST}:{self.port}/forums/t/{self.topic_id}/"},
        )  # fmt: skip
        match = POST_ID.search(response.headers.get("location", ""))
        if response.status != 302 or not match:
            raise RuntimeError(f"reply failed: {response.status} {response.body[:200]!r}")
        return int(match.group(1))


# --- Reporting ---------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:.1f}"


def markdown_table(headers: list[str], rows: list[list[object]], align: str = "") -> str:
    """A Markdown table; ``align`` has one of l/r per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


@contextlib.contextmanager
def progress(label: str, total: int, *, stream=sys.stderr) -> Iterator:
    """A one-line text progress bar: ``with progress("posts", n) as step: step(k)``."""
    done = 0
    began = time.monotonic()
    last = 0.0

    def step(amount: int = 1) -> None:
        nonlocal done, last
        done += amount
        now = time.monotonic()
        if now - last >= 0.5 or done >= total:
            last = now
            width = 30
            filled = int(width * min(done, total) / max(total, 1))
            rate = done / max(now - began, 1e-6)
            stream.write(
                f"\r  {label:<14} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done:,}/{total:,} {rate:,.0f}/s"
            )
            stream.flush()

    try:
        yield step
    finally:
        stream.write(f"  ({time.monotonic() - began:.1f} s)\n")
        stream.flush()
