"""Time the uncached search page in-process; run on demand, never as a test.

    .venv/bin/python bench/search_page.py [--scale small] [--requests 300] [--show-queries]

Uses the data set ``bench/run --scale <scale> --generate-only`` built (SQLite under
``var/bench/<scale>``, or PostgreSQL when ``DATABASE_URL`` is set, as ``bench/run`` names it;
``REDIS_URL`` for the Redis cache). Each request is ``/search/?q=<a>+<b>&region=africa`` with
words never asked before in the run (``bench/run``'s ``search_varied``), so neither the page
cache nor the search cache answers: the cost is the whole request through Django's test client
(middleware, view, engine, template), for an anonymous visitor and the signed-in bench learner.
Prints queries per request, milliseconds per request (mean, p50, p95) and the p50 of the
process's own CPU time per request (the database's too on SQLite; less sensitive to a shared
machine than the wall clock) for each, and with
``--show-queries`` the SQL of one request of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import harness  # noqa: E402

LEARNER = "learner"  # bench/worker.py's: the demo learner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "large"), default="small")
    parser.add_argument("--requests", type=int, default=300, help="per visitor")
    parser.add_argument("--show-queries", action="store_true")
    options = parser.parse_args()

    folder = BENCH.parent / "var" / "bench" / options.scale
    database_url, key = harness.database_for(options.scale)
    if not (folder / f"dataset-{key}.json").exists():
        raise SystemExit(f"No '{options.scale}' data set ({key}): run bench/run --generate-only")
    env = harness.site_env(
        VAR_DIR=str(folder),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL") or None,
        CACHE_KEY_PREFIX=f"searchpage{os.getpid()}",
    )
    os.environ.clear()
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    searches = _varied_searches()
    member = Client()
    member.force_login(get_user_model().objects.get(username=LEARNER))
    visitors = {"anonymous": Client(), "member": member}

    for client in visitors.values():  # site-wide caches (menus, vocabularies) fill once
        client.get(next(searches))
    rows = []
    for name, client in visitors.items():
        if options.show_queries:
            with CaptureQueriesContext(connection) as captured:
                client.get(next(searches))
            print(f"\n{name}: {len(captured.captured_queries)} queries", file=sys.stderr)
            for number, query in enumerate(captured.captured_queries, 1):
                print(f"  {number}. {query['sql'][:300]}", file=sys.stderr)
        timings, cpu, counts = [], [], []
        for _ in range(options.requests):
            path = next(searches)
            with CaptureQueriesContext(connection) as captured:
                began, began_cpu = time.perf_counter(), time.thread_time()
                response = client.get(path)
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.thread_time() - began_cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "miss"
            counts.append(len(captured.captured_queries))
        timings.sort()
        cpu.sort()
        rows.append(
            [
                name,
                f"{min(counts)}-{max(counts)}" if min(counts) != max(counts) else counts[0],
                f"{statistics.fmean(timings):.1f}",
                f"{timings[len(timings) // 2]:.1f}",
                f"{timings[int(len(timings) * 0.95)]:.1f}",
                f"{cpu[len(cpu) // 2]:.1f}",
            ]
        )
    print(
        f"\n### Uncached search page, in-process ({options.scale}, {connection.vendor}, "
        f"{options.requests} requests each)\n"
    )
    print(
        harness.markdown_table(
            ["Visitor", "Queries", "Mean ms", "p50 ms", "p95 ms", "p50 CPU ms"], rows
        )
    )


def _varied_searches():
    """``bench/run``'s ``varied_searches`` (``bench/run`` has no .py suffix: loaded by path)."""
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("bench_run", str(BENCH / "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module.varied_searches()


if __name__ == "__main__":
    main()
