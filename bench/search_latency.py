"""Search latency and indexing throughput of the database backend at scale.

Run on demand (never in the test suite):

    .venv/bin/python bench/search_latency.py [--documents 100000] [--queries 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/landscape_bench .venv/bin/python bench/search_latency.py

It builds a throwaway database (SQLite in a temporary folder unless ``DATABASE_URL`` names a
PostgreSQL database, which is created and dropped), generates documents from a landscape
vocabulary with places, themes and audiences, rebuilds the index with them (indexing
throughput), then times plain, faceted and geo queries as an anonymous visitor and as a
partnership member, and prints a Markdown table with p50/p95 per kind of query.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

WORDS = (
    "restoration agroforestry watershed terraces erosion soil water fund finance governance "
    "cocoa coffee shade trees seedlings nursery mangroves peatland rewetting canal grazing "
    "cooperative women income value chain market certification carbon biodiversity forest "
    "grassland wetland river spring drought rainfall monitoring plots survey farmers clans "
    "tenure rights mapping planning budget partnership dialogue training youth school "
    "livestock fodder honey cork dates oasis irrigation khettara buffer riparian fire"
).split()
REGIONS = ["africa", "asia", "europe", "latin-america", "middle-east", "north-america", "oceania"]
THEMES = [
    "restoration",
    "agroforestry",
    "watershed-management",
    "value-chains",
    "governance",
    "finance",
]
KINDS = ["case_study", "resource", "topic", "post", "lesson", "course", "partnership"]


def generate(count: int, seed: int = 7):
    from search.types import MEMBERS, PUBLIC, SearchDocument, partnership_audience

    rng = random.Random(seed)
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for number in range(count):
        words = rng.choices(WORDS, k=60)
        located = rng.random() < 0.4
        audience = rng.choices(
            [PUBLIC, MEMBERS, partnership_audience(rng.randint(1, 50))], weights=[80, 10, 10]
        )[0]
        yield SearchDocument(
            key=f"bench.doc:{number}",
            kind=rng.choice(KINDS),
            title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
            url=f"/bench/{number}/",
            language=rng.choice(["en", "en", "en", "es", "fr", "pt"]),
            summary=" ".join(words[:20]),
            body=" ".join(words),
            audience=audience,
            date=start + datetime.timedelta(hours=number),
            region=rng.choice(REGIONS),
            country=rng.choice(["KE", "ID", "PE", "BR", "MA", "FJ", "PT", "US"]),
            year=rng.randint(2012, 2025),
            themes=tuple(rng.sample(THEMES, 2)),
            tags=tuple(rng.sample(WORDS, 2)),
            latitude=rng.uniform(-40, 50) if located else None,
            longitude=rng.uniform(-120, 150) if located else None,
        )


def run(documents: int, queries: int) -> None:
    import django

    django.setup()
    from django.db import connection

    from search.backends import get_backend
    from search.types import FACETS, BoundingBox, SearchRequest, partnership_audience

    backend = get_backend()
    print(f"Indexing {documents:,} generated documents on {connection.vendor}...", file=sys.stderr)
    began = time.perf_counter()

    def progress(done: int) -> None:
        if done % 10_000 == 0:
            print(f"  {done:,}", file=sys.stderr)

    indexed = backend.rebuild(generate(documents), progress=progress)
    indexing_seconds = time.perf_counter() - began

    rng = random.Random(11)
    anonymous = ("public",)
    member = ("public", "members", partnership_audience(3))
    cases = {
        "plain, 1 word": lambda: SearchRequest(
            text=rng.choice(WORDS), audiences=anonymous, facets=()
        ),
        "plain, 2 words": lambda: SearchRequest(
            text=" ".join(rng.sample(WORDS, 2)), audiences=anonymous, facets=()
        ),
        "faceted (8 facets + region filter)": lambda: SearchRequest(
            text=rng.choice(WORDS),
            audiences=member,
            facets=FACETS,
            filters={"region": (rng.choice(REGIONS),)},
        ),
        "geo box, no words": lambda: SearchRequest(
            audiences=anonymous,
            facets=(),
            geo=BoundingBox(south=-10, west=20, north=10, east=50),
        ),
        "geo box + word": lambda: SearchRequest(
            text=rng.choice(WORDS),
            audiences=anonymous,
            facets=(),
            geo=BoundingBox(south=-10, west=20, north=10, east=50),
        ),
    }
    rows = []
    for name, make in cases.items():
        backend.query(make())  # warm
        timings = []
        for _ in range(queries):
            request = make()
            started = time.perf_counter()
            backend.query(request)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            (
                name,
                harness.percentile(timings, 0.5),
                harness.percentile(timings, 0.95),
                max(timings),
            )
        )

    print(
        f"\nDatabase search backend on {connection.vendor}, {indexed:,} documents, "
        f"{queries} queries per row\n"
    )
    print(
        f"Indexing (rebuild): {indexed / indexing_seconds:,.0f} documents/s ({indexing_seconds:.1f} s)\n"
    )
    print(
        harness.markdown_table(
            ["query", "p50 ms", "p95 ms", "max ms", "budget p95 < 50 ms"],
            [
                [
                    name,
                    harness.ms(p50),
                    harness.ms(p95),
                    harness.ms(worst),
                    harness.verdict(p95 < 50),
                ]
                for name, p50, p95, worst in rows
            ],
            "lrrrl",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run(args.documents, args.queries)
        return

    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        env = harness.site_env(VAR_DIR=folder)
        database_url = os.environ.get("DATABASE_URL", "")
        created = ""
        if database_url.startswith("postgres"):
            import psycopg

            base, _name = database_url.rsplit("/", 1)
            created = f"bench_search_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{created}"')
            env["DATABASE_URL"] = f"{base}/{created}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        try:
            subprocess.run(
                [harness.PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=harness.ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            subprocess.run(
                [
                    harness.PYTHON,
                    __file__,
                    "--inner",
                    "--documents",
                    str(args.documents),
                    "--queries",
                    str(args.queries),
                ],
                cwd=harness.ROOT,
                env=env,
                check=True,
            )
        finally:
            if created:
                import psycopg

                with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


if __name__ == "__main__":
    main()
