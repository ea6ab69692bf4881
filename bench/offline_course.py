"""The size of a course saved for offline reading; run on demand, never as a test.

    .venv/bin/python bench/offline_course.py [--course /courses/<slug>/]

Builds a throwaway SQLite database with the demo content, starts one daphne process on a free
127.0.0.1 port (DEBUG off), signs in as the demo learner (enrolled in the first demo course),
reads the course's offline manifest (``courses/offline.py``) as "Save this course for offline"
does, fetches every URL it lists as the service worker would, and prints the bytes stored by
kind (pages, lessons, images, site files) against the issue's budget: a whole course at most
1.5 MB before video. Also prints the service worker and the offline script, gzipped, against
their 30 KB budget.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COURSE_PATH = "/courses/starting-a-landscape-partnership/"
COURSE_BUDGET = 1_500_000
SCRIPT_BUDGET = 30 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default=COURSE_PATH)
    options = parser.parse_args()

    with harness.demo_site("bench-offline-") as (env, cookie):
        with harness.Daphne(env) as server:
            page = harness.get(server.port, options.course, cookie)
            found = re.search(r'data-offline-manifest="([^"]+)"', page.body.decode())
            if page.status != 200 or found is None:
                raise SystemExit(f"{options.course}: no offline control for the demo learner")
            manifest = harness.get(server.port, found.group(1), cookie)
            data = json.loads(manifest.body)
            sizes: Counter[str] = Counter()
            counts: Counter[str] = Counter()
            for entry in data["entries"]:
                response = harness.get(server.port, entry["url"], cookie)
                if response.status != 200:
                    raise SystemExit(f"{entry['url']} answered {response.status}")
                sizes[entry["kind"]] += len(response.body)
                counts[entry["kind"]] += 1
            worker = harness.get(server.port, "/sw.js").body
            script = harness.get(server.port, "/static/js/offline.js").body

    total = sum(sizes.values())
    rows = [[kind, counts[kind], f"{sizes[kind] / 1000:.1f} KB"] for kind in sorted(sizes)]
    rows.append(["total", sum(counts.values()), f"{total / 1000:.1f} KB"])
    print(f"Course saved for offline: {options.course} (manifest {len(manifest.body)} bytes)\n")
    print(harness.markdown_table(["kind", "files", "bytes stored"], rows))
    scripts = len(gzip.compress(worker)) + len(gzip.compress(script))
    print()
    print(
        harness.markdown_table(
            ["budget", "measured", "limit", "verdict"],
            [
                ["whole course before video", f"{total / 1e6:.2f} MB", "1.5 MB",
                 harness.verdict(total <= COURSE_BUDGET)],
                ["worker + offline script, gzipped", f"{scripts / 1024:.1f} KB", "30 KB",
                 harness.verdict(scripts <= SCRIPT_BUDGET)],
            ],
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
