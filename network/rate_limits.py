"""Per-member counters of actions in the last minute, in the shared cache.

One place for the counter that the forums' posting limits, the membership limits and the
picture upload limit all use: every process reads the same cache, so a member's limit holds
across daphne processes and the worker. A cache that is down starts the count again (lenient,
never a lock-out).

The window slides: a counter per clock minute, and the previous minute's counter weighted by how
much of it still lies inside the last sixty seconds. A plain per-minute window let a member
spend the whole allowance in the last second of one minute and again in the first second of
the next (twice the limit in two seconds); the weighted estimate refuses the second burst.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

WINDOW = 60


def _key(bucket: str, user_id: int | str, minute: int) -> str:
    return f"rate:{bucket}:{user_id}:{minute}"


def count_this_minute(bucket: str, user_id: int | str) -> int:
    """Add one to the member's ``bucket`` counter and return the actions of the last minute,
    this one included. (``user_id`` may also name a visitor without an account, such as a
    client address.)"""
    now = timezone.now().timestamp()
    minute, into = divmod(now, WINDOW)
    minute = int(minute)
    key = _key(bucket, user_id, minute)
    cache.add(key, 0, timeout=2 * WINDOW + 10)
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * WINDOW + 10)
        current = 1
    previous = cache.get(_key(bucket, user_id, minute - 1), 0)
    return current + int(previous * (WINDOW - into) / WINDOW)
