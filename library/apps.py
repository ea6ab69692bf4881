from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The public knowledge library: home page, case studies and resources."""

    name = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from library import cache, signal_handlers

        signal_handlers.connect()  # a partnership's followers hear of its case studies
        cache.connect()  # the page tree's and the vocabularies' tags of the page cache

        from library.selectors import case_studies_recommended_for, partnership_case_studies
        from network.home import HomeSection, add_section

        add_section(
            HomeSection(
                name="case_studies",
                template="network/home/case_studies.html",
                read=partnership_case_studies,
                tags=("pages",),
                order=40,
            )
        )
        add_section(
            HomeSection(
                name="recommended",
                template="network/home/recommended.html",
                read=case_studies_recommended_for,
                tags=("pages", "vocabularies"),
                order=90,
            )
        )
