"""``credentials_key generate`` prints a new key for ``CREDENTIALS_SIGNING_KEY``;
``credentials_key rotate`` retires the stored key and signs with a new one from now on;
``credentials_key list`` shows the keys the DID document publishes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from credentials import keys, services
from credentials.models import SigningKey


class Command(BaseCommand):
    help = "Generate, rotate or list the keys that sign Open Badges credentials."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["generate", "rotate", "list"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "generate":
            self.stdout.write(keys.generate_seed())
        elif action == "rotate":
            try:
                key = services.signing_key_rotate()
            except services.CredentialError as error:
                raise CommandError(error.message) from error
            self.stdout.write(f"Now signing with {keys.verification_method(key.key_id)}")
        else:
            for key in SigningKey.objects.order_by(
                F("active").desc(nulls_last=True), "-created_at"
            ):
                state = "active" if key.is_active else f"retired {key.retired_at:%Y-%m-%d}"
                self.stdout.write(f"{keys.verification_method(key.key_id)}  {key.source}  {state}")
