"""The WebSocket counterpart of /healthz.

Probes (and the foundation's smoke test) open ``/ws/healthz/``: the server accepts, round-trips
a message through the channel layer, reports the result and closes. It reads nothing from the
database and tells nothing about any user, so anyone may connect.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from config.health import channel_layer_status


class HealthConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        status = await channel_layer_status()
        await self.send_json({"type": "healthz", "channel_layer": status})
        await self.close()
