from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The public knowledge library: home page, case studies and resources."""

    name = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from library import cache

        cache.connect()  # the page tree's and the vocabularies' tags of the page cache
