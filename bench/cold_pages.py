"""What a page costs cold, in-process: queries and time with every cache emptied.

Run on demand (never in the test suite):

    .venv/bin/python bench/cold_pages.py [--scale small] [--repeat 5] [--profile home]

Uses ``bench/run``'s cached data set of that scale (generated when missing; PostgreSQL when
``DATABASE_URL`` is set, Redis when ``REDIS_URL`` is), then, in one Django process with the
page cache off (``PAGE_CACHE_ENABLED=false``), renders each page through Django's test client
after ``cache.clear()``: the first visitor after a deploy, a publish or an eviction. Prints per
page the queries and the median time of ``--repeat`` cold renderings, and the same warm (small
caches filled, page cache still off) for comparison. ``--profile KEY`` prints the top of a
cProfile of one cold rendering of that page (cumulative time), and ``--queries KEY`` its SQL,
to see where it goes (``BENCH_PROFILE_OUT=file`` also saves the profile for ``pstats``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

#: (key in the data set's paths, label, signed in as the enrolled learner)
PAGES = [
    # The scale the budgets are set against: the page cache off, a page must cost at most
    # about five times what this view costs (20 % of its requests/s).
    ("trivial", "Trivial view (for scale)", False),
    ("home", "Home", False),
    ("listing", "Case studies, filtered", False),
    ("case_study", "Case study page", False),
    ("course", "Course page", False),
    ("lesson", "Lesson page (enrolled learner)", True),
    ("topic", "Topic with 50 posts", False),
    # The same topic for a signed-in member: the posts' shared parts come from their fragments,
    # the reader's own parts (reactions, actions, CSRF) are rendered for each request.
    ("topic_member", "Topic with 50 posts (signed-in member)", True),
    ("search", "Search with facets", False),
]


class QueryLog:
    """A database execute wrapper that keeps each query, shortened, with the project's frames
    that led to it and its time (where a page spends its queries)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, list[str], float]] = []

    def __call__(self, execute, sql, params, many, context):
        import re
        import time
        import traceback

        root = str(harness.ROOT)
        frames = [
            f"{frame.filename.removeprefix(root + '/')}:{frame.lineno} {frame.name}"
            for frame in traceback.extract_stack()
            if frame.filename.startswith(root)
            and "/.venv/" not in frame.filename
            and "bench/" not in frame.filename
        ]
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - began) * 1000
            shortened = re.sub(r"^SELECT .*? FROM", "SELECT … FROM", sql, count=1)
            self.entries.append((shortened, frames, ms))

    def print(self) -> None:
        for number, (sql, frames, ms) in enumerate(self.entries, 1):
            print(f"{number:3}. {ms:6.1f} ms  {sql[:300]}", file=sys.stderr)
            for frame in frames[-3:]:
                print(f"       {frame}", file=sys.stderr)


