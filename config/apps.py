from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package as an app: it wires the others together (page cache invalidation)."""

    name = "config"
    label = "site_config"
    verbose_name = "Landscape Commons"

    def ready(self) -> None:
        from config import signal_handlers

        signal_handlers.connect()
