"""Compare the search index with the database and report (or fix) the difference."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import indexing


class Command(BaseCommand):
    help = "Report documents missing from the search index or left in it after deletion."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Index the missing, remove the stale."
        )

    def handle(self, *args, fix: bool = False, **options):
        difference = indexing.drift()
        missing, stale = sorted(difference["missing"]), sorted(difference["stale"])
        for key in missing:
            self.stdout.write(f"missing: {key}")
        for key in stale:
            self.stdout.write(f"stale:   {key}")
        if not missing and not stale:
            self.stdout.write(self.style.SUCCESS("The search index matches the database."))
            return
        if fix:
            for key in missing:
                label, pk = key.rsplit(":", 1)
                indexing.reindex(label, pk)
            for key in stale:
                indexing.remove(key)
            self.stdout.write(
                self.style.SUCCESS(f"Fixed {len(missing)} missing and {len(stale)} stale.")
            )
            return
        raise CommandError(
            f"{len(missing)} missing and {len(stale)} stale documents; run with --fix "
            "or run search_rebuild."
        )
