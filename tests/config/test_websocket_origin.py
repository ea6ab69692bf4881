"""The WebSocket origin check compares scheme, host and port with the handshake's own.

Through the real ASGI application (the health socket, which needs no database). Channels'
``AllowedHostsOriginValidator`` let the first two refusals below through: it compares hosts
only.
"""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application


async def opens(origin: str | None, host: str | None, *extra: tuple[bytes, bytes]) -> bool:
    headers = list(extra)
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if host is not None:
        headers.append((b"host", host.encode()))
    communicator = WebsocketCommunicator(application, "/ws/healthz/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    if connected:
        await communicator.disconnect()
    return connected


@pytest.mark.parametrize(
    ("origin", "host", "expected"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://localhost", "localhost", True),
        ("http://localhost:80", "localhost", True),  # the default port, written or not
        ("http://127.0.0.1:9999", "127.0.0.1:8000", False),  # another service on the host
        ("https://127.0.0.1:8000", "127.0.0.1:8000", False),  # another scheme
        ("http://localhost:8000", "127.0.0.1:8000", False),  # another host
        ("http://evil.example:8000", "evil.example:8000", False),  # not an allowed host
        ("null", "127.0.0.1:8000", False),  # sandboxed frames and file: pages
        ("http://127.0.0.1:notaport", "127.0.0.1:8000", False),
        (None, "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", None, False),
    ],
)
async def test_only_the_sites_own_origin_may_open_a_socket(origin, host, expected):
    assert await opens(origin, host) is expected


async def test_behind_the_tls_proxy_the_forwarded_scheme_decides(settings):
    """TLS ends at the proxy: daphne sees ``ws``, the browser's page was ``https``."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = (b"x-forwarded-proto", b"https")
    assert await opens("https://localhost", "localhost", forwarded)
    assert not await opens("http://localhost", "localhost", forwarded)
    assert await opens("http://localhost", "localhost", (b"x-forwarded-proto", b"http"))


async def test_the_forwarded_scheme_counts_only_where_django_trusts_the_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    assert not await opens("https://localhost", "localhost", (b"x-forwarded-proto", b"https"))
