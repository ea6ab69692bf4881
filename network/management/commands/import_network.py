"""manage.py import_network file.json: create a partnership and its content from an export.

All or nothing: a bad file or a conflict (the partnership or a category already exists) gives
a clear error and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.exchange import ExchangeError, network_import


class Command(BaseCommand):
    help = "Import a partnership exported with export_network (refuses on any conflict)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the JSON file written by export_network")
        parser.add_argument(
            "--create-missing-users",
            action="store_true",
            help="create accounts (without a password) for people who have none here",
        )

    def handle(self, *args, file: str, create_missing_users: bool = False, **options) -> None:
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        except (UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}.") from error
        try:
            report = network_import(data=data, create_missing_users=create_missing_users)
        except ExchangeError as error:
            raise CommandError(f"{file}: {error}") from error
        counts = ", ".join(f"{number} {what}" for what, number in sorted(report.counts.items()))
        self.stdout.write(f"Imported {report.partnership.name} ({counts or 'no content'}).")
        if report.created_users:
            self.stdout.write(
                "Accounts created without a password (they can reset it): "
                + ", ".join(report.created_users)
            )
