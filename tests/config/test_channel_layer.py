"""The configured channel layer delivers group messages: in memory on the embedded default,
through the real Redis server when REDIS_URL is set (CI runs both)."""

from __future__ import annotations

import os

from channels.layers import get_channel_layer


def test_configured_layer_matches_the_environment():
    layer = get_channel_layer()
    expected = "RedisChannelLayer" if os.environ.get("REDIS_URL") else "InMemoryChannelLayer"
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
