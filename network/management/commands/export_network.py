"""manage.py export_network <partnership-slug> [-o file.json]: a partnership's content as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.exchange import network_export
from network.models import LandscapePartnership


class Command(BaseCommand):
    help = "Export a landscape partnership and its private content (forums, dialogues) to JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="the partnership's slug")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, slug: str, output: str | None = None, **options) -> None:
        partnership = LandscapePartnership.objects.filter(slug=slug).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {slug!r}.")
        text = json.dumps(network_export(partnership=partnership), indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Exported {partnership.name} to {output}")
        else:
            self.stdout.write(text)
