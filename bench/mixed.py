"""The mixed run of ``bench/run`` (issue 17): every class of visitor at once, as on a live site.

Why a module of its own: every other figure of ``bench/run`` loads one page at a time with
nobody writing, so caches are never emptied while they are read. On a live network readers,
learners, members, new members and editors act together, and each write may drop cached
pages; a page cache that empties on every reaction looks perfect in the one-page rows and
collapses here. So this run starts every class together for ``--mixed-seconds``:

- anonymous readers (``clients`` keep-alive connections) over many pages, weighted: home,
  case-study listings with varied filters, case studies, forum topics, course pages, varied
  searches;
- signed-in learners reading their lessons (two connections) and submitting quizzes;
- members replying and reacting in three forum topics, through the HTTP forms with CSRF;
- sign-ups through allauth's form (kept under its 20-a-minute-per-address limit);
- a publisher (Wagtail's Moderators group: the demo editor may only draft) publishing a case
  study through the Wagtail admin's publish action, confirmation page first.

Writes are paced (``WRITE_RATES``, more than 5 a second in all) over several people per class
acting in parallel (``LANES``), as independent visitors would; a slow server lowers the
achieved rate, which the table reports. Every anonymous response is sorted by kind of page and
by who answered it (nginx's cache, the app's page cache, or a rendering: ``served_by``), and
the kinds of page the writes change are reported apart from the ones they do not (the hit-rate
budget is on the latter). ``bench/run`` runs it twice, page cache on and off, and adds each
kind's query count cold and warm from bench/cold_pages.py.

The addresses and people come from bench/mixed_setup.py (inside Django); the HTTP side reuses
bench/http_load.py (the load loop, the form client) and bench/live_sockets.py (the poster).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import harness

#: Writes per second by class: 5.5 in all, a margin over the budget's 5 a second.
WRITE_RATES = {"reply": 2.0, "react": 2.0, "quiz": 1.0, "signup": 0.25, "publish": 0.25}
#: How often anonymous readers ask for each kind of page (relative weights).
READ_WEIGHTS = {
    "home": 8, "listing": 14, "case_study": 24, "edited_case_study": 2, "topic": 22,
    "written_topic": 4, "course": 12, "search": 14,
}  # fmt: skip
LABELS = {
    "home": "Home",
    "listing": "Case-study listings, varied filters",
    "case_study": "Case studies",
    "edited_case_study": "Case study being republished",
    "topic": "Forum topics",
    "written_topic": "Forum topics members write in",
    "course": "Course pages",
    "search": "Searches, varied",
    "lesson": "Learners reading lessons (signed in)",
    "quiz": "Learners submitting quizzes",
    "reply": "Members replying",
    "react": "Members reacting",
    "signup": "Sign-ups",
    "publish": "Publishing a case study (Wagtail admin)",
}
WRITES = tuple(WRITE_RATES)
#: Who answered without the app rendering the page: nginx's stored copy (as is, or confirmed by
#: a 304 the app answered from its page cache) or the app's page cache. nginx answers a
#: revalidated request with its stored copy's headers, so how the app answered is asked of the
#: app itself (bench mode's count, ``config.bench``); a revalidation it rendered the page for
#: is shown but is not a hit.
REVALIDATED, FROM_APP_CACHE = "proxy cache, revalidated", "proxy cache, revalidated (app cache)"
HITS = ("proxy cache", FROM_APP_CACHE, "app page cache")
#: People per class writing in parallel, each at the class's rate divided by this.
LANES = {"reply": 4, "react": 4}
MIN_WRITES_PER_S, MIN_HIT_RATE, STATIC_RATIO = 5.0, 0.95, 0.5
QUIZ_FORM = re.compile(
    r'<form method="post" action="([^"]*/quizzes/[^"]+/)"[^>]*>(.*?)</form>', re.S
)
ATTEMPT = re.compile(r'name="attempt" value="(\d+)"')
QUESTION = re.compile(
    r'<input type="(radio|checkbox|text)" id="[^"]*" name="(q-[^"]+)"(?: value="([^"]*)")?'
)


@dataclass
class Tally:
    """One row's requests: latencies of the answered ones, errors, and who answered."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    sources: Counter = field(default_factory=Counter)
    #: The latencies of the answers a cache gave (``HITS``): how fast a cached page is while
    #: the writes run, set beside the static file's.
    hit_latencies_ms: list[float] = field(default_factory=list)

    def add(self, ms: float | None, *, source: str = "") -> None:
        """``ms`` None is an error (a wrong status, a dropped connection, a failed write)."""
        if ms is None:
            self.errors += 1
            return
        self.latencies_ms.append(ms)
        self.sources[source or "rendered"] += 1
        if source in HITS:
            self.hit_latencies_ms.append(round(ms, 2))

    def as_dict(self, seconds: float) -> dict:
        """Figures over a window of ``seconds``: every request counted started in it."""
        done = len(self.latencies_ms)
        cached = sum(self.sources.get(source, 0) for source in HITS)
        return {
            "requests": done,
            "errors": self.errors,
            "rps": round(done / seconds, 2) if seconds else 0.0,
            "p50_ms": round(harness.percentile(self.latencies_ms, 0.5), 1),
            "p99_ms": round(harness.percentile(self.latencies_ms, 0.99), 1),
            "hit_rate": round(cached / done, 4) if done else None,
            "sources": dict(self.sources),
            "hit_latencies_ms": self.hit_latencies_ms,
        }


