from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Landscape finance: partnerships' investment portfolios and funders' interest in them."""

    name = "finance"
    verbose_name = _("Landscape finance")

    def ready(self) -> None:
        from finance import cache, signal_handlers

        cache.connect()  # the portfolio's and the listing's tags of the page cache
        signal_handlers.connect()  # conversations follow the partnership's coordinators
