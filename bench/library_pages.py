"""Benchmark the library's public pages through a real daphne: requests/s, p50 and p99.

Run on demand (never in the test suite):

    .venv/bin/python bench/library_pages.py [--seconds 10] [--concurrency 16]

It builds a throwaway SQLite database with the demo content, starts daphne on a free port on
127.0.0.1, then drives the home page, a case study page and a filtered case study listing with
keep-alive HTTP clients, one path at a time, and prints a Markdown table. ``bench/run`` measures
the same pages at scale, against the ceiling.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


def first_case_study_path(port: int) -> str:
    response = harness.get(port, "/api/v2/pages/?type=library.CaseStudyPage&limit=1")
    items = json.loads(response.body)["items"]
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
        env = harness.site_env(VAR_DIR=folder)
        print("Preparing a throwaway database with the demo content...", file=sys.stderr)
        harness.manage(env, "migrate", "--noinput", "-v0")
        harness.manage(env, "seed_demo")
        with harness.Daphne(env) as server:
            paths = {
                "home": "/",
                "case study page": first_case_study_path(server.port),
                "filtered listing": "/case-studies/?region=africa&theme=restoration",
            }
            rows = []
            for name, path in paths.items():
                harness.load(server.port, path, clients=2, seconds=1.0)  # warm caches, renditions
                result = harness.load(
                    server.port, path, clients=args.concurrency, seconds=args.seconds
                )
                rows.append((name, path, result.as_dict()))

    print(
        f"\n{args.concurrency} concurrent keep-alive clients, {args.seconds:g} s per path, "
        "one daphne process, SQLite\n"
    )
    print(
        harness.markdown_table(
            ["page", "path", "requests", "errors", "req/s", "p50 ms", "p99 ms"],
            [
                [name, f"`{path}`", r["requests"], r["errors"], f"{r['rps']:.1f}",
                 harness.ms(r["p50_ms"]), harness.ms(r["p99_ms"])]
                for name, path, r in rows
            ],
            "llrrrrr",
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