def classify(paths: dict[str, list[str]]) -> dict[str, str]:
    """Each address the readers visit, to its kind of page."""
    return {path: kind for kind, many in paths.items() for path in many}


def reader_paths(paths: dict[str, list[str]], seed: int = 17) -> Iterator[str]:
    """An endless, reproducible stream of addresses, kinds drawn by ``READ_WEIGHTS``."""
    rng = random.Random(seed)
    kinds = [kind for kind in READ_WEIGHTS if paths.get(kind)]
    weights = [READ_WEIGHTS[kind] for kind in kinds]
    while True:
        yield rng.choice(paths[rng.choices(kinds, weights)[0]])


def quiz_answers(html: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The first open quiz form of a lesson page, answered with each question's first choice
    (or "water"): its action and fields. None when the learner has no attempt left."""
    form = QUIZ_FORM.search(html)
    attempt = ATTEMPT.search(form.group(2)) if form else None
    if not form or not attempt:
        return None
    fields, seen = [("attempt", attempt.group(1))], set()
    for kind, name, value in QUESTION.findall(form.group(2)):
        if name not in seen:
            seen.add(name)
            fields.append((name, "water" if kind == "text" else value))
    return form.group(1).replace("&amp;", "&"), fields


async def paced(rate: float, stop_at: float, tally: Tally, action: Callable[[], Awaitable]) -> None:
    """Call ``action`` ``rate`` times a second until ``stop_at`` (back to back if it is slower,
    as one person would; nothing starts after ``stop_at``); it returns the milliseconds of its
    write, or None when there was nothing to do."""
    due = time.perf_counter() + random.random() / rate
    while due < stop_at and time.perf_counter() < stop_at:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        due += 1 / rate
        try:
            ms = await asyncio.wait_for(action(), 30)
        except (RuntimeError, OSError, TimeoutError, asyncio.IncompleteReadError):
            tally.add(None)
            continue
        if ms is not None:
            tally.add(ms)


def signup_fields() -> list[tuple[str, str]]:
    """What a new visitor types into the sign-up form: every field it asks for (a form that
    answers 200 with an error is counted as a failed write, not a sign-up)."""
    password = f"Mixed-{secrets.token_hex(8)}"
    token = secrets.token_hex(6)
    return [("email", f"mixed-{token}@example.org"), ("display_name", f"Mixed {token}"),
            ("password1", password), ("password2", password)]  # fmt: skip


async def timed_post(form: harness.FormClient, path: str, fields, referer: str) -> float:
    """One form POST that must redirect (302); its milliseconds."""
    began = time.perf_counter()
    response = await form.post(path, fields, referer)
    if response.status != 302:
        raise RuntimeError(f"POST {path}: {response.status}")
    return (time.perf_counter() - began) * 1000


class Writers:
    """The paced writers of one run, each class in ``lanes`` (people acting in parallel)."""

    def __init__(self, port: int, cast: dict, stop_at: float, tallies: dict[str, Tally]):
        self.port, self.cast, self.stop_at, self.tallies = port, cast, stop_at, tallies

    def tasks(self) -> list[Awaitable]:
        members, topics = self.cast["members"], self.cast["written_topic_ids"]
        lanes = [
            ("reply", self.replier(members[n % len(members)], topics[n % len(topics)]))
            for n in range(LANES["reply"])
        ] + [
            ("react", self.reactor(members[-1 - n], n, LANES["react"]))
            for n in range(LANES["react"])
        ]
        lanes += [("quiz", self.learner(learner)) for learner in self.cast["learners"]]
        lanes += [("signup", self.signup()), ("publish", self.publisher())]
        shares = Counter(kind for kind, _action in lanes)
        return [
            paced(WRITE_RATES[kind] / shares[kind], self.stop_at, self.tallies[kind], action)
            for kind, action in lanes
        ]

    def replier(self, session: str, topic_id: int) -> Callable[[], Awaitable]:
        poster = harness.TopicPoster(self.port, topic_id, session)
        numbers = itertools.count()

        async def reply() -> float:
            if not poster.form.token:
                await poster.prepare()
            began = time.perf_counter()
            await poster.reply(f"Mixed-run reply {next(numbers)} {secrets.token_hex(3)}")
            return (time.perf_counter() - began) * 1000

        return reply

    def reactor(self, session: str, lane: int, lanes: int) -> Callable[[], Awaitable]:
        form = harness.FormClient(self.port, {"sessionid": session})
        posts = itertools.cycle(self.cast["reaction_post_ids"][lane::lanes])
        topic = f"/forums/t/{self.cast['written_topic_ids'][0]}/"

        async def react() -> float:
            if not form.token:
                await form.get(topic)
            return await timed_post(
                form, f"/forums/p/{next(posts)}/react/", [("kind", "like")], topic
            )

        return react

    def learner(self, learner: dict) -> Callable[[], Awaitable]:
        form = harness.FormClient(self.port, {"sessionid": learner["session"]})
        lessons = itertools.cycle(learner["lessons"])
        reading = self.tallies["lesson"]

        async def submit() -> float | None:
            for _ in range(len(learner["lessons"])):
                lesson = next(lessons)["path"]
                began = time.perf_counter()
                page = await form.get(lesson)
                reading.add((time.perf_counter() - began) * 1000 if page.status == 200 else None)
                answered = quiz_answers(page.body.decode(errors="replace"))
                if answered:
                    return await timed_post(form, answered[0], answered[1], lesson)
            return None

        return submit

    def signup(self) -> Callable[[], Awaitable]:
        async def sign_up() -> float:
            form = harness.FormClient(self.port)  # a new visitor each time
            try:
                await form.get("/accounts/signup/")
                fields = signup_fields()
                return await timed_post(form, "/accounts/signup/", fields, "/accounts/signup/")
            finally:
                form.close()

        return sign_up

    def publisher(self) -> Callable[[], Awaitable]:
        form = harness.FormClient(self.port, {"sessionid": self.cast["publisher"]["session"]})
        action = f"/admin/bulk/wagtailcore/page/publish/?id={self.cast['publisher']['page_id']}"

        async def publish() -> float:
            await form.get(action)  # the confirmation page a publisher sees first
            return await timed_post(form, action, [], action)

        return publish


#: Visits of every anonymous address before the window: a page type's first rendering at an
#: address only records what it depends on, the second is stored (config/page_cache.py).
WARM_UP_VISITS = 2


async def warm_up(port: int, anonymous: dict[str, list[str]], *, clients: int) -> float:
    """Visit every anonymous address ``WARM_UP_VISITS`` times, not counted: a live site has
    been read before, so the run measures what writes do to warm caches rather than the first
    visit of 150 addresses (at large scale, most of a minute's requests). Its seconds."""
    began = time.perf_counter()
    queue = [path for _ in range(WARM_UP_VISITS) for paths in anonymous.values() for path in paths]
    pending = iter(queue)

    async def visitor() -> None:
        connection = harness.HttpConnection(port)
        try:
            for path in pending:
                try:
                    await asyncio.wait_for(connection.request("GET", path), timeout=60)
                except (OSError, asyncio.IncompleteReadError, TimeoutError):
                    connection.close()
                    connection = harness.HttpConnection(port)
        finally:
            connection.close()

    await asyncio.gather(*(visitor() for _ in range(clients)))
    return time.perf_counter() - began


async def answered_304s(port: int, paths: list[str]) -> dict[str, dict[str, int]]:
    """The app's count of the 304s it answered at each path, from its page cache or after a
    rendering (``config.bench.revalidations``)."""
    connection = harness.HttpConnection(port)
    try:
        body = json.dumps(paths).encode()
        response = await connection.request(
            "POST", "/bench/revalidations", body, {"Content-Type": "application/json"}
        )
    finally:
        connection.close()
    return json.loads(response.body) if response.status == 200 else {}


def attribute_revalidations(
    tallies: dict[str, Tally], anonymous: dict[str, list[str]], before: dict, after: dict
) -> None:
    """Move, per kind of page, as many of nginx's REVALIDATED answers as the app answered 304s
    from its page cache at that kind's addresses during the window into ``FROM_APP_CACHE``."""
    for kind, paths in anonymous.items():
        sources = tallies[kind].sources
        from_cache = sum(
            after.get(path, {}).get("cache", 0) - before.get(path, {}).get("cache", 0)
            for path in set(paths)
        )
        moved = max(0, min(from_cache, sources.get(REVALIDATED, 0)))
        if moved:
            sources[REVALIDATED] -= moved
            sources[FROM_APP_CACHE] += moved


async def run_async(port: int, cast: dict, *, seconds: float, clients: int) -> dict:
    """One mixed run against the server on ``port``, after a warm-up: per row, its figures."""
    anonymous = cast["anonymous"]
    warmed_in = await warm_up(port, anonymous, clients=clients)
    kinds = classify(anonymous)
    tallies = {kind: Tally() for kind in [*anonymous, "lesson", *WRITES]}

    def observe(path: str, response, ms: float) -> None:
        ok = response is not None and response.status == 200
        tallies[kinds[path]].add(
            ms if ok else None, source=harness.served_by(response.headers) if ok else ""
        )

    def learner_reading(learner: dict) -> Awaitable:
        lessons = itertools.cycle([lesson["path"] for lesson in learner["lessons"]])

        def record(_path: str, response, ms: float) -> None:
            tallies["lesson"].add(ms if response is not None and response.status == 200 else None)

        return harness.load_async(port, lessons, clients=1, seconds=seconds,
                                  cookie=f"sessionid={learner['session']}", observe=record)  # fmt: skip

    addresses = sorted({path for paths in anonymous.values() for path in paths if "?" not in path})
    before = await answered_304s(port, addresses)
    began = time.perf_counter()
    writers = Writers(port, cast, began + seconds, tallies)
    await asyncio.gather(
        harness.load_async(port, reader_paths(anonymous), clients=clients, seconds=seconds,
                           observe=observe),
        *(learner_reading(learner) for learner in cast["learners"][:2]),
        *writers.tasks(),
    )  # fmt: skip
    # Rates over the window (nothing starts after it); the requests still answering when it
    # closed only lengthen the elapsed time, reported beside it.
    elapsed = time.perf_counter() - began
    attribute_revalidations(tallies, anonymous, before, await answered_304s(port, addresses))
    rows = {kind: tally.as_dict(seconds) for kind, tally in tallies.items()}
    totals = summary(rows, anonymous, cast["changed"])
    return {"seconds": seconds, "elapsed": round(elapsed, 1), "warm_up_s": round(warmed_in, 1),
            "rows": rows, **totals}  # fmt: skip


def run(port: int, cast: dict, *, seconds: float, clients: int) -> dict:
    return asyncio.run(run_async(port, cast, seconds=seconds, clients=clients))


def summary(rows: dict[str, dict], anonymous: dict, changed: list[str]) -> dict:
    """The run's totals: anonymous pages (all, and those the writes do not change), writes
    per second, errors."""

    def combined(kinds: list[str]) -> dict:
        requests = sum(rows[kind]["requests"] for kind in kinds)
        sources = Counter()
        hits: list[float] = []
        for kind in kinds:
            sources.update(rows[kind]["sources"])
            hits.extend(rows[kind].get("hit_latencies_ms", ()))
        return {
            "hits": len(hits),
            "hit_p50_ms": round(harness.percentile(hits, 0.5), 2) if hits else None,
            "hit_p99_ms": round(harness.percentile(hits, 0.99), 2) if hits else None,
            "requests": requests,
            "rps": round(sum(rows[kind]["rps"] for kind in kinds), 1),
            "errors": sum(rows[kind]["errors"] for kind in kinds),
            "hit_rate": (
                round(sum(sources.get(hit, 0) for hit in HITS) / requests, 4) if requests else None
            ),
            "sources": dict(sources),
        }

    unchanged = [kind for kind in anonymous if kind not in changed]
    return {
        "anonymous_all": combined(list(anonymous)),
        "anonymous_unchanged": combined(unchanged),
        "writes_per_s": round(sum(rows[kind]["rps"] for kind in WRITES), 2),
        "errors": sum(row["errors"] for row in rows.values()),
    }


def cached_text(figures: dict) -> str:
    """ "62% (proxy cache 60%, app page cache 2%; revalidated 30%)" (revalidated: nginx's copy
    after a 304 from the app, not a hit), or "rendered" when no cache took part."""
    done = sum(figures["sources"].values())
    shares = {
        source: count / done
        for source, count in sorted(figures["sources"].items())
        if source != "rendered" and count
    }
    if not shares:
        return "rendered"
    hits = ", ".join(f"{source} {share:.0%}" for source, share in shares.items() if source in HITS)
    text = f"{figures['hit_rate']:.0%} ({hits or 'no hits'}"
    revalidated = shares.get(REVALIDATED)
    return text + (f"; revalidated {revalidated:.0%})" if revalidated else ")")


def table(mixed: dict, reference: dict | None, queries: dict[str, dict]) -> str:
    """The mixed run's Markdown table: per class and pass (page cache on, off), with budgets.

    ``reference``: ``{"kind": "static file" or "trivial view", "rps": ...}``, the static file
    through the same proxy (production) or the trivial view (embedded), measured alone earlier
    in the same run; ``queries``: cold and warm query counts by
    kind of page (bench/cold_pages.py)."""
    headers = ["Mixed run: what", "Requests", "Throughput", "p50 ms", "p99 ms", "Errors",
               "Served from a cache", "Queries cold/warm", "Budget", "Result"]  # fmt: skip
    rows = []
    for name, run_ in mixed["passes"].items():
        cache_on = name == "page cache on"
        changed = set(mixed["changed"])
        for kind, figures in run_["rows"].items():
            label = f"{LABELS[kind]} [{name}]"
            if kind in mixed["anonymous_kinds"]:
                label += " (the writes change it)" if kind in changed else ""
                counts = queries.get(kind.removeprefix("edited_").removeprefix("written_"))
                queries_text = (
                    f"{counts['cold_queries']}/{counts['warm_queries']}" if counts else ""
                )
            else:
                queries_text = ""
            unit = "writes/s" if kind in WRITES else "req/s"
            rows.append([label, figures["requests"], f"{figures['rps']:.1f} {unit}",
                         harness.ms(figures["p50_ms"]), harness.ms(figures["p99_ms"]),
                         figures["errors"], "" if kind in WRITES else cached_text(figures),
                         queries_text, "", ""])  # fmt: skip
        everyone, unchanged = run_["anonymous_all"], run_["anonymous_unchanged"]
        budget, ok = "reference", None
        throughput = f"{everyone['rps']:.0f} req/s"
        if reference:
            ratio = everyone["rps"] / max(reference["rps"], 1e-9)
            throughput += f" ({ratio:.0%} of the {reference['kind']})"
            if cache_on and reference["kind"] == "static file":
                budget = f">= {STATIC_RATIO:.0%} of the static file ({reference['rps']:.0f} req/s)"
                ok = ratio >= STATIC_RATIO
        rows.append([f"**Anonymous, all pages** [{name}]", everyone["requests"], throughput, "", "",
                     everyone["errors"], cached_text(everyone), "", budget, harness.verdict(ok)])  # fmt: skip
        if cache_on and everyone.get("hits"):
            beside = "reference"
            if reference and reference.get("p50_ms") is not None:
                beside = (f"reference: the {reference['kind']} alone, p50 "
                          f"{harness.ms(reference['p50_ms'])} / p99 {harness.ms(reference['p99_ms'])} ms")  # fmt: skip
            rows.append([f"**Anonymous, the answers a cache gave** [{name}]", everyone["hits"],
                         "", harness.ms(everyone["hit_p50_ms"]), harness.ms(everyone["hit_p99_ms"]),
                         "", "", "", beside, "n/a"])  # fmt: skip
        rows.append([
            f"**Anonymous, pages the writes do not change** [{name}]", unchanged["requests"],
            f"{unchanged['rps']:.0f} req/s", "", "", unchanged["errors"], cached_text(unchanged),
            "", f"hit rate >= {MIN_HIT_RATE:.0%}" if cache_on else "reference (cache off)",
            harness.verdict((unchanged["hit_rate"] or 0) >= MIN_HIT_RATE) if cache_on else "n/a",
        ])  # fmt: skip
        rows.append([f"**Writes, all classes** [{name}]", "", f"{run_['writes_per_s']:.2f} writes/s",
                     "", "", "", "", "", f">= {MIN_WRITES_PER_S:g} writes/s",
                     harness.verdict(run_["writes_per_s"] >= MIN_WRITES_PER_S)])  # fmt: skip
        rows.append([f"**Errors, every class** [{name}]", "", "", "", "", run_["errors"], "", "",
                     "0 errors", harness.verdict(run_["errors"] == 0)])  # fmt: skip
    seconds = ", ".join(
        f"{name} {run_['seconds']:g} s (last answer at {run_['elapsed']:g} s, "
        f"warm-up {run_.get('warm_up_s', 0):g} s)"
        for name, run_ in mixed["passes"].items()
    )
    head = (
        f"\n### Mixed run: {mixed['clients']} anonymous connections, 2 learners reading, paced "
        f"writes ({seconds})\n\n"
        "Writes are timed from the form's POST to its redirect (the form page before it is not "
        "counted, except a learner's lesson, counted as reading). 'Served from a cache' is who "
        "answered: nginx's cache (X-Cache-Status HIT, or REVALIDATED with a 304 the app answered "
        "from its page cache, as the app counted them: 'app cache'), or the app's page cache "
        "(X-Page-Cache: hit); 'revalidated' alone is nginx's copy after a 304 the app rendered the "
        "page for (not a hit); 'rendered' otherwise. "
        f"Before each window every anonymous address was visited {WARM_UP_VISITS} times, not "
        "counted (a live site's caches are warm; an address's second rendering is the stored one). "
        "Rates are requests started in the window / the window. Queries: in-process, "
        "caches emptied / small caches warm, page cache off (bench/cold_pages.py).\n\n"
    )
    return head + harness.markdown_table(headers, rows, "lrrrrrllll")
