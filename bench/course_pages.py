"""Benchmark the course and lesson pages on the demo content; run on demand, never as a test.

    .venv/bin/python bench/course_pages.py [--clients 16] [--seconds 10]

Builds a throwaway SQLite database with the demo content, starts one daphne process on a free
127.0.0.1 port (DEBUG off), and measures with N concurrent keep-alive clients for a bounded time
per page:

- requests/s, p50 and p99 latency for a course page (anonymous) and a lesson page (the demo
  learner, signed in);
- the lesson page's weight before media: HTML plus the stylesheets and scripts it links,
  against the 300 KB budget.

Prints a Markdown table. ``bench/run`` measures the same pages at scale, against the ceiling.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COURSE_PATH = "/courses/starting-a-landscape-partnership/"
LESSON_PATH = (
    "/courses/starting-a-landscape-partnership/the-landscape-and-its-people/who-has-a-stake/"
)
BUDGET_BYTES = 300 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args()

    with harness.demo_site("bench-courses-") as (env, cookie):
        with harness.Daphne(env) as server:
            rows = []
            for label, path, page_cookie in [
                ("Course page (anonymous)", COURSE_PATH, ""),
                ("Lesson page (enrolled learner)", LESSON_PATH, cookie),
            ]:
                harness.load(server.port, path, clients=2, seconds=1, cookie=page_cookie)  # warm
                result = harness.load(
                    server.port, path, clients=options.clients, seconds=options.seconds,
                    cookie=page_cookie,
                )  # fmt: skip
                rows.append((label, result.as_dict()))
            weight = harness.page_weight(server.port, LESSON_PATH, cookie)

    print(
        f"\n### Courses benchmark: one daphne process, SQLite, {options.clients} clients, "
        f"{options.seconds:g} s per page\n"
    )
    print(
        harness.markdown_table(
            ["Page", "Requests", "Errors", "Requests/s", "p50 (ms)", "p99 (ms)"],
            [
                [label, r["requests"], r["errors"], f"{r['rps']:.0f}", harness.ms(r["p50_ms"]),
                 harness.ms(r["p99_ms"])]
                for label, r in rows
            ],
        )
    )  # fmt: skip
    verdict = "within" if weight["total"] <= BUDGET_BYTES else "OVER"
    print()
    print(
        harness.markdown_table(
            ["Lesson page weight (before media)", "Bytes"],
            [
                ["HTML", f"{weight['html']:,}"],
                [f"CSS + JS ({weight['files']} files)", f"{weight['assets']:,}"],
                [f"Total ({verdict} the {BUDGET_BYTES // 1024} KB budget)", f"{weight['total']:,}"],
            ],
        )
    )


if __name__ == "__main__":
    main()
