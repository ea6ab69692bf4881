"""The WebSocket counterpart of /healthz.

Probes (and the foundation's smoke test) open ``/ws/healthz/``: the server accepts, sends a ping
to this socket's own channel through the channel layer, and reports once the ping comes back,
then closes. It reads nothing from the database and tells nothing about any user, so anyone may
connect.
"""

from __future__ import annotations

import asyncio

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from config.health import CHECK_TIMEOUT_SECONDS


class HealthConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        if self.channel_layer is None:
            await self.report(ok=False, error="no channel layer configured")
            return
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                await self.channel_layer.send(self.channel_name, {"type": "healthz.ping"})
        except Exception as exc:
            await self.report(ok=False, error=type(exc).__name__)

    async def healthz_ping(self, event: dict) -> None:
        """The ping made the round trip through the layer back to this socket."""
        await self.report(ok=True)

    async def report(self, *, ok: bool, error: str = "") -> None:
        status: dict[str, object] = {"ok": ok, "backend": type(self.channel_layer).__name__}
        if error:
            status["error"] = error
        await self.send_json({"type": "healthz", "channel_layer": status})
        await self.close()
