"""Partnership and organisation profiles in the sitemap: public pages with no private details."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from network.models import LandscapePartnership, Organisation


class PartnershipSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return LandscapePartnership.objects.order_by("pk")

    def lastmod(self, item: LandscapePartnership):
        return item.updated_at


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.order_by("pk")
