"""Fan-out of live forum posts: N WebSocket readers in one topic, served by a real daphne.

    .venv/bin/python bench/forums_fanout.py --clients 200 --posts 20            # in-memory layer
    .venv/bin/python bench/forums_fanout.py --clients 200 --posts 20 --redis    # channels-redis

Starts daphne on a fresh SQLite database (VAR_DIR in a temporary folder), opens N sockets on
one topic, then posts replies one after another through daphne's HTTP side (a moderator's form
post, like a browser). For each reply it measures, per reader, the time from sending the form
to receiving the ``post.created`` frame. Prints a Markdown table: deliveries per second,
p50/p99 delivery latency, the first socket's latency per post (mostly the reply request) and
the first-to-last spread per post (the fan-out itself), then the channel layer's raw
group_send to as many channels in the same run (``bench/worker.py groupsend``). Never run as a
test. ``bench/run`` measures the same at scale.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from forums.models import Category
from forums.services import topic_create
from network.models import User
user = User.objects.create_user(username="bench", email="bench@example.org", password="x" * 12, is_staff=True)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
category = Category.objects.create(name="Bench", slug="bench")
topic = topic_create(author=user, category=category, title="Fan-out", body="Start")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print(topic.pk, session.session_key)
"""


async def measure(port: int, topic_id: int, session_key: str, clients: int, posts: int):
    opened = await harness.open_readers(port, [topic_id] * clients)
    readers, tasks = opened.readers, opened.tasks
    await asyncio.sleep(2)  # let the presence chatter of all those joins settle
    poster = harness.TopicPoster(port, topic_id, session_key)
    await poster.prepare()
    latencies: list[float] = []
    deliveries: list[float] = []  # broadcast -> frame (bench mode's ``sent_at``), in ms
    # Per post: the first socket's latency (mostly the reply request) and first-to-last
    # (the fan-out itself), to tell the two costs apart.
    firsts: list[float] = []
    spreads: list[float] = []
    started = time.perf_counter()
    lost = 0
    for number in range(posts):
        sent = time.perf_counter()
        post_id = await poster.reply(f"Bench post {number} {secrets.token_hex(2)}")
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not all(post_id in r.arrivals for r in readers):
            await asyncio.sleep(0.005)
        arrived = [r.arrivals[post_id] - sent for r in readers if post_id in r.arrivals]
        deliveries.extend(r.delivery_ms[post_id] for r in readers if post_id in r.delivery_ms)
        latencies.extend(arrived)
        lost += len(readers) - len(arrived)
        if arrived:
            firsts.append(min(arrived))
            spreads.append(max(arrived) - min(arrived))
    elapsed = max(max(r.arrivals.values()) for r in readers if r.arrivals) - started
    for reader in readers:
        reader.socket.close()
    for task in tasks:
        task.cancel()
    duplicates = sum(r.duplicates for r in readers)
    return latencies, elapsed, lost, firsts, spreads, deliveries, duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--redis", action="store_true", help="use channels-redis")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="forums-bench-") as var_dir:
        env = harness.site_env(VAR_DIR=var_dir, BENCH_MODE="true")
        if args.redis:
            prefix = f"bench{secrets.token_hex(3)}"
            env.update(REDIS_URL=args.redis_url, CHANNELS_PREFIX=prefix, CACHE_KEY_PREFIX=prefix)
        harness.manage(env, "migrate", "--noinput", "-v0")
        topic_id, session_key = harness.manage(env, "shell", "-c", SETUP).split()[-2:]
        with harness.Daphne(env) as server:
            latencies, elapsed, lost, firsts, spreads, deliveries, duplicates = asyncio.run(
                measure(server.port, int(topic_id), session_key, args.clients, args.posts)
            )
        # The layer's own ceiling in the same run: the machine is shared and noisy.
        raw = harness.worker(
            env, "groupsend", "--receivers", str(args.clients), "--messages", str(args.posts)
        )
    layer = "channels-redis" if args.redis else "in-memory"
    delivered = len(latencies)
    print(
        harness.markdown_table(
            ["layer", "clients", "posts", "deliveries", "lost", "dup", "deliveries/s", "posts/s",
             "p50 ms", "p99 ms", "broadcast -> frame p50 ms", "p99 ms", "first p50 ms",
             "first-to-last p50 ms"],
            [[layer, args.clients, args.posts, delivered, lost, duplicates,
              f"{delivered / elapsed:.0f}", f"{args.posts / elapsed:.2f}",
              f"{harness.percentile(latencies, 0.5) * 1000:.0f}",
              f"{harness.percentile(latencies, 0.99) * 1000:.0f}",
              f"{harness.percentile(deliveries, 0.5):.0f}" if deliveries else "?",
              f"{harness.percentile(deliveries, 0.99):.0f}" if deliveries else "?",
              f"{harness.percentile(firsts, 0.5) * 1000:.0f}",
              f"{harness.percentile(spreads, 0.5) * 1000:.0f}"]],
        )
    )  # fmt: skip
    print(
        f"\nRaw group_send to {raw['receivers']} channels ({raw['layer']}, same run): "
        f"{raw['deliveries_per_s']} deliveries/s, p50 {raw['p50_ms']} ms, p99 {raw['p99_ms']} ms"
    )


if __name__ == "__main__":
    main()
