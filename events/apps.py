from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Workshops, field visits and live dialogues as Wagtail pages; registrations, the waiting
    list and calendar feed tokens in ordinary models keyed to the page's translation key."""

    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from config import schedule
        from events import tasks
        from events.mail import REMINDER
        from events.signal_handlers import connect
        from network.mail import add_optional_kind

        connect()
        add_optional_kind(REMINDER, _("Reminders the day before an event you registered for"))
        schedule.every(3600, tasks.send_reminders)

        from events.selectors import partnership_events
        from network.home import HomeSection, add_section

        # Events are pages: publishing, cancelling or unpublishing one bumps "pages".
        add_section(
            HomeSection(
                name="events",
                template="network/home/events.html",
                read=partnership_events,
                tags=("pages",),
                order=20,
            )
        )
