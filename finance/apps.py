from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Landscape finance: partnerships' investment portfolios and funders' interest in them."""

    name = "finance"
    verbose_name = _("Landscape finance")

    def ready(self) -> None:
        from finance import cache

        cache.connect()  # the portfolio's and the listing's tags of the page cache
