"""What `make run` starts, started for real: migrate, seed, then daphne on a free port with a
fresh embedded database, answering HTTP and a WebSocket handshake."""

from __future__ import annotations

import base64
import json
import os
import socket
import urllib.request

import pytest
from live_servers import seeded_site

from devservers import Daphne, manage


@pytest.fixture(scope="module")
def daphne_server(tmp_path_factory):
    # A copy of the run's seeded site (migrating and seeding are the slow parts): `make run`'s
    # migrate then finds nothing to do, as on a site that already ran it once.
    env = seeded_site(tmp_path_factory.mktemp("var"))
    manage(env, "migrate", "--noinput")
    # The site's server entry point (make run, the image): daphne's CLI, collector set.
    with Daphne(env) as server:
        yield server.port


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
