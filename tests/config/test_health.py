"""/healthz and /ws/healthz/: real checks against the configured database, layer and cache,
and real failures injected by pointing a part at a port where nothing listens."""

from __future__ import annotations

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import connection

from config.asgi import application

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def fresh_channel_layers():
    """Channels caches layer instances; drop them so a changed setting takes effect."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db
def test_healthz_reports_every_part_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer", "cache", "search"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["vendor"] == connection.vendor
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_answers_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_answers_503_when_the_channel_layer_is_down(client, settings, fresh_channel_layers):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [DEAD_REDIS]},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    layer_check = response.json()["checks"]["channel_layer"]
    assert layer_check["ok"] is False
    assert layer_check["backend"] == "RedisChannelLayer"
    assert layer_check["error"]


@pytest.mark.django_db
def test_healthz_answers_503_when_elasticsearch_does_not_answer(client, settings):
    settings.SEARCH = {**settings.SEARCH, "BACKEND": "elasticsearch", "URL": "http://127.0.0.1:1"}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["search"]["ok"] is False


async def test_websocket_health_handshake_round_trips_the_channel_layer():
    communicator = WebsocketCommunicator(
        application,
        "/ws/healthz/",
        headers=[(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")],
    )
    connected, _subprotocol = await communicator.connect()
    assert connected
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "healthz"
    assert message["channel_layer"]["ok"] is True, message
    await communicator.disconnect()


async def test_websocket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/healthz/", headers=[(b"origin", b"https://evil.example.com")]
    )
    connected, _code = await communicator.connect()
    assert not connected


async def test_unknown_websocket_route_is_refused():
    communicator = WebsocketCommunicator(
        application,
        "/ws/nowhere/",
        headers=[(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")],
    )
    with pytest.raises(ValueError, match="No route found"):
        await communicator.connect()
