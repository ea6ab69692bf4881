"""What `make run` starts, started for real: migrate, seed, then daphne on a free port with a
fresh embedded database, answering HTTP and a WebSocket handshake."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_ENV", "DEBUG")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def daphne_server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(var_dir))
    python = sys.executable
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        # The site's server entry point (make run, the image): daphne's CLI, collector set.
        [
            python,
            "-m",
            "config.server",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"daphne exited: {server.stderr.read().decode()}")
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("daphne did not answer within 30 seconds")
    yield port
    server.terminate()
    server.wait(timeout=10)


def get(port: int, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, response.read().decode()


def test_home_page_is_served_with_demo_content(daphne_server):
    status, body = get(daphne_server, "/")
    assert status == 200
    assert "Landscape Commons" in body
    assert 'href="/courses/"' in body


def test_admin_login_is_served(daphne_server):
    status, body = get(daphne_server, "/admin/login/")
    assert status == 200
    assert 'name="password"' in body


def test_healthz_is_200_with_every_check_ok(daphne_server):
    status, body = get(daphne_server, "/healthz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"


def test_static_files_are_served_by_whitenoise(daphne_server):
    status, body = get(daphne_server, "/static/css/site.css")
    assert status == 200
    assert "--green" in body


def test_websocket_handshake_and_first_message(daphne_server):
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", daphne_server), timeout=10) as sock:
        sock.sendall(
            (
                "GET /ws/healthz/ HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{daphne_server}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{daphne_server}\r\n\r\n"
            ).encode()
        )
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(4096)
        head, _, rest = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101")
        while len(rest) < 2 or len(rest) < 2 + (rest[1] & 0x7F):
            rest += sock.recv(4096)
        assert rest[0] == 0x81  # a final text frame from the server (unmasked)
        length = rest[1] & 0x7F
        message = json.loads(rest[2 : 2 + length])
    assert message["type"] == "healthz"
    assert message["channel_layer"]["ok"] is True
