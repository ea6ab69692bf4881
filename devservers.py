"""Real servers on 127.0.0.1 for the tests and the benchmarks: free ports, ``manage.py`` in a
site's environment, daphne started, stopped, killed and started again on one port, a throwaway
``redis-server``, and a minimal WebSocket client.

Why one module, and why here: tests/ (the live-server, proxy and fault tests) and bench/ (every
benchmark) start the same site the same way, so a fix to start-up, readiness or shutdown must
reach both; they used to hold near-copies that drifted. It sits at the top of the repository,
outside both folders, because neither should depend on the other: pytest-django puts the
project root on ``sys.path`` (the folder of manage.py) and bench/harness.py appends it. The
site never imports it. Everything talks only to 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
HOST = "127.0.0.1"
_VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(_VENV_PYTHON) if _VENV_PYTHON.exists() else sys.executable
#: Variables that point the site at services: a caller passes on the ones it means to.
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL")
#: Variables of the calling process that must not leak into the site it starts.
_NOT_INHERITED = {*SERVICE_VARIABLES, "DJANGO_ENV", "DEBUG", "VAR_DIR", "BENCH_MODE"}
#: Generous: on a busy two-core machine importing Django and Wagtail takes a while.
STARTUP_SECONDS = 120


class ServerError(RuntimeError):
    """A server or command did not start or failed; the message says why."""


# --- Ports -----------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nothing listens on now (the OS's choice), for a server about to start."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Until something accepts connections on ``port`` (or ``process`` died, or time ran out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise ServerError(f"nothing listened on port {port} within {timeout} seconds")


def http_status(port: int, path: str, timeout: float = 5) -> int:
    """The status of one GET, or OSError when nothing answered."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def wait_ready(
    port: int,
    path: str = "/healthz",
    *,
    timeout: float = 60,
    process: subprocess.Popen | None = None,
    any_status: bool = False,
) -> None:
    """Until ``path`` answers 200 (any status with ``any_status``), or the process died, or
    ``timeout`` passed (ServerError)."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise ServerError(f"the server exited with {process.returncode} before it was ready")
        try:
            if http_status(port, path) == 200 or any_status:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"nothing answered {path} on port {port} within {timeout:.0f} s")
        time.sleep(0.05)


# --- The site's environment and manage.py ----------------------------------------------------


def site_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a manage.py, worker or daphne process of the site: this process's
    environment without its service URLs, ``DJANGO_ENV``, ``DEBUG``, ``VAR_DIR`` and bench mode
    (the caller passes the ones it means), then ``overrides`` (None removes a variable)."""
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    """Run ``manage.py`` in the site's environment; its stdout, or ServerError with its stderr."""
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def shell(env: dict[str, str], code: str) -> str:
    """Run Python ``code`` with the site loaded (``manage.py shell -c``); what it printed."""
    return manage(env, "shell", "-c", code)


def stop_process(process: subprocess.Popen | None, *, timeout: float = 10) -> None:
    """Ask a server to stop (SIGTERM), and kill it if it has not within ``timeout`` seconds."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def kill_process(process: subprocess.Popen | None) -> None:
    """SIGKILL: open sockets are cut without a goodbye, as when a host or a process crashes."""
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def process_memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process in KiB, from /proc (Linux)."""
    values: dict[str, int] = {}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _unit = line.split()
                values[name.rstrip(":")] = int(amount)
    return values


# --- Servers ---------------------------------------------------------------------------------


class Daphne:
    """The site served by daphne on one port, through the site's own entry point
    (``python -m config.server``, what ``make run`` and the image start); stoppable, killable
    and restartable on that same port. ``with Daphne(env) as server`` stops it on exit.

    Ready when ``ready_path`` answers 200, or any status with ``any_status`` (a fault test's
    site answers 503 while a dependency is down). Its stderr (and stdout) go to ``log``: by
    default ``daphne-<port>.log`` under the site's ``VAR_DIR``, quoted when it fails to start.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        port: int | None = None,
        ready_path: str = "/healthz",
        any_status: bool = False,
        log: Path | None = None,
    ):
        self.env, self.ready_path, self.any_status = env, ready_path, any_status
        self.port = port or free_port()
        if log is None and env.get("VAR_DIR"):
            log = Path(env["VAR_DIR"]) / f"daphne-{self.port}.log"
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise ServerError("daphne is not running")
        return self.process.pid

    def start(self) -> Daphne:
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own site
                [PYTHON, "-m", "config.server", "-b", HOST, "-p", str(self.port),
                 "config.asgi:application"],
                cwd=ROOT, env=self.env, stdout=output, stderr=output,
            )  # fmt: skip
        finally:
            if self.log:
                output.close()
        try:
            self._wait_ready()
        except BaseException:
            self.kill()  # never leave a half-started server behind
            raise
        return self

    def _wait_ready(self) -> None:
        try:
            wait_ready(
                self.port,
                self.ready_path,
                timeout=STARTUP_SECONDS,
                process=self.process,
                any_status=self.any_status,
            )
        except ServerError as error:
            raise ServerError(f"{error}:\n{self.tail()}") from None

    def tail(self) -> str:
        """The end of the server's log, for a failure message."""
        if self.log and self.log.exists():
            return self.log.read_text(errors="replace")[-3000:]
        return "(no log)"

    def memory(self) -> dict[str, int]:
        """VmRSS and VmHWM of the server in KiB (Linux)."""
        return process_memory(self.pid)

    def stop(self) -> None:
        stop_process(self.process, timeout=15)
        self.process = None

    def kill(self) -> None:
        """SIGKILL: open sockets are cut without a close frame, as in a crash."""
        kill_process(self.process)
        self.process = None

    def __enter__(self) -> Daphne:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class RedisServer:
    """``redis-server`` of its own on a fixed port, that a fault test can kill, freeze and start
    again: the machine's shared Redis is used by other work and must never be taken down."""

    def __init__(self, port: int | None = None):
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerError(
                "the fault tests need the redis-server binary (apt-get install redis)"
            )
        self.binary = binary
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the redis-server on PATH
            [self.binary, "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def freeze(self) -> None:
        """SIGSTOP: connections stay open but nothing answers, as with a hung host."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: connections drop without a goodbye, as when the host dies."""
        kill_process(self.process)
        self.process = None


# --- A WebSocket client ----------------------------------------------------------------------


class WebSocket:
    """A minimal RFC 6455 client: the handshake, masked text frames out (as a client must),
    text frames in, pings answered. Enough to be a reader of a topic on a real daphne."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        #: The status code of the server's close frame, once it closed (4401: sign-in ended).
        self.close_code: int | None = None

    @classmethod
    async def connect(cls, port: int, path: str, cookie: str = "") -> WebSocket:
        """Open ``path`` on ``port``; ConnectionError (with the status line) unless upgraded."""
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
                if len(payload) >= 2:
                    (self.close_code,) = struct.unpack("!H", payload[:2])
                return None
            if opcode == 0x9:  # ping: answer, keep reading
                self._frame(0xA, payload)
                continue
            if opcode == 0x1:
                return json.loads(payload)

    async def receive_json(self, timeout: float = 10) -> dict:
        """The next JSON frame within ``timeout`` seconds; a closed socket is an error."""
        frame = await asyncio.wait_for(self.receive(), timeout)
        if frame is None:
            raise ConnectionError("the server closed the WebSocket")
        return frame

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

    async def send_json(self, message: dict) -> None:
        """Send and wait until the frame is handed to the OS."""
        self.send(message)
        await self.writer.drain()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._frame(0x8, struct.pack("!H", 1000))
            self.writer.close()
