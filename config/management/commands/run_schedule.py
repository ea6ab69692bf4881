"""Enqueue the periodic tasks (``config.schedule``) for the task worker, every minute."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from config import schedule


class Command(BaseCommand):
    help = "Enqueue periodic tasks when due (the digest, event reminders); --once for one pass."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--list", action="store_true", help="print the schedule and exit")

    def handle(self, *args, once: bool = False, list: bool = False, **options):
        if list:
            for job in schedule.jobs():
                self.stdout.write(f"{job.name}: every {job.seconds} s")
            return
        if once:
            names = schedule.enqueue_due()
            self.stdout.write(f"Enqueued {len(names)} task(s): {', '.join(names) or 'none due'}.")
            return
        schedule.run_forever()
