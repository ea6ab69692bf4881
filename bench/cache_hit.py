"""What one anonymous page-cache hit costs in cache operations, per cache backend.

A hit (``config.page_cache``) is two round trips: the page and its address's tags in one
``get_many``, then the versions of the page's tags in another. This times exactly that, with a
page of realistic size, on the backends the embedded default could use: LocMem (one process
only), FileBasedCache, DatabaseCache and the site's SQLiteCache (``config/sqlite_cache.py``, the
embedded default), all three shared by daphne, ``manage.py`` and the worker.

    .venv/bin/python bench/cache_hit.py [--pages 1000] [--rounds 5000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages stored before timing")
    parser.add_argument("--rounds", type=int, default=5000, help="hits timed per backend")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="lc-cache-bench-"))
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(var_dir))
    import django

    django.setup()
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.management import call_command

    from config.sqlite_cache import SQLiteCache

    options = {"OPTIONS": {"MAX_ENTRIES": args.pages * 4}, "KEY_PREFIX": "bench"}
    call_command("createcachetable", "bench_cache", verbosity=0)
    backends = {
        "LocMemCache (one process)": LocMemCache("bench", options),
        "FileBasedCache": FileBasedCache(str(var_dir / "cache"), options),
        "DatabaseCache (SQLite)": DatabaseCache("bench_cache", options),
        "SQLiteCache (the site's)": SQLiteCache(str(var_dir / "sqlite-cache"), options),
    }
    page = {
        "tags": ("forum.categories", "forum.topic:1", "network.profiles", "pages"),
        "versions": (1, 2, 3, 4),
        "extra": None,
        "extra_version": "",
        "headers": {"Content-Type": "text/html; charset=utf-8", "ETag": '"x"'},
        "content": (b"<p>A page of a knowledge site, with its menu and cards.</p>\n" * 700),
    }
    tags = page["tags"]
    print(f"{'backend':28} {'hit p50 (us)':>13} {'hit p99 (us)':>13} {'store (us)':>11}")
    for label, backend in backends.items():
        backend.set_many({f"pagecache:v:{tag}": n for n, tag in enumerate(tags)}, None)
        stores = []
        for number in range(args.pages):
            started = time.perf_counter()
            backend.set_many(
                {f"pagecache:page:{number}": page, f"pagecache:tags:{number}": (tags, None)}, 600
            )
            stores.append(time.perf_counter() - started)
        timings = []
        for round_ in range(args.rounds):
            number = round_ % args.pages
            started = time.perf_counter()
            found = backend.get_many([f"pagecache:page:{number}", f"pagecache:tags:{number}"])
            backend.get_many(
                [f"pagecache:v:{tag}" for tag in found[f"pagecache:page:{number}"]["tags"]]
            )
            timings.append(time.perf_counter() - started)
        timings.sort()
        p99 = timings[int(len(timings) * 0.99)]
        print(
            f"{label:28} {statistics.median(timings) * 1e6:13.0f} {p99 * 1e6:13.0f}"
            f" {statistics.median(stores) * 1e6:11.0f}"
        )


if __name__ == "__main__":
    main()
