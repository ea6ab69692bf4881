"""Every page type on a slow phone, against a static page; run on demand, never as a test.

    .venv/bin/python bench/phone_pages.py [--runs 1]

Builds a throwaway SQLite database with the demo content and starts one daphne process on a
free 127.0.0.1 port (DEBUG off, the site's own entry point). The reference "static page" is
the sign-in page's HTML saved as a file under the site's static root, so it is answered by the
static file server with the same stylesheet and scripts as every page, and no work of the app.

Each page type (the first live English page of each Wagtail type, and the Django views a
visitor meets) is opened in a fresh browser context (an empty cache: a first visit) by headless
Chromium (Debian's, as the browser tests use it) at 360 x 740 px on the phone profile: the
page's CPU slowed 4x (``Emulation.setCPUThrottlingRate``) and the network at 400 ms round trip,
400 kbit/s down and up (``Network.emulateNetworkConditions``: DevTools' "Slow 3G" class of
link). It measures from the navigation to the largest contentful paint (a
``PerformanceObserver``, ``buffered``, read after the load event and a quiet second) and prints
each page's median against the issue's budget: at most twice the static page's.

Then what of Leaflet the maps use: a case-study page with no throttling, the map scrolled into
view, the bytes of ``leaflet.js`` that ran (the DevTools protocol's precise block coverage) and
the bytes of ``leaflet.css`` rules that matched (``CSS.startRuleUsageTracking``), of the
files' sizes, plain and gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
STATIC_PAGE = "bench-static-page.html"
BUDGET_FACTOR = 2.0
#: DevTools' "Slow 3G" class of link: bytes per second and milliseconds of latency.
SLOW_3G = {"latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4

#: Page types and the Django views, by the address the demo gives them.
PAGES = [
    ("static page (reference)", f"/static/{STATIC_PAGE}", False),
    ("home", "/", False),
    ("case-study listing", "/case-studies/", False),
    ("case study", "/case-studies/riparian-buffers-mount-kenya/", False),
    ("resource listing", "/resources/", False),
    ("resource", "/resources/convening-a-landscape-partnership/", False),
    ("course catalogue", "/courses/", False),
    ("course", "/courses/starting-a-landscape-partnership/", False),
    ("module", "/courses/starting-a-landscape-partnership/the-landscape-and-its-people/", True),
    (
        "lesson (enrolled learner)",
        "/courses/starting-a-landscape-partnership/the-landscape-and-its-people/"
        "why-work-at-landscape-scale/",
        True,
    ),
    ("calendar", "/calendar/", False),
    ("event", "/calendar/agroforestry-design-workshop/", False),
    ("search", "/search/?q=restoration", False),
    ("forums", "/forums/", False),
    ("partnership directory", "/network/", False),
    ("finance listing", "/finance/", False),
    ("untranslated notice", None, False),
    ("Spanish course", "/es/courses/starting-a-landscape-partnership/", False),
]


def _context(browser, base: str, cookie: str | None):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
    context.add_init_script(harness.LCP_OBSERVER)
    # No internet here: map tiles fail fast, as on a phone with no signal for them.
    context.route("https://**/*", lambda route: route.abort())
    return context


def phone_lcp(browser, base: str, path: str, cookie: str | None) -> tuple[float, str, int]:
    """One first visit on the phone profile: LCP in ms, the element, and the status."""
    context = _context(browser, base, cookie)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **SLOW_3G})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    response = page.goto(f"{base}{path}", wait_until="load", timeout=120_000)
    page.wait_for_timeout(1000)
    lcp = page.evaluate("window.__lcp") or {"ms": float("nan"), "element": "(none)"}
    context.close()
    return lcp["ms"], lcp["element"], response.status if response else 0


def _disjoint_used_bytes(functions: list[dict], length: int) -> int:
    """Bytes of a script that ran, from V8's block coverage (nested ranges, inner last)."""
    ran = bytearray(length)
    for function in functions:
        for block in function["ranges"]:
            value = 1 if block["count"] > 0 else 0
            ran[block["startOffset"] : block["endOffset"]] = bytes([value]) * (
                min(block["endOffset"], length) - block["startOffset"]
            )
    return sum(ran)


