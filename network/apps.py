from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """People and their accounts; later partnerships and organisations."""

    name = "network"
    verbose_name = _("Network")
