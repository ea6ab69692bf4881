"""The embedded default's channel layer: Channels' in-memory layer with its expiry sweep
throttled.

``InMemoryChannelLayer.receive`` sweeps every channel and every group membership for expired
entries before each receive. With 200 sockets in one topic, a broadcast makes 200 receives and
so 200 full sweeps over 200 channels: measured at about 60 microseconds each under load, a
quarter of the event loop's work for the fan-out. Expiry is hygiene (messages live 60 s, group
memberships a day), so sweeping once a second keeps it without the quadratic cost.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer

#: At most one sweep per this many seconds.
SWEEP_INTERVAL = 1.0


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_INTERVAL:
            return
        self._last_sweep = now
        super()._clean_expired()