def leaflet_usage(browser, base: str, path: str) -> dict[str, tuple[int, int, int]]:
    """For leaflet.js and leaflet.css: (bytes used, bytes in the file, gzipped size)."""
    context = _context(browser, base, None)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    sheets: dict[str, str] = {}
    cdp.on(
        "CSS.styleSheetAdded",
        lambda event: sheets.__setitem__(
            event["header"]["styleSheetId"], event["header"].get("sourceURL", "")
        ),
    )
    cdp.send("Profiler.enable")
    cdp.send("Profiler.startPreciseCoverage", {"callCount": True, "detailed": True})
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("CSS.startRuleUsageTracking")
    page.goto(f"{base}{path}", wait_until="load")
    page.locator(".map-section").first.scroll_into_view_if_needed()
    page.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    scripts = cdp.send("Profiler.takePreciseCoverage")["result"]
    rules = cdp.send("CSS.stopRuleUsageTracking")["ruleUsage"]
    usage = {}
    for name in ("leaflet.js", "leaflet.css"):
        url = next(
            (s["url"] for s in scripts if "/leaflet" in s["url"] and s["url"].endswith(".js")), ""
        )
        if name.endswith(".css"):
            url = next((u for u in sheets.values() if "/leaflet" in u and ".css" in u), "")
        body = page.request.get(url).body() if url else b""
        if name.endswith(".js"):
            functions = next((s["functions"] for s in scripts if s["url"] == url), [])
            used = _disjoint_used_bytes(functions, len(body))
        else:
            ids = {sheet for sheet, source in sheets.items() if source == url}
            used = sum(
                rule["endOffset"] - rule["startOffset"]
                for rule in rules
                if rule["styleSheetId"] in ids and rule["used"]
            )
        usage[name] = (used, len(body), len(gzip.compress(body)))
    context.close()
    return usage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="first visits of each page")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with harness.demo_site("bench-phone-") as (env, cookie):
        static_root = Path(env["VAR_DIR"]) / "static"
        static_root.mkdir(parents=True, exist_ok=True)
        untranslated = harness.manage(
            env,
            "shell",
            "-c",
            "from library.models import CaseStudyPage;"
            "print(CaseStudyPage.objects.live().exclude(locale__language_code='fr')"
            ".exclude(translation_key__in=CaseStudyPage.objects.filter("
            "locale__language_code='fr').values('translation_key')).first().pk)",
        ).split()[-1]
        with harness.Daphne(env) as server:
            (static_root / STATIC_PAGE).write_bytes(
                harness.get(server.port, "/accounts/login/").body
            )
        # Restarted: the static file server lists the files of its root when it starts.
        with harness.Daphne(env) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            results = []
            for name, path, signed_in in PAGES:
                path = path or f"/fr/untranslated/{untranslated}/"
                runs = [
                    phone_lcp(browser, server.base, path, cookie if signed_in else None)
                    for _ in range(options.runs)
                ]
                results.append((name, path, runs))
            _print_pages(results, options.runs)
            sys.stdout.flush()
            leaflet = leaflet_usage(
                browser, server.base, "/case-studies/riparian-buffers-mount-kenya/"
            )
            browser.close()

    print("\nLeaflet on a case-study page, map scrolled into view:\n")
    print(
        harness.markdown_table(
            ["file", "bytes used", "bytes", "used", "gzipped"],
            [
                [name, used, size, f"{100 * used / size:.0f} %" if size else "-", zipped]
                for name, (used, size, zipped) in leaflet.items()
            ],
        )
    )


def _print_pages(results: list, runs_each: int) -> None:
    reference = statistics.median(ms for ms, _element, _status in results[0][2])
    rows = []
    for name, path, runs in results:
        median = statistics.median(ms for ms, _element, _status in runs)
        statuses = {status for _ms, _element, status in runs}
        rows.append(
            [
                name,
                f"`{path}`",
                ",".join(str(status) for status in sorted(statuses)),
                f"{median:.0f} ms",
                f"{median / reference:.2f}x",
                runs[-1][1],
                harness.verdict(median <= BUDGET_FACTOR * reference),
            ]
        )
    print(
        f"Phone profile: 360 x 740 px, CPU {CPU_SLOWDOWN}x slower, {SLOW_3G['latency']} ms round"
        f" trip, 400 kbit/s; first visit (empty cache); median of {runs_each} run(s)\n"
    )
    print(
        harness.markdown_table(
            ["page type", "address", "status", "LCP", "x static", "largest element", "<= 2x"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
