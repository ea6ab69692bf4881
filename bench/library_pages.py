"""Benchmark the library's public pages through a real daphne: requests/s, p50 and p99.

Run on demand (never in the test suite):

    .venv/bin/python bench/library_pages.py [--seconds 10] [--concurrency 16]

It builds a throwaway SQLite database with the demo content, starts daphne on a free port on
127.0.0.1, then drives the home page, a case study page and a filtered case study listing with
keep-alive HTTP clients in threads, one path at a time, and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database: Path, env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("daphne did not answer /healthz in time")


def drive(port: int, path: str, seconds: float, concurrency: int) -> dict[str, float]:
    """Keep ``concurrency`` clients busy on one path for ``seconds``; collect latencies."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        failures = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures += 1
            except OSError:
                failures += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failures

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": quantiles[49] * 1000,
        "p99_ms": quantiles[98] * 1000,
    }


def first_case_study_path(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/v2/pages/?type=library.CaseStudyPage&limit=1")
    items = json.loads(connection.getresponse().read())["items"]
    if not items:
        raise SystemExit("no case study in the demo content")
    url = items[0]["meta"]["html_url"]
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-library-") as folder:
        database = Path(folder) / "bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "MEDIA_ROOT": str(Path(folder) / "media"),
        }
        env.pop("REDIS_URL", None)
        print("Preparing a throwaway database with the demo content...", file=sys.stderr)
        prepare(database, env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(port)
            paths = {
                "home": "/",
                "case study page": first_case_study_path(port),
                "filtered listing": "/case-studies/?region=africa&theme=restoration",
            }
            rows = []
            for name, path in paths.items():
                drive(port, path, 1.0, 2)  # warm caches and renditions
                result = drive(port, path, args.seconds, args.concurrency)
                rows.append((name, path, result))
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"\n{args.concurrency} concurrent keep-alive clients, {args.seconds:g} s per path, one daphne process, SQLite\n"
    )
    print("| page | path | requests | errors | req/s | p50 ms | p99 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, path, result in rows:
        print(
            f"| {name} | `{path}` | {result['requests']} | {result['errors']} | "
            f"{result['rps']:.1f} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} |"
        )


if __name__ == "__main__":
    main()
