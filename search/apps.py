from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search across the network, behind an interface with two backends."""

    name = "search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from search import signal_handlers

        signal_handlers.connect()
