"""RSS and Atom feeds of new case studies and resources, in the reader's language.

Partner platforms and newsletters follow these; each item links to the page and carries its
summary only (the full story stays on the site, with its images and updates).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from library import selectors
from library.models import CaseStudyPage, ResourcePage

FEED_SIZE = 20


class _PageFeed(Feed):
    request: HttpRequest | None = None

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return item.get_url(self.request)

    def item_guid(self, item) -> str:
        # Stable across title and slug changes: the page's translation group and language.
        return f"urn:landscape-commons:page:{item.translation_key}:{item.locale.language_code}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item) -> list[str]:
        return [theme.name for theme in item.themes.all()]


class CaseStudiesFeed(_PageFeed):
    title = _("Landscape Commons: new case studies")
    description = _("What landscape partnerships have tried, measured and learned.")

    def link(self) -> str:
        index = CaseStudyPage.objects.live().first()
        return index.get_parent().url if index else "/"

    def items(self) -> list[CaseStudyPage]:
        return selectors.latest_case_studies(language_code=get_language(), limit=FEED_SIZE)

    def feed_url(self) -> str:
        return reverse("library:case_studies_rss")


class CaseStudiesAtomFeed(CaseStudiesFeed):
    feed_type = Atom1Feed
    subtitle = CaseStudiesFeed.description

    def feed_url(self) -> str:
        return reverse("library:case_studies_atom")


class ResourcesFeed(_PageFeed):
    title = _("Landscape Commons: new resources")
    description = _("Guides, tools, reports, videos and datasets for landscape practitioners.")

    def link(self) -> str:
        index = ResourcePage.objects.live().first()
        return index.get_parent().url if index else "/"

    def items(self) -> list[ResourcePage]:
        return selectors.latest_resources(language_code=get_language(), limit=FEED_SIZE)

    def feed_url(self) -> str:
        return reverse("library:resources_rss")


class ResourcesAtomFeed(ResourcesFeed):
    feed_type = Atom1Feed
    subtitle = ResourcesFeed.description

    def feed_url(self) -> str:
        return reverse("library:resources_atom")
