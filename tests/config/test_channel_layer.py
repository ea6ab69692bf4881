"""The configured channel layer delivers group messages: in memory on the embedded default,
through the real Redis server when REDIS_URL is set (CI runs both)."""

from __future__ import annotations

import os

from channels.layers import get_channel_layer


def test_configured_layer_matches_the_environment():
    layer = get_channel_layer()
    expected = (
        "RedisChannelLayer" if os.environ.get("REDIS_URL") else "ThrottledInMemoryChannelLayer"
    )
    assert type(layer).__name__ == expected


async def test_group_send_reaches_every_member_channel():
    layer = get_channel_layer()
    first = await layer.new_channel("test.")
    second = await layer.new_channel("test.")
    await layer.group_add("forum.topic.42", first)
    await layer.group_add("forum.topic.42", second)
    await layer.group_send("forum.topic.42", {"type": "post.created", "post": 901})
    assert (await layer.receive(first))["post"] == 901
    assert (await layer.receive(second))["post"] == 901
    await layer.group_discard("forum.topic.42", first)
    await layer.group_discard("forum.topic.42", second)


async def test_the_embedded_layer_still_expires_messages_and_memberships():
    """Its sweep runs at most once a second (config/layers.py), but it still runs."""
    from config import layers

    layer = layers.ThrottledInMemoryChannelLayer(expiry=60, group_expiry=60)
    stale, fresh = await layer.new_channel("test."), await layer.new_channel("test.")
    await layer.group_add("forum.topic.7", stale)
    await layer.group_add("forum.topic.7", fresh)
    await layer.send(stale, {"type": "old"})
    await layer.send(fresh, {"type": "kept"})
    layer.channels[stale]._queue[0] = (0.0, {"type": "old"})  # expired long ago
    layer.groups["forum.topic.7"][fresh] = 1  # joined at the epoch: past group_expiry
    layer._last_sweep = 0.0  # a second or more since the last sweep
    assert (await layer.receive(fresh))["type"] == "kept"
    assert stale not in layer.channels
    assert layer.groups["forum.topic.7"] == {}
    # Right after a sweep the next receive does not sweep again.
    await layer.send(fresh, {"type": "again"})
    layer.channels[fresh]._queue[0] = (0.0, {"type": "again"})
    assert (await layer.receive(fresh))["type"] == "again"
