"""The shared per-member counter behind every write limit: its window slides, so a member who
spent the allowance just before a minute turns cannot spend it again just after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from network import rate_limits


@pytest.fixture
def clock(monkeypatch):
    """The counter reads the time from ``django.utils.timezone.now``; the test sets it."""
    state = {"now": datetime(2026, 12, 4, 10, 0, 58, tzinfo=UTC)}
    monkeypatch.setattr(rate_limits.timezone, "now", lambda: state["now"])
    cache.clear()
    return state


def test_counts_every_action_in_the_minute(clock):
    counts = [rate_limits.count_this_minute("test", 1) for _ in range(4)]
    assert counts == [1, 2, 3, 4]


def test_a_burst_across_the_minute_turn_is_still_counted(clock):
    for _ in range(3):
        rate_limits.count_this_minute("test", 1)
    clock["now"] += timedelta(seconds=4)  # 10:01:02, two seconds into the next minute
    assert rate_limits.count_this_minute("test", 1) == 1 + 2  # 3 x 58/60 of the last minute


def test_the_previous_minute_fades_out(clock):
    for _ in range(3):
        rate_limits.count_this_minute("test", 1)
    clock["now"] += timedelta(seconds=62)  # 10:02:00: the burst is a full minute old
    assert rate_limits.count_this_minute("test", 1) == 1


def test_members_and_buckets_are_counted_apart(clock):
    rate_limits.count_this_minute("test", 1)
    assert rate_limits.count_this_minute("test", 2) == 1
    assert rate_limits.count_this_minute("other", 1) == 1