def measure(
    paths: dict[str, str], repeat: int, profile: str | None, show: str | None, warm: bool = False
) -> dict:
    """Inside the Django process: each page cold and warm."""
    import statistics
    import time

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from network.models import User

    anonymous = Client()
    learner = Client()
    learner.force_login(User.objects.get(username="learner"))
    results = {}

    def render(client: Client, path: str, *, cold: bool) -> tuple[int, float, float]:
        if cold:
            cache.clear()
            if client is learner:  # the session lives in the cache too: sign in again
                learner.force_login(User.objects.get(username="learner"))
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return len(captured.captured_queries), elapsed * 1000, cpu * 1000

    for key, _label, signed_in in PAGES:
        if key not in paths:
            continue
        client = learner if signed_in else anonymous
        path = paths[key]
        render(client, path, cold=True)  # renditions, compiled templates: made once ever
        cold = [render(client, path, cold=True) for _ in range(repeat)]
        warm = [render(client, path, cold=False) for _ in range(repeat)]
        if key == show:
            cache.clear()
            if signed_in:
                learner.force_login(User.objects.get(username="learner"))
            log = QueryLog()
            with connection.execute_wrapper(log):
                client.get(path)
            log.print()
        results[key] = {
            "path": path,
            "cold_queries": cold[-1][0],
            "cold_ms": statistics.median(ms for _queries, ms, _cpu in cold),
            # This process's CPU time: what the page costs the server, whatever else runs.
            "cold_cpu_ms": statistics.median(cpu for _queries, _ms, cpu in cold),
            "warm_queries": warm[-1][0],
            "warm_ms": statistics.median(ms for _queries, ms, _cpu in warm),
            # Small caches and page fragments filled, the page cache off: what each rendering
            # costs once the parts that did not change are kept.
            "warm_cpu_ms": statistics.median(cpu for _queries, _ms, cpu in warm),
        }
        if key == profile:
            import cProfile
            import io
            import pstats

            if not warm:
                cache.clear()
                if signed_in:
                    learner.force_login(User.objects.get(username="learner"))
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(30 if warm else 1):  # warm: many renderings, less noise
                client.get(path)
            profiler.disable()
            if dump := os.environ.get("BENCH_PROFILE_OUT"):  # for pstats or snakeviz
                profiler.dump_stats(dump)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
            print(out.getvalue(), file=sys.stderr)
    return results


def counts(
    folder: Path,
    database_url: str | None,
    paths: dict[str, str],
    repeat: int,
    **show: str | bool | None,
) -> dict:
    """Cold and warm queries and times of the pages of ``PAGES`` named in ``paths`` (key to
    address), in a Django process of its own on that data set, page cache off. ``show`` may
    name a page to ``profile`` or print the ``queries`` of. Used by bench/run's mixed run too."""
    env = harness.site_env(
        VAR_DIR=str(folder),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL") or None,
        PAGE_CACHE_ENABLED="false",
        BENCH_MODE="true",  # the trivial view, for scale
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
    )
    argv = [harness.PYTHON, __file__, "--inner", json.dumps(paths), "--repeat", str(repeat)]
    for option, key in show.items():
        if key is True:
            argv.append(f"--{option}")
        elif key:
            argv += [f"--{option}", key]
    done = subprocess.run(
        argv, cwd=harness.ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", choices=[key for key, _label, _signed in PAGES])
    parser.add_argument("--queries", choices=[key for key, _label, _signed in PAGES])
    parser.add_argument(
        "--warm", action="store_true", help="profile a warm rendering (small caches filled)"
    )
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.inner:
        results = measure(
            json.loads(options.inner), options.repeat, options.profile, options.queries,
            warm=options.warm,
        )  # fmt: skip
        print(json.dumps(results))
        return

    folder, database_url, facts = harness.dataset(options.scale, regenerate=False)
    results = counts(
        folder, database_url, {"trivial": "/bench/trivial", "home": "/", **facts["paths"],
         "topic_member": facts["paths"]["topic"]},
        options.repeat,
        profile=options.profile, queries=options.queries, warm=options.warm,
    )  # fmt: skip
    database = "PostgreSQL" if database_url else "SQLite"
    cache_name = "Redis" if os.environ.get("REDIS_URL") else "file-based (the embedded default)"
    print(
        f"\n### Cold pages, in-process: {options.scale} data set, {database}, {cache_name} cache, "
        f"page cache off, median of {options.repeat}\n"
    )
    print(
        harness.markdown_table(
            ["Page", "Path", "Queries cold", "ms cold", "CPU ms cold", "Queries warm", "ms warm",
             "CPU ms warm"],
            [
                [label, f"`{results[key]['path']}`", results[key]["cold_queries"],
                 f"{results[key]['cold_ms']:.1f}", f"{results[key]['cold_cpu_ms']:.1f}",
                 results[key]["warm_queries"],
                 f"{results[key]['warm_ms']:.1f}", f"{results[key]['warm_cpu_ms']:.1f}"]
                for key, label, _signed_in in PAGES
                if key in results
            ],
            "llrrrrrr",
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
