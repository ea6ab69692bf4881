"""Health of the parts the site depends on, for load balancers and operators.

Each check answers ``{"ok": bool, ...}`` within a couple of seconds and never raises, so one
part being down is reported instead of turning the health endpoint itself into an error.
"""

from __future__ import annotations

import asyncio
import uuid

from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection

import search

CHECK_TIMEOUT_SECONDS = 2.0


def database_status() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}


def cache_status() -> dict[str, object]:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            # A fault-tolerant cache hides a dead Redis from set/get; ask it directly.
            ping()
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return {"ok": ok} | ({} if ok else {"error": "value not read back"})
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


async def channel_layer_status() -> dict[str, object]:
    """Send a message to a fresh channel and read it back through the layer."""
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "error": "no channel layer configured"}
    backend = type(layer).__name__
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            channel = await layer.new_channel("healthz.")
            await layer.send(channel, {"type": "healthz.ping"})
            message = await layer.receive(channel)
        ok = message.get("type") == "healthz.ping"
        return {"ok": ok, "backend": backend}
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": type(exc).__name__}


def search_status() -> dict[str, object]:
    return search.backend_status()
