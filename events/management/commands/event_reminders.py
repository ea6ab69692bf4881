"""Queue the day-before reminders. Run it every hour (cron, a systemd timer or the compose
worker's scheduler): each registrant is reminded once, between 24 and 23 hours ahead."""

from django.core.management.base import BaseCommand

from events.services import reminders_send


class Command(BaseCommand):
    help = (
        "Mail the day-before reminder to everyone registered for an event starting within 24 hours."
    )

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(f"Queued {count} event reminder(s).")
