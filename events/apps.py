from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Workshops, field visits and live dialogues as Wagtail pages; registrations, the waiting
    list and calendar feed tokens in ordinary models keyed to the page's translation key."""

    name = "events"
    verbose_name = _("Events")
