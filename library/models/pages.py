"""The public face of the network as Wagtail pages.

The home page is the site root; the case study and resource indexes are its sections and gain
their child page types with the knowledge library.
"""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from config.page_cache import (
    CachedRestrictionsMixin,
    in_restricted_section,
    restricted_sections,
)

__all__ = ["CachedRestrictionsMixin", "restricted_sections"]

INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HomePage(CachedRestrictionsMixin, Page):
    """The front door: what the network is, and where to go next."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CourseIndexPage",
        "events.EventIndexPage",
        "library.CaseStudyIndexPage",
        "library.ResourceIndexPage",
    ]
    max_count_per_parent = 1

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``):
        it is built from the page tree (its latest cards), the vocabularies they name and the
        forums' activity (the latest topics and upcoming dialogues, with their hosts' names)."""
        return ("pages", "vocabularies", "forum.activity", "network.profiles")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Its children are sections of a few known types: one query finds the section with its
        own fields joined in (Django's ``select_related`` of each type's parent link; Wagtail's
        default takes one query for the child, one more for its specific type) and whether a
        view restriction applies to it (``CachedRestrictionsMixin``)."""
        if path_components:
            types = {model: model._meta.model_name for model in self.allowed_subpage_models()}
            section = (
                self.get_children()
                .filter(slug=path_components[0])
                .select_related(*types.values())
                .annotate(restricted_section=in_restricted_section())
                .first()
            )
            if section is not None:
                name = types.get(section.specific_class)
                specific = getattr(section, name, None) if name else None
                if specific is None:  # a type this page no longer allows: Wagtail's way
                    specific = section.specific
                else:
                    specific.restricted_section = section.restricted_section
                return specific.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from library.selectors import latest_case_studies

        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's fragment is rendered (not when it comes from its
        # cache); their card renditions are read with the courses'
        # (``home_sections.featured_course_list``).
        context["recent_case_studies"] = functools.partial(
            latest_case_studies, language_code=get_language(), renditions=False
        )
        return context

    class Meta:
        verbose_name = _("home page")


class ListingPage(CachedRestrictionsMixin, Page):
    """A section that lists its pages with shareable filters (see ``library.filters``)."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["library.HomePage"]
    max_count_per_parent = 1
    per_page = 12

    class Meta:
        abstract = True

    def listing(self, *, filters: dict, language: str):
        raise NotImplementedError

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``):
        it is built from the page tree (its children) and the vocabularies of its filters."""
        return ("pages", "vocabularies")

    def filter_form(self, data):
        raise NotImplementedError

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        form = self.filter_form(request.GET or None)
        filters = form.filters() if request.GET else {}
        pages = self.listing(filters=filters, language=get_language())
        context["filter_form"] = form
        context["filters"] = filters
        context["results"] = Paginator(pages, self.per_page).get_page(request.GET.get("page"))
        return context


# The filters and selectors import the page models of this package, hence the local imports.


class CaseStudyIndexPage(ListingPage):
    """Where visitors browse the partnerships' case studies, as a list and on a map."""

    subpage_types = ["library.CaseStudyPage"]

    def filter_form(self, data):
        from library.filters import CaseStudyFilterForm

        return CaseStudyFilterForm(data)

    def listing(self, *, filters: dict, language: str):
        from library.selectors import case_study_listing

        return case_study_listing(filters=filters, language_code=language)

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``):
        it is built from the page tree (its children) and the vocabularies and partnerships of
        its filters and cards."""
        return ("pages", "vocabularies", "network.partnerships")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Its children are case studies only: one query finds the case study with what its
        page shows from other tables joined in (Wagtail's default takes one query for the
        child, one more for its specific type), served with this index."""
        from library.models.case_studies import CaseStudyPage

        if path_components:
            pages = (
                CaseStudyPage.objects.child_of(self)
                .select_related("locale", "partnership", "hero_image")
                .annotate(restricted_section=in_restricted_section())
            )
            page = pages.filter(slug=path_components[0]).first()
            if page is not None:
                found, args, kwargs = page.route(request, path_components[1:])
                # Served with its index, which the page links back to (it would read it again).
                return RouteResult(found, args=args, kwargs={**kwargs, "case_study_index": self})
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        """The page's cards come rendered from their cache (``library.cards``). The map draws
        every match from its own address (``library:case_study_map``, with the same filters),
        fetched when it nears the screen; the page carries only its cards' places, the list a
        reader without JavaScript gets."""
        from library.cards import case_study_cards

        context = super().get_context(request, *args, **kwargs)
        results = context["results"]
        listing = results.paginator.object_list
        results.object_list = case_study_cards(list(results.object_list), request=request)
        context["map_points"] = [card.point for card in results.object_list if card.point]
        filters = request.GET.copy()
        filters.pop("page", None)  # the map shows every page's matches
        query = filters.urlencode()
        context["map_points_url"] = reverse("library:case_study_map") + (
            f"?{query}" if query else ""
        )
        context["filter_form"].offer_countries(listing.country_counts)
        return context

    class Meta:
        verbose_name = _("case study index")


class ResourceIndexPage(ListingPage):
    """Where visitors find guides, tools, reports, videos and datasets."""

    subpage_types = ["library.ResourcePage"]

    def filter_form(self, data):
        from library.filters import ResourceFilterForm

        return ResourceFilterForm(data)

    def listing(self, *, filters: dict, language: str):
        from library.selectors import resources_listing

        return resources_listing(filters=filters, language_code=language)

    class Meta:
        verbose_name = _("resource index")
