from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """People, organisations and landscape partnerships."""

    name = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from network import cache, signal_handlers

        signal_handlers.connect()
        cache.connect()  # the network's tags of the page cache
