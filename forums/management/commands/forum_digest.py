"""Email each member a digest of their unread forum notifications (run it from cron or a
scheduler, e.g. daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from forums.digest import digest_send


class Command(BaseCommand):
    help = "Send the forum notification digest to members with unread, unmailed notifications."

    def handle(self, *args, **options):
        sent = digest_send()
        self.stdout.write(f"Sent {sent} digest email(s).")
