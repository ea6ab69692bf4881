"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache only ever holds things the site can rebuild (rendered fragments, rate-limit counters,
presence announcement slots, the cached half of ``cached_db`` sessions). Django's own
``RedisCache`` raises ``redis.ConnectionError`` on every call while Redis is down, which turns
every page that touches the cache into a 500. This subclass logs the failure (at most once per
``LOG_EVERY_SECONDS``, so a dead Redis does not flood the log) and answers as an empty cache
would: reads miss, writes are dropped, counters start again. ``ping()`` still raises, so
``/healthz`` can report the cache as down while the pages keep working.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What "Redis is unreachable" looks like; anything else (a bad key, a bug) still raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 30.0


class FaultTolerantRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that misses instead of failing."""

    _last_logged: float = 0.0

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - FaultTolerantRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FaultTolerantRedisCache._last_logged = now
            logger.warning(
                "Cache unreachable (%s during %s): serving without the cache",
                type(error).__name__,
                operation,
            )

    def ping(self) -> bool:
        """Ask Redis directly; raises when it is unreachable (for health checks)."""
        return bool(self._cache.get_client(write=True).ping())

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("add", error)
            return False

    def get(self, key, default=None, version=None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._unreachable("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def delete(self, key, version=None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def get_many(self, keys, version=None) -> dict:
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None) -> bool:
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def incr(self, key, delta=1, version=None) -> int:
        # A counter that cannot be read starts again: rate limits are lenient while Redis is
        # down rather than locking everyone out.
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._unreachable("incr", error)
            return delta

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None) -> None:
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("delete_many", error)

    def clear(self) -> bool:
        try:
            return super().clear()
        except UNREACHABLE as error:
            self._unreachable("clear", error)
            return False
