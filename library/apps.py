from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The public knowledge library: home page, case studies and resources."""

    name = "library"
    verbose_name = _("Library")
