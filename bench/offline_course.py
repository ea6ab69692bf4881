"""The size of a course saved for offline reading; run on demand, never as a test.

    .venv/bin/python bench/offline_course.py [--course /courses/<slug>/]

Builds a throwaway SQLite database with the demo content, starts one daphne process on a free
127.0.0.1 port (DEBUG off), signs in as the demo learner (enrolled in the first demo course),
reads the course's offline manifest (``courses/offline.py``) as "Save this course for offline"
does, fetches every URL it lists as the service worker would, and prints the bytes stored by
kind (pages, lessons, images, site files) against the issue's budget: a whole course at most
1.5 MB before video. Also prints the service worker and the offline script, gzipped, against
their 30 KB budget.

Then the phone profile (``--runs``, 0 to skip): headless Chromium (Debian's, as the browser
tests use it) at 360 x 740 px, the page's CPU slowed 4x through the DevTools protocol
(``Emulation.setCPUThrottlingRate``), saves the course as the learner does, goes offline and
opens the course's first lesson again and again, each time measuring from the navigation to
its largest contentful paint (a ``PerformanceObserver``, ``buffered``), with the service
worker running ("warm") and stopped first (``ServiceWorker.stopAllWorkers``: "cold", a phone
opening the app in the field). Budget: the first saved lesson shown offline in < 300 ms.
The throttling slows the page's renderer; the service worker's thread is not slowed by it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COURSE_PATH = "/courses/starting-a-landscape-partnership/"
COURSE_BUDGET = 1_500_000
SCRIPT_BUDGET = 30 * 1024
LCP_BUDGET_MS = 300
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def phone_lcp(base: str, course: str, first: str, cookie: str, runs: int) -> dict[str, list]:
    """Milliseconds from navigation to the first lesson's largest contentful paint, offline on
    the phone profile, per run; warm (worker running) and cold (worker stopped first)."""
    from playwright.sync_api import sync_playwright

    name, value = cookie.split("=", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
        context.add_cookies([{"name": name, "value": value, "url": base}])
        context.add_init_script(harness.LCP_OBSERVER)
        page = context.new_page()
        page.goto(f"{base}{course}")
        page.get_by_role("button", name=re.compile("Save this course for offline")).click()
        page.locator(".offline-save__status").filter(has_text="Saved on this device on").wait_for(
            timeout=120_000
        )
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        cdp.send("ServiceWorker.enable")
        context.set_offline(True)
        figures: dict[str, list] = {"warm": [], "cold": [], "element": []}
        for run in range(runs * 2):
            cold = run % 2 == 1
            if cold:
                cdp.send("ServiceWorker.stopAllWorkers")
            page.goto(f"{base}{first}", wait_until="load")
            page.locator(".offline-banner").wait_for()
            page.wait_for_timeout(300)
            lcp = page.evaluate("window.__lcp")
            figures["cold" if cold else "warm"].append(lcp["ms"])
            figures["element"].append(lcp["element"])
        figures["lesson"] = [first]
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default=COURSE_PATH)
    parser.add_argument("--runs", type=int, default=10, help="offline lesson loads of each kind")
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
            first = next(entry["url"] for entry in data["entries"] if entry["kind"] == "lesson")
            lcp = None
            if options.runs:
                lcp = phone_lcp(server.base, options.course, first, cookie, options.runs)

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
    if lcp:
        print(
            f"\nFirst lesson offline on the phone profile ({lcp['lesson'][0]}, 360 px, CPU 4x):\n"
        )
        rows = []
        for kind in ("warm", "cold"):
            times = sorted(lcp[kind])
            rows.append(
                [
                    f"LCP, worker {'running' if kind == 'warm' else 'stopped first'}",
                    len(times),
                    f"{statistics.median(times):.0f} ms",
                    f"{times[-1]:.0f} ms",
                    f"< {LCP_BUDGET_MS} ms",
                    harness.verdict(times[-1] < LCP_BUDGET_MS),
                ]
            )
        print(
            harness.markdown_table(
                ["measure", "runs", "median", "slowest", "limit", "verdict"], rows
            )
        )
        print(f"\nLargest element painted: {', '.join(sorted(set(lcp['element'])))}")


if __name__ == "__main__":
    main()
