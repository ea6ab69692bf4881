"""The Redis cache with Redis really gone: a throwaway ``redis-server`` is killed mid-test (never
the machine's shared one). Django's own backend raises; ours misses, logs, and recovers."""

from __future__ import annotations

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from config.cache import FaultTolerantRedisCache
from devservers import RedisServer

OPTIONS = {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}, "KEY_PREFIX": "t"}


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.kill()


def test_django_redis_cache_raises_while_redis_is_down(redis_server):
    """The fault the tolerant cache exists for (if this ever stops raising, it can go)."""
    plain = RedisCache(redis_server.url, OPTIONS)
    plain.set("key", "value")
    redis_server.kill()
    with pytest.raises(RedisConnectionError):
        plain.get("key")


def test_tolerant_cache_misses_while_redis_is_down_and_recovers(redis_server, caplog, monkeypatch):
    monkeypatch.setattr(FaultTolerantRedisCache, "_last_logged", 0.0)  # log this outage
    cache = FaultTolerantRedisCache(redis_server.url, OPTIONS)
    cache.set("key", "value")
    assert cache.get("key") == "value"
    assert cache.ping()

    redis_server.kill()
    assert cache.get("key", "missing") == "missing"
    cache.set("key", "new")  # dropped, not raised
    assert cache.add("other", 1) is False
    assert cache.incr("counter") == 1  # counters start again: rate limits stay lenient
    assert cache.get_many(["key", "other"]) == {}
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    cache.delete_many(["key"])
    assert cache.set_many({"a": 1}) == ["a"]
    with pytest.raises(RedisConnectionError):
        cache.ping()  # the health check still sees the truth
    assert "Cache unreachable" in caplog.text

    redis_server.start()  # same port: the pool reconnects on the next call
    cache.set("key", "back")
    assert cache.get("key") == "back"
