"""Rebuild the search index without downtime: fill a new version, then switch to it."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from search import indexing, sources
from search.backends import get_backend


class Command(BaseCommand):
    help = "Build a new search index from the database, then switch queries to it."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet_progress: bool = False, **options):
        backend = get_backend()
        total = sources.count_sources()
        started = time.monotonic()
        show = not quiet_progress and total > 0

        def progress(done: int) -> None:
            if show and (done % 50 == 0 or done == total):
                width = 30
                filled = int(width * min(done, total) / total)
                bar = "#" * filled + "-" * (width - filled)
                sys.stderr.write(f"\r[{bar}] {done}/{total}")
                sys.stderr.flush()

        count = indexing.rebuild(progress=progress)
        if show:
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        rate = count / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} documents on the {backend.name} backend in {elapsed:.1f} s "
                f"({rate:.0f}/s); queries now use the new index."
            )
        )
