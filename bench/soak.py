"""Soak (issue 7): hundreds of live readers and HTTP readers for a minute, nothing lost.

    .venv/bin/python bench/soak.py [--sockets 300] [--topics 6] [--seconds 60] [--http 8]
    bench/run soak [...]                                     # the same
    REDIS_URL=redis://127.0.0.1:6379/14 bench/run soak     # on channels-redis

Against one daphne on a free 127.0.0.1 port, on the cached small data set (bench/run's; made
if missing): ``--sockets`` WebSocket clients spread over ``--topics`` forum topics, one poster
per topic replying through the HTTP form about once a second, and ``--http`` clients reading
pages (a topic, home, a case study, the filtered listing) back to back, all for ``--seconds``.

It reports, and fails (exit 1) unless all hold:
- errors: failed or dropped sockets, failed replies, HTTP answers other than 200: zero;
- delivery: every reply arrived exactly once at every socket of its topic (losses and
  duplicates counted per socket and post) and at no socket of another topic;
- memory: the daphne process's resident memory sampled every few seconds (start, peak, end,
  growth over the second half, to show it is stable; reported, not judged).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


async def soak(port: int, facts: dict, poster_session: str, options) -> dict:
    topics = facts["topic_ids"][: options.topics]
    errors: dict[str, int] = {"socket_connect": 0, "socket_dropped": 0, "reply": 0, "http": 0}
    opened = await harness.open_readers(
        port, [topics[n % len(topics)] for n in range(options.sockets)]
    )
    everyone, tasks, errors["socket_connect"] = opened.readers, opened.tasks, opened.failed
    readers: dict[int, list[harness.TopicReader]] = {topic: [] for topic in topics}
    for reader in everyone:
        readers[reader.topic_id].append(reader)
    dropped_before = sum(1 for reader in everyone if reader.closed)
    posted: dict[int, list[tuple[int, float]]] = {topic: [] for topic in topics}
    http = {"requests": 0, "latencies": []}
    stop_at = time.perf_counter() + options.seconds
    paths = [facts["paths"][key] for key in ("topic", "case_study", "listing")] + ["/"]

    async def post_loop(topic: int) -> None:
        poster = harness.TopicPoster(port, topic, poster_session)
        await poster.prepare()
        rng = random.Random(topic)
        number = 0
        while time.perf_counter() < stop_at:
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            sent = time.perf_counter()
            try:
                post_id = await asyncio.wait_for(poster.reply(f"Soak {topic}/{number}"), 30)
                posted[topic].append((post_id, sent))
            except (RuntimeError, OSError, TimeoutError, asyncio.IncompleteReadError):
                errors["reply"] += 1
                poster.form.close()
            number += 1

    async def http_loop(offset: int) -> None:
        connection = harness.HttpConnection(port)
        number = offset
        while time.perf_counter() < stop_at:
            path = paths[number % len(paths)]
            number += 1
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(connection.request("GET", path), 30)
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                errors["http"] += 1
                connection.close()
                continue
            if response.status != 200:
                errors["http"] += 1
            http["requests"] += 1
            http["latencies"].append((time.perf_counter() - started) * 1000)
        connection.close()

    began = time.perf_counter()
    await asyncio.gather(
        *(post_loop(topic) for topic in topics), *(http_loop(n) for n in range(options.http))
    )
    # Let the last replies reach everyone (bounded).
    deadline = time.perf_counter() + 15
    while time.perf_counter() < deadline and not all(
        post_id in reader.arrivals
        for topic, group in readers.items()
        for reader in group
        for post_id, _sent in posted[topic]
    ):
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - began
    expected = lost = delivered = misrouted = 0
    latencies: list[float] = []
    for topic, group in readers.items():
        own = dict(posted[topic])
        others = {post_id for t, posts in posted.items() if t != topic for post_id, _ in posts}
        for reader in group:
            for post_id, sent in own.items():
                expected += 1
                if post_id in reader.arrivals:
                    delivered += 1
                    latencies.append((reader.arrivals[post_id] - sent) * 1000)
                else:
                    lost += 1
            misrouted += len(others & reader.arrivals.keys())
    errors["socket_dropped"] = sum(1 for reader in everyone if reader.closed) - dropped_before
    errors["socket_dropped_while_connecting"] = dropped_before
    for reader in everyone:
        reader.socket.close()
    for task in tasks:
        task.cancel()
    return {
        "sockets": len(everyone),
        "topics": len(topics),
        "seconds": round(elapsed, 1),
        "posts": sum(len(posts) for posts in posted.values()),
        "expected_deliveries": expected,
        "delivered": delivered,
        "lost": lost,
        "duplicates": sum(reader.duplicates for reader in everyone),
        "misrouted": misrouted,
        "delivery_p50_ms": round(harness.percentile(latencies, 0.5), 1),
        "delivery_p99_ms": round(harness.percentile(latencies, 0.99), 1),
        "http_requests": http["requests"],
        "http_p50_ms": round(harness.percentile(http["latencies"], 0.5), 1),
        "http_p99_ms": round(harness.percentile(http["latencies"], 0.99), 1),
        "errors": errors,
        "connect_retries": opened.retries,
        "connect_failure_kinds": opened.reasons,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=300)
    parser.add_argument("--topics", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--http", type=int, default=8, help="concurrent HTTP readers")
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument("--interval", type=float, default=5.0, help="memory sampling (s)")
    options = parser.parse_args()

    folder, database_url, facts = harness.dataset(options.scale, regenerate=False)
    facts["paths"].setdefault("home", "/")
    env = harness.server_env(folder, database_url)
    layer = "redis" if env.get("REDIS_URL") else "in-memory"
    sessions = harness.worker(env, "sessions")
    with harness.Daphne(env, ready_path="/bench/trivial", log=folder / "daphne-soak.log") as server:
        with harness.MemorySampler(server.pid, interval=options.interval) as memory:
            result = asyncio.run(soak(server.port, facts, sessions["poster"], options))
        result["memory"] = memory.summary()
        result["memory_samples"] = memory.samples
    samples = [kib for _at, kib in memory.samples]
    half = samples[len(samples) // 2 :] or [0]
    result["memory"]["second_half_growth_mib"] = round((half[-1] - half[0]) / 1024, 1)
    result["channel_layer"] = layer
    result["database"] = "postgresql" if database_url else "sqlite"
    ok = (
        not any(result["errors"].values())
        and result["lost"] == 0
        and result["duplicates"] == 0
        and result["misrouted"] == 0
        and result["posts"] > 0
    )
    result["ok"] = ok

    output = harness.ROOT / "var" / "bench" / "results"
    output.mkdir(parents=True, exist_ok=True)
    path = output / f"{time.strftime('%Y%m%d-%H%M%S')}-soak-{result['database']}-{layer}.json"
    path.write_text(json.dumps(result, indent=2))

    errors = ", ".join(f"{name} {count}" for name, count in result["errors"].items())
    m = result["memory"]
    print(
        f"### Soak: {result['sockets']} sockets in {result['topics']} topics + "
        f"{options.http} HTTP readers, {result['seconds']:.0f} s, {result['database']}, "
        f"{layer} channel layer\n"
    )
    print(
        harness.markdown_table(
            ["Figure", "Value", "Requirement", "Result"],
            [
                ["Errors", errors, "all zero", harness.verdict(not any(result["errors"].values()))],
                ["Handshakes retried (then connected)", result["connect_retries"], "", ""],
                ["Replies posted", result["posts"], "> 0", harness.verdict(result["posts"] > 0)],
                ["Deliveries expected / made", f"{result['expected_deliveries']:,} / "
                 f"{result['delivered']:,}", "equal", harness.verdict(result["lost"] == 0)],
                ["Lost", result["lost"], "0", harness.verdict(result["lost"] == 0)],
                ["Duplicates", result["duplicates"], "0", harness.verdict(result["duplicates"] == 0)],
                ["Delivered to another topic", result["misrouted"], "0",
                 harness.verdict(result["misrouted"] == 0)],
                ["Delivery p50 / p99", f"{result['delivery_p50_ms']} / "
                 f"{result['delivery_p99_ms']} ms", "", ""],
                ["HTTP reads, p50 / p99", f"{result['http_requests']:,}, "
                 f"{result['http_p50_ms']} / {result['http_p99_ms']} ms", "", ""],
                ["daphne RSS start / peak / end", f"{m['start_mib']:.0f} / {m['peak_mib']:.0f} / "
                 f"{m['end_mib']:.0f} MiB", "stable", ""],
                ["RSS growth over the second half", f"{m['second_half_growth_mib']} MiB", "", ""],
            ],
            "lrll",
        )
    )  # fmt: skip
    over_time = ", ".join(f"{at:.0f}s {kib / 1024:.0f}" for at, kib in memory.samples)
    print(f"\nRSS over time (MiB): {over_time}")
    print(f"\n{'PASS' if ok else 'FAIL'}; JSON: {path.relative_to(harness.ROOT)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
