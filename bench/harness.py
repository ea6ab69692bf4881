"""What every benchmark under bench/ shares: a daphne on a free 127.0.0.1 port, a Django worker
process, memory sampling and the cached data set; and, re-exported from their own modules, the
asyncio HTTP load loop (http_load.py), the WebSocket reader (live_sockets.py) and the tables
(report.py), so benchmarks keep using ``harness.<name>``.

Not a test helper and not an app: benchmarks import it as ``harness`` (their own folder is first
on ``sys.path`` when run as scripts), so no name here may shadow an app (``search``, ...).
Everything is bounded (time limits on every loop) and talks only to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
# The project's root last on sys.path: devservers.py (ports, manage.py, daphne, the WebSocket
# client, shared with the tests) is found there, and bench's own modules still come first.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from devservers import (  # noqa: E402
    HOST,
    PYTHON,
    Daphne,
    free_port,
    manage,
    stop_process,
    wait_ready,
)
from devservers import SERVICE_VARIABLES as SERVICE_VARS  # noqa: E402
from devservers import process_memory as read_proc_status  # noqa: E402
from devservers import site_env as _site_env  # noqa: E402

# --- Environment and processes ------------------------------------------------------------


def site_env(**overrides: str | None) -> dict[str, str]:
    """The environment for a manage.py, worker or daphne process: development settings with
    DEBUG off (what a laptop server runs), quiet logs, service URLs only when passed in."""
    return _site_env(
        **{
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            # Benchmarks open hundreds of anonymous sockets from one address on purpose.
            "FORUMS_ANONYMOUS_SOCKETS_PER_MINUTE": "1000000",
            # Benchmark members post at once: no new member's post waits for a moderator.
            "FORUMS_NEW_MEMBER_APPROVALS": "0",
            **overrides,
        }
    )


def worker(env: dict[str, str], *args: str, timeout: float = 3600, stream: bool = False) -> dict:
    """Run ``bench/worker.py`` (code that needs Django loaded) and return the JSON it prints
    on its last stdout line. ``stream`` lets its stderr (progress bars) through."""
    result = subprocess.run(
        [PYTHON, str(BENCH_DIR / "worker.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if stream else subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"worker {' '.join(args)} failed:\n{(result.stderr or '')[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def demo_site(prefix: str) -> Iterator[tuple[dict[str, str], str]]:
    """A throwaway embedded site seeded with the demo content: its environment and the demo
    learner's session cookie (for the small benches that need no generated data set)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as var_dir:
        env = site_env(VAR_DIR=var_dir)
        print(f"Seeding a throwaway database in {var_dir} ...", file=sys.stderr)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        yield env, f"sessionid={worker(env, 'sessions')['learner']}"


class MemorySampler:
    """Samples a process's resident memory every ``interval`` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 2.0):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []  # (seconds since start, RSS KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._began = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = read_proc_status(self.pid).get("VmRSS")
            if rss:
                self.samples.append((round(time.monotonic() - self._began, 1), rss))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def summary(self) -> dict[str, float]:
        rss = [kib for _at, kib in self.samples] or [0]
        return {
            "start_mib": rss[0] / 1024,
            "peak_mib": max(rss) / 1024,
            "end_mib": rss[-1] / 1024,
            "peak_hwm_mib": read_proc_status(self.pid).get("VmHWM", 0) / 1024,
            "samples": len(rss),
        }


# --- The cached data set ------------------------------------------------------------------

#: Bump when bench/worker.py's generator changes shape, so cached data sets are rebuilt.
DATASET_VERSION = 1


def database_for(scale: str) -> tuple[str | None, str]:
    """The DATABASE_URL for this scale's data set (None: SQLite in the scale's folder) and a
    name for it in the cache marker."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return None, "sqlite"
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (or be unset for SQLite)")
    base, name = url.rsplit("/", 1)
    name = f"{name.split('?')[0]}_{scale}"
    return f"{base}/{name}", name


def recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def refresh_statistics(url: str | None) -> None:
    """PostgreSQL's planner statistics brought up to date, as autovacuum keeps them on a live
    database (PostgreSQL's default; this machine's server runs with ``autovacuum = off``).

    Without them a bulk-generated data set is planned as if its tables were nearly empty: the
    unfiltered case-study listing's one-version-per-translation query took 2.2 s at large
    scale (a nested anti-join re-scanning the page table for each of 3,349 pages) and 29 ms
    after ``ANALYZE``; the mixed run's varied listings saturated the database. About 2 s at
    large scale. SQLite is left as the embedded default ships it (no ``sqlite_stat1``)."""
    if not url:
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def dataset(scale: str, regenerate: bool) -> tuple[Path, str | None, dict]:
    """The cached data set of ``scale`` (generated when missing): folder, DATABASE_URL, facts."""
    folder = ROOT / "var" / "bench" / scale
    database_url, key = database_for(scale)
    marker = folder / f"dataset-{key}.json"
    env = site_env(VAR_DIR=str(folder), DATABASE_URL=database_url)
    if marker.exists() and not regenerate:
        facts = json.loads(marker.read_text())
        if facts.get("version") == DATASET_VERSION:
            manage(env, "migrate", "--noinput", "-v0")  # the code may have moved on
            refresh_statistics(database_url)  # earlier runs wrote to it
            print(f"Data set '{scale}' ({key}) reused from {marker}", file=sys.stderr)
            return folder, database_url, facts
    print(f"Generating the '{scale}' data set ({key}) ...", file=sys.stderr)
    began = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    if database_url:
        recreate_postgres(database_url)
    else:
        for leftover in folder.glob("db.sqlite3*"):
            leftover.unlink()
        shutil.rmtree(folder / "media", ignore_errors=True)
    print("  migrate + seed_demo ...", file=sys.stderr)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    facts = worker(env, "generate", "--scale", scale, stream=True)
    refresh_statistics(database_url)
    facts["version"] = DATASET_VERSION
    facts["generated_in_s"] = round(time.perf_counter() - began, 1)
    marker.write_text(json.dumps(facts, indent=2))
    print(f"  generated in {facts['generated_in_s']:.0f} s", file=sys.stderr)
    return folder, database_url, facts


def server_env(folder: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a benchmarked daphne (and its workers): the data set, Redis when
    REDIS_URL is set (under a fresh key prefix, so runs never see each other's keys), bench
    mode on, and the per-member posting limit lifted for the bench poster's replies."""
    import secrets

    prefix = f"bench{secrets.token_hex(3)}"
    return site_env(
        VAR_DIR=str(folder),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL") or None,
        CHANNELS_PREFIX=prefix,
        CACHE_KEY_PREFIX=prefix,
        BENCH_MODE="true",
        FORUMS_POSTS_PER_MINUTE="100000",
        **extra,
    )


# --- Re-exported from the modules split off this one (and devservers.py, above) ----------

from http_load import (  # noqa: E402
    FormClient,
    HttpConnection,
    LoadResult,
    Response,
    get,
    load,
    load_async,
    page_weight,
    percentile,
    served_by,
)
from live_sockets import (  # noqa: E402
    Readers,
    TopicPoster,
    TopicReader,
    WebSocket,
    fanout,
    open_readers,
    spread,
)
from report import markdown_table, median, ms, progress, verdict  # noqa: E402

__all__ = [
    "HOST",
    "PYTHON",
    "SERVICE_VARS",
    "Daphne",
    "FormClient",
    "HttpConnection",
    "LoadResult",
    "Readers",
    "Response",
    "TopicPoster",
    "TopicReader",
    "WebSocket",
    "fanout",
    "free_port",
    "get",
    "load",
    "load_async",
    "manage",
    "markdown_table",
    "median",
    "ms",
    "open_readers",
    "page_weight",
    "percentile",
    "progress",
    "read_proc_status",
    "served_by",
    "spread",
    "stop_process",
    "verdict",
    "wait_ready",
]


#: For a page in Chromium: the last largest-contentful-paint candidate and what it painted, in
#: ``window.__lcp`` (the phone benches, ``offline_course`` and ``phone_pages``).
LCP_OBSERVER = """
new PerformanceObserver((list) => {
  const entry = list.getEntries().at(-1);
  window.__lcp = {ms: entry.startTime, element: entry.element ?
    entry.element.tagName.toLowerCase() + (entry.element.className ? "." + entry.element.className : "") : ""};
}).observe({type: "largest-contentful-paint", buffered: true});
"""
