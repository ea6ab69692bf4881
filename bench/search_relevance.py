"""Relevance check of the network search: nDCG@10 and MRR over judged queries, per backend.

Run on demand (never in the test suite):

    .venv/bin/python bench/search_relevance.py
    .venv/bin/python bench/search_relevance.py --postgres postgres://postgres@127.0.0.1:5432/landscape_relevance
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search_relevance.py

What it does: for each backend it builds a throwaway database (SQLite in a temporary
directory; with ``--postgres`` also a fresh PostgreSQL database named after the URL's with a
random suffix, dropped at the end), runs ``manage.py migrate`` and ``manage.py seed_demo`` (whose
last step rebuilds the search index), then re-runs this file as a worker with that environment:
the worker calls ``django.setup()``, resolves every judged document of
``bench/relevance_judgments.json`` to its search keys, asks ``search.query`` each judged query
as an anonymous visitor in the query's language (10 hits) and scores the hits. The database
backend always runs (SQLite FTS5, and PostgreSQL tsvector with ``--postgres``); Elasticsearch
runs when ``ELASTICSEARCH_URL`` is set (its indices get a random prefix and are deleted at the
end). Only 127.0.0.1 / localhost services are accepted.

The judgments were written from the demo content before any search was run. Each judged
document has a grade: 3 = exactly what the visitor wants, 2 = clearly relevant, 1 = somewhat
related; everything else counts 0. Pages are named by slug, so every translation of a page is
the same document; a forum topic is named by title and a hit on one of its replies counts as
that topic; a live dialogue is named by title and its archived topic (with replies) counts as
that dialogue. A document counts once, at its best (first) rank: a second translation of it in the
same list earns nothing.

The numbers:

* nDCG@10: DCG = sum of grade / log2(rank + 1) over the first 10 hits, divided by the DCG of
  the ideal ordering of the judged documents (1.0 = the best possible top 10; 0 = nothing
  judged relevant in it).
* RR: 1 / rank of the first hit graded 2 or 3 (0 when none is in the top 10); MRR is its mean.
* P@5 (for information): share of the first 5 hits that are judged relevant (any grade).
* "first" is the rank of the first hit graded 2 or 3 (the one RR uses).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

ROOT = harness.ROOT
PYTHON = harness.PYTHON
JUDGMENTS = Path(__file__).with_name("relevance_judgments.json")
WORKER_ENV = "BENCH_RELEVANCE_WORKER"  # "query" or "clear": this process is a worker
OUTPUT_ENV = "BENCH_RELEVANCE_OUTPUT"  # where a query worker writes its JSON
K = 10
STRONG = 2  # the grade from which a hit counts for RR and "first"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SETUP_TIMEOUT = 900  # seconds for migrate + seed_demo
WORKER_TIMEOUT = 600


# --- Scoring (pure) ----------------------------------------------------------------------


def dcg(gains: list[int]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains[:K], start=1))


def score(
    hit_keys: list[str], key_to_doc: dict[str, str], grades: dict[str, int]
) -> dict[str, float | int | None]:
    """nDCG@10, RR, first strong rank and P@5 for one ranked list of hit keys."""
    seen: set[str] = set()
    gains: list[int] = []
    for key in hit_keys[:K]:
        doc = key_to_doc.get(key)
        if doc is None or doc in seen:
            gains.append(0)
            continue
        seen.add(doc)
        gains.append(grades.get(doc, 0))
    ideal = dcg(sorted(grades.values(), reverse=True))
    first = next((rank for rank, gain in enumerate(gains, start=1) if gain >= STRONG), None)
    return {
        "ndcg": dcg(gains) / ideal if ideal else 0.0,
        "rr": 1.0 / first if first else 0.0,
        "first": first,
        "p5": sum(1 for gain in gains[:5] if gain > 0) / 5,
    }


# --- Worker: runs inside Django with the prepared database ---------------------------------


def doc_id(judged: dict) -> str:
    return f"{judged['kind']}:{judged.get('slug') or judged.get('title')}"


def resolve(judged: dict) -> set[str]:
    """Every search key that stands for one judged document (all translations, all replies)."""
    from courses.models import CoursePage
    from forums.models import DialogueSession, Post, Topic
    from library.models import CaseStudyPage, ResourcePage
    from network.models import LandscapePartnership, Organisation
    from search.sources import document_key

    by_slug = {
        "case_study": CaseStudyPage,
        "resource": ResourcePage,
        "course": CoursePage,
        "partnership": LandscapePartnership,
        "organisation": Organisation,
    }
    kind = judged["kind"]
    if kind in by_slug:
        objects = list(by_slug[kind].objects.filter(slug=judged["slug"]))
    elif kind == "topic":
        topics = list(Topic.objects.filter(title=judged["title"]))
        objects = [*topics, *Post.objects.filter(topic__in=topics)]
    elif kind == "dialogue":
        sessions = list(DialogueSession.objects.filter(title=judged["title"]))
        # An ended session is archived as a forum topic ("Live dialogue: <title>"): its record.
        topics = [session.archived_topic for session in sessions if session.archived_topic_id]
        objects = [*sessions, *topics, *Post.objects.filter(topic__in=topics)]
    else:
        raise SystemExit(f"Unknown judged kind {kind!r}")
    return {document_key(obj) for obj in objects}


def describe_backend() -> str:
    from django.conf import settings
    from django.db import connection

    name = settings.SEARCH["BACKEND"]
    if name == "database":
        vendor = {"sqlite": "SQLite FTS5", "postgresql": "PostgreSQL tsvector"}
        return f"database ({vendor.get(connection.vendor, connection.vendor)})"
    return name


def worker_query(output: Path, verbose: bool) -> None:
    from django.contrib.auth.models import AnonymousUser

    import search
    from search.backends import get_backend

    judgments = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    indexed = get_backend().keys()
    key_to_doc: dict[str, str] = {}
    unresolved: list[str] = []
    not_indexed: set[str] = set()
    for item in judgments["queries"]:
        for judged in item["relevant"]:
            keys = resolve(judged)
            if not keys:
                unresolved.append(doc_id(judged))
            elif not keys & indexed:
                not_indexed.add(doc_id(judged))
            key_to_doc.update(dict.fromkeys(keys, doc_id(judged)))
    if unresolved:
        raise SystemExit(f"Judged documents missing from the demo content: {sorted(unresolved)}")

    user = AnonymousUser()
    rows = []
    started = time.perf_counter()
    for item in judgments["queries"]:
        grades = {doc_id(judged): judged["grade"] for judged in item["relevant"]}
        results = search.query(item["query"], user=user, language=item["language"], per_page=K)
        keys = [hit.key for hit in results.hits]
        row = {"query": item["query"], "language": item["language"], "total": results.total}
        row.update(score(keys, key_to_doc, grades))
        if verbose:
            row["hits"] = [
                f"{hit.key} [{grades.get(key_to_doc.get(hit.key, ''), 0)}] {hit.title}"
                for hit in results.hits
            ]
        rows.append(row)
    elapsed = time.perf_counter() - started
    output.write_text(
        json.dumps(
            {
                "backend": describe_backend(),
                "rows": rows,
                "query_seconds": elapsed,
                "not_indexed": sorted(not_indexed),
            }
        ),
        encoding="utf-8",
    )


def worker_main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if os.environ[WORKER_ENV] == "clear":
        from search.backends import get_backend

        get_backend().clear()
        return
    worker_query(Path(os.environ[OUTPUT_ENV]), verbose="--verbose" in sys.argv)


# --- Driver --------------------------------------------------------------------------------


def check_loopback(url: str, what: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"{what} must be on 127.0.0.1 (got host {host!r}).")


def base_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("REDIS_URL", "ELASTICSEARCH_URL", "SEARCH_INDEX_PREFIX", "DJANGO_ENV"):
        env.pop(name, None)
    env.update(
        {
            "MEDIA_ROOT": str(tmp / "media"),
            "TASKS_BACKEND": "immediate",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    return env


def prepare(env: dict[str, str]) -> float:
    """migrate + seed_demo (which rebuilds the search index); returns the seconds taken."""
    started = time.perf_counter()
    harness.manage(env, "migrate", "--noinput", "-v0", timeout=SETUP_TIMEOUT)
    harness.manage(env, "seed_demo", timeout=SETUP_TIMEOUT)
    return time.perf_counter() - started


def run_worker(env: dict[str, str], mode: str, tmp: Path, verbose: bool) -> dict | None:
    output = tmp / f"result-{secrets.token_hex(4)}.json"
    argv = [PYTHON, str(Path(__file__).resolve()), *(["--verbose"] if verbose else [])]
    subprocess.run(
        argv,
        cwd=ROOT,
        env={**env, WORKER_ENV: mode, OUTPUT_ENV: str(output)},
        check=True,
        timeout=WORKER_TIMEOUT,
    )
    return json.loads(output.read_text(encoding="utf-8")) if mode == "query" else None


def measure(env: dict[str, str], tmp: Path, verbose: bool) -> dict:
    setup = prepare(env)
    result = run_worker(env, "query", tmp, verbose)
    assert result is not None
    result["setup_seconds"] = setup
    return result


def with_postgres(url: str, env: dict[str, str], tmp: Path, verbose: bool) -> dict:
    """A fresh database on the URL's server (name + random suffix), dropped afterwards."""
    import psycopg
    from psycopg import sql

    check_loopback(url, "--postgres")
    parts = urlsplit(url)
    name = f"{(parts.path.lstrip('/') or 'landscape_relevance')}_{secrets.token_hex(3)}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        database_url = urlunsplit(parts._replace(path=f"/{name}"))
        result = measure({**env, "DATABASE_URL": database_url}, tmp, verbose)
        result["database_name"] = name
        return result
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def with_elasticsearch(url: str, env: dict[str, str], tmp: Path, verbose: bool) -> dict:
    check_loopback(url, "ELASTICSEARCH_URL")
    es_env = {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench-es.sqlite3'}",
        "ELASTICSEARCH_URL": url,
        "SEARCH_INDEX_PREFIX": f"bench-relevance-{secrets.token_hex(4)}",
    }
    try:
        return measure(es_env, tmp, verbose)
    finally:
        run_worker(es_env, "clear", tmp, verbose=False)


