"""Send the xAPI statements still pending now (the clock does the same every 10 minutes:
``xapi.tasks.sweep_statements``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xapi import sending


class Command(BaseCommand):
    help = "Send pending xAPI statements to the LRS (XAPI_LRS_URL), oldest first."

    def handle(self, *args, **options) -> None:
        outcome = sending.send_pending(respect_backoff=False)
        left = sending.pending().count()
        self.stdout.write(
            f"Sent {outcome.sent} statement(s), {outcome.rejected} refused by the LRS, "
            f"{left} pending."
        )
        if outcome.failed:
            self.stderr.write("The LRS could not take them now; see the log.")
