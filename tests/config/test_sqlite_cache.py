"""The embedded default's cache (``config/sqlite_cache.py``): Django's cache API on one SQLite
file that every process of the site shares, with culling that never lists anything."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from config import sqlite_cache
from config.sqlite_cache import SQLiteCache


def _cache(folder: Path, **options) -> SQLiteCache:
    return SQLiteCache(str(folder), {"KEY_PREFIX": "t", "TIMEOUT": 300, "OPTIONS": options})


@pytest.fixture
def cache(tmp_path):
    yield _cache(tmp_path)
    sqlite_cache.pool.close_all()


def test_values_round_trip_with_django_s_key_rules(cache) -> None:
    cache.set("page", {"content": b"<p>x</p>", "versions": (1, 2)})
    assert cache.get("page") == {"content": b"<p>x</p>", "versions": (1, 2)}
    assert cache.get("missing", "default") == "default"
    cache.set_many({"a": 1, "b": None})
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": None}
    assert cache.has_key("b") and not cache.has_key("c")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("c")
    # The key prefix and version are Django's: another prefix is another cache.
    other = SQLiteCache(str(cache._path.parent), {"KEY_PREFIX": "other", "OPTIONS": {}})
    assert other.get("a") is None


def test_expiry_add_touch_and_delete(cache) -> None:
    cache.set("short", 1, timeout=1)
    cache.set("forever", 2, timeout=None)
    cache.set("gone", 3, timeout=0)  # Django: expires at once
    assert cache.get("gone") is None
    assert not cache.add("short", 9)  # a live entry is kept
    time.sleep(1.1)
    assert cache.get("short") is None and cache.get("forever") == 2
    assert cache.add("short", 9)  # an expired one is replaced
    assert cache.get("short") == 9
    assert cache.touch("short", timeout=None) and not cache.touch("missing")
    assert cache.delete("short") and not cache.delete("short")
    cache.delete_many(["forever"])
    assert cache.get_many(["forever", "short"]) == {}
    cache.set("x", 1)
    cache.clear()
    assert cache.get("x") is None


def test_every_instance_of_a_process_shares_one_small_pool(tmp_path) -> None:
    """Django makes a backend per thread (daphne: per request); connections stay bounded."""
    sqlite_cache.pool.close_all()

    def request(number: int) -> None:
        instance = _cache(tmp_path)
        instance.set(f"k{number}", number)
        assert instance.get(f"k{number}") == number

    threads = [threading.Thread(target=request, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sqlite_cache.pool.close_all() <= sqlite_cache.POOL_SIZE
    assert _cache(tmp_path).get_many([f"k{n}" for n in range(40)]) == {
        f"k{n}": n for n in range(40)
    }


def test_culling_keeps_the_most_recently_stored(tmp_path) -> None:
    cache = _cache(tmp_path, MAX_ENTRIES=100, CULL_FREQUENCY=4)
    for number in range(110):
        cache.set(f"k{number}", number)
    cache.set("k0", "stored again")  # replaced, so it counts as new
    cache.set("expired", 1, timeout=-1)
    dropped = cache.cull()
    kept = cache.get_many([f"k{n}" for n in range(110)])
    assert dropped == 1 + (110 - 75)  # the expired one, then down to 75
    assert len(kept) == 75
    assert kept["k0"] == "stored again"
    assert "k35" not in kept and "k36" in kept and "k109" in kept
    sqlite_cache.pool.close_all()


def test_culling_runs_as_sets_go_without_a_call(tmp_path) -> None:
    cache = _cache(tmp_path, MAX_ENTRIES=50)
    for number in range(50 + 2 * sqlite_cache.CULL_EVERY):
        cache.set(f"k{number}", number)
    with sqlite3.connect(tmp_path / sqlite_cache.FILE_NAME) as raw:
        (count,) = raw.execute("SELECT count(*) FROM cache_entry").fetchone()
    assert count < 50 + sqlite_cache.CULL_EVERY
    sqlite_cache.pool.close_all()


def _count_in_process(folder: str, times: int) -> None:
    counter = _cache(Path(folder))
    for _ in range(times):
        counter.incr("hits")


def test_two_processes_counting_at_once_lose_no_step(cache) -> None:
    """Rate limits count in the cache; daphne and the worker are separate processes."""
    cache.set("hits", 0)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_count_in_process, args=(str(cache._path.parent), 200))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    _count_in_process(str(cache._path.parent), 200)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert cache.get("hits") == 600


def test_a_write_failing_halfway_leaves_nothing_half_written(cache) -> None:
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot pickle")

    cache.set_many({"a": 1, "b": 2})
    with pytest.raises(TypeError):
        cache.set_many({"a": "new", "b": Unpicklable()})
    assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