def fmt(value: float) -> str:
    return f"{value:.3f}"


def report(result: dict, verbose: bool) -> None:
    rows = result["rows"]
    count = len(rows)
    print(f"\n### {result['backend']}: {count} judged queries\n")
    print("| # | query | lang | nDCG@10 | RR | first relevant | P@5 | total hits |")
    print("|---:|---|---|---:|---:|---:|---:|---:|")
    for number, row in enumerate(rows, start=1):
        first = row["first"] if row["first"] else "-"
        print(
            f"| {number} | {row['query']} | {row['language']} | {fmt(row['ndcg'])} "
            f"| {fmt(row['rr'])} | {first} | {fmt(row['p5'])} | {row['total']} |"
        )
    means = {name: sum(row[name] for row in rows) / count for name in ("ndcg", "rr", "p5")}
    result["means"] = means
    print(
        f"| | **mean** | | **{fmt(means['ndcg'])}** | **{fmt(means['rr'])}** (MRR) | "
        f"| {fmt(means['p5'])} | |"
    )
    worst = sorted(rows, key=lambda row: (row["ndcg"], row["rr"]))[:5]
    print("\nWorst 5 by nDCG@10: " + "; ".join(f"{r['query']} ({fmt(r['ndcg'])})" for r in worst))
    if result["not_indexed"]:
        print(f"\nJudged but not in the index: {', '.join(result['not_indexed'])}")
    print(
        f"\nSetup (migrate + seed_demo + index): {result['setup_seconds']:.1f} s; "
        f"{count} queries: {result['query_seconds']:.2f} s "
        f"({1000 * result['query_seconds'] / count:.0f} ms each)."
    )
    if verbose:
        for row in rows:
            print(f"\n{row['query']} ({row['language']}):")
            for line in row["hits"]:
                print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on PostgreSQL: postgres://postgres@127.0.0.1:5432/<name> "
        "(a fresh database <name>_<random> is created and dropped)",
    )
    parser.add_argument("--verbose", action="store_true", help="print each query's hits")
    args = parser.parse_args()

    judgments = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    print(
        f"# Search relevance: {len(judgments['queries'])} judged queries "
        f"({JUDGMENTS.relative_to(ROOT)}; written before results: "
        f"{judgments.get('written_before_results')})"
    )
    started = time.perf_counter()
    results: list[dict] = []
    failures: list[str] = []

    def attempt(label: str, run: Callable[[], dict]) -> None:
        try:
            results.append(run())
        except (SystemExit, subprocess.SubprocessError, OSError) as error:
            failures.append(label)
            print(f"\n### {label}: FAILED\n\n```\n{error}\n```")
            return
        report(results[-1], args.verbose)

    with tempfile.TemporaryDirectory(prefix="lc-relevance-") as directory:
        tmp = Path(directory)
        env = base_env(tmp)
        sqlite_env = {**env, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}"}
        attempt("database (SQLite)", lambda: measure(sqlite_env, tmp, args.verbose))
        if args.postgres:
            attempt(
                "database (PostgreSQL)",
                lambda: with_postgres(args.postgres, env, tmp, args.verbose),
            )
        elasticsearch_url = os.environ.get("ELASTICSEARCH_URL", "").strip()
        if elasticsearch_url:
            attempt(
                "elasticsearch",
                lambda: with_elasticsearch(elasticsearch_url, env, tmp, args.verbose),
            )
        else:
            print("\nElasticsearch: skipped (ELASTICSEARCH_URL is not set).")

    print("\n### Summary\n")
    summary = []
    for result in results:
        means = result["means"]
        per_query = 1000 * result["query_seconds"] / len(result["rows"])
        summary.append([
            result["backend"], fmt(means["ndcg"]), fmt(means["rr"]), fmt(means["p5"]),
            f"{result['setup_seconds']:.1f}", f"{per_query:.0f}",
        ])  # fmt: skip
    summary += [[label, "failed", "", "", "", ""] for label in failures]
    print(
        harness.markdown_table(["backend", "nDCG@10", "MRR", "P@5", "setup s", "query ms"], summary)
    )
    print(f"\nTotal time: {time.perf_counter() - started:.0f} s.")
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    if os.environ.get(WORKER_ENV):
        worker_main()
    else:
        main()
