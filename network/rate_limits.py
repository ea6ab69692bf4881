"""Per-member counters of actions in the current minute, in the shared cache.

One place for the fixed-window counter that the forums' posting limits and the picture upload
limit both use: every process reads the same cache, so a member's limit holds across daphne
processes and the worker. A cache that is down starts the count again (lenient, never a lock-out).
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone


def count_this_minute(bucket: str, user_id: int | str) -> int:
    """Add one to the member's ``bucket`` counter for this minute and return the new count.
    (``user_id`` may also name a visitor without an account, such as a client address.)"""
    key = f"rate:{bucket}:{user_id}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=70)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=70)
        return 1
