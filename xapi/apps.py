from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    """xAPI statements about learners' records, kept in an outbox and sent to a Learning Record
    Store by the task worker."""

    name = "xapi"
    verbose_name = _("xAPI statements")

    def ready(self) -> None:
        from config import schedule
        from xapi import signal_handlers, tasks

        signal_handlers.connect()
        schedule.every(600, tasks.sweep_statements)
