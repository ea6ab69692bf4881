"""Benchmark the course and lesson pages; run on demand, never as a test.

    .venv/bin/python bench/course_pages.py [--clients 16] [--seconds 10]

Builds a throwaway SQLite database with the demo content, starts one daphne process on a free
127.0.0.1 port (DEBUG off), and measures with N concurrent clients (threads, one keep-alive
connection each) for a bounded time per page:

- requests/s, p50 and p99 latency for a course page (anonymous) and a lesson page (the demo
  learner, signed in);
- the lesson page's weight before media: HTML plus the stylesheets and scripts it links,
  against the 300 KB budget.

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
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
COURSE_PATH = "/courses/starting-a-landscape-partnership/"
LESSON_PATH = (
    "/courses/starting-a-landscape-partnership/the-landscape-and-its-people/who-has-a-stake/"
)
BUDGET_BYTES = 300 * 1024

SESSION_SNIPPET = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(username="learner")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("daphne did not start")


def get(connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    return response.status, response.read()


def load(port: int, path: str, cookie: str, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _body = get(connection, path, cookie)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                failed += 1
                continue
            mine.append(time.perf_counter() - started)
            if status != 200:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def page_weight(port: int, path: str, cookie: str) -> dict[str, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, html = get(connection, path, cookie)
    assert status == 200, status
    text = html.decode()
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    asset_bytes = 0
    for asset in assets:
        status, body = get(connection, asset, cookie)
        assert status == 200, (asset, status)
        asset_bytes += len(body)
    connection.close()
    return {"html": len(html), "assets": asset_bytes, "count": len(assets)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-courses-") as var_dir:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}
        }
        env.update({"VAR_DIR": var_dir, "DEBUG": "false", "LOG_LEVEL": "WARNING"})
        print(f"Seeding a throwaway database in {var_dir} ...", file=sys.stderr)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        session_key = (
            manage(env, "shell", "-v", "0", "-c", SESSION_SNIPPET).strip().splitlines()[-1]
        )
        cookie = f"sessionid={session_key}"
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
            wait_for(port)
            rows = []
            for label, path, page_cookie in [
                ("Course page (anonymous)", COURSE_PATH, ""),
                ("Lesson page (enrolled learner)", LESSON_PATH, cookie),
            ]:
                load(port, path, page_cookie, clients=2, seconds=1)  # warm up
                rows.append(
                    (label, load(port, path, page_cookie, options.clients, options.seconds))
                )
            weight = page_weight(port, LESSON_PATH, cookie)
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"\n### Courses benchmark: one daphne process, SQLite, {options.clients} clients, {options.seconds:g} s per page\n"
    )
    print("| Page | Requests | Errors | Requests/s | p50 (ms) | p99 (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, result in rows:
        print(
            f"| {label} | {result['requests']} | {result['errors']} | {result['rps']:.0f} "
            f"| {result['p50']:.1f} | {result['p99']:.1f} |"
        )
    total = weight["html"] + weight["assets"]
    verdict = "within" if total <= BUDGET_BYTES else "OVER"
    print("\n| Lesson page weight (before media) | Bytes |")
    print("| --- | ---: |")
    print(f"| HTML | {weight['html']:,} |")
    print(f"| CSS + JS ({weight['count']} files) | {weight['assets']:,} |")
    print(f"| Total ({verdict} the {BUDGET_BYTES // 1024} KB budget) | {total:,} |")


if __name__ == "__main__":
    main()
