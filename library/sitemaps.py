"""The sitemap of pages in every language tree (Wagtail's covers the default tree only)."""

from __future__ import annotations

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesPageSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        pages = Page.objects.none()
        for root in site.root_page.get_translations(inclusive=True):
            pages |= root.get_descendants(inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()
